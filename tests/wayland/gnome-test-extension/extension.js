// Test only, never shipped. A headless GNOME Shell starts in the overview and gives new
// windows no focus, so a test focuses them here, as a person would with a click.
//   Windows() -> s            JSON list of the titles of all windows
//   Activate(s title) -> b    focus the window with exactly this title; false if none
//   Focused() -> s            the title of the focused window ("" for none)
//   HideOverview() -> b       leave the overview; true while it is still on screen
const {Gio} = imports.gi;
const Main = imports.ui.main;

const INTERFACE_XML = `<node>
  <interface name="io.github.breather.Breather.ShellTest">
    <method name="Windows"><arg type="s" direction="out" name="titles"/></method>
    <method name="Focused"><arg type="s" direction="out" name="title"/></method>
    <method name="HideOverview"><arg type="b" direction="out" name="showing"/></method>
    <method name="Activate">
      <arg type="s" direction="in" name="title"/>
      <arg type="b" direction="out" name="found"/>
    </method>
  </interface>
</node>`;

class TestDriver {
    enable() {
        this._dbus = Gio.DBusExportedObject.wrapJSObject(INTERFACE_XML, this);
        this._dbus.export(Gio.DBus.session, '/io/github/breather/Breather/ShellTest');
    }

    disable() {
        this._dbus.unexport();
        this._dbus = null;
    }

    Windows() {
        return JSON.stringify(global.get_window_actors().map(a => a.meta_window.get_title() || ''));
    }

    Focused() {
        const window = global.display.focus_window;
        return window ? window.get_title() || '' : '';
    }

    HideOverview() {
        Main.overview.hide();
        return Main.overview.visible || Main.overview.animationInProgress;
    }

    Activate(title) {
        Main.overview.hide();
        const actor = global.get_window_actors().find(a => a.meta_window.get_title() === title);
        if (!actor)
            return false;
        // A fresh timestamp: with the last event's (there are none here), Mutter's focus
        // stealing prevention would only mark the window as wanting attention.
        Main.activateWindow(actor.meta_window, global.display.get_current_time_roundtrip());
        return true;
    }
}

function init() {
    return new TestDriver();
}
