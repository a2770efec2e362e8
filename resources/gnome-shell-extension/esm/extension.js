// Breather's GNOME Shell extension, for GNOME Shell 45 and later (ES modules).
// Exports the focused window on the session bus for the Breather app; see the legacy flavour
// for GNOME 40 to 44. Both share one block: keep them in step.
import Gio from 'gi://Gio';
import GLib from 'gi://GLib';
import Meta from 'gi://Meta';
import Shell from 'gi://Shell';
import {Extension} from 'resource:///org/gnome/shell/extensions/extension.js';

// BEGIN shared: this block is the same in both flavours (a unit test checks it).
const OBJECT_PATH = '/io/github/breather/Breather/Shell';
const INTERFACE_XML = `<node>
  <interface name="io.github.breather.Breather.Shell1">
    <method name="FocusedWindow">
      <arg type="s" direction="out" name="window"/>
    </method>
    <signal name="FocusedWindowChanged">
      <arg type="s" name="window"/>
    </signal>
  </interface>
</node>`;

// The focused window as JSON: "{}" when nothing has focus.
function describeWindow(window) {
    if (!window)
        return '{}';
    const wmClass = window.get_wm_class() || '';
    // A window-backed app has an id like "window:12", which means nothing across sessions.
    const app = Shell.WindowTracker.get_default().get_window_app(window);
    let appId = app && !app.is_window_backed() ? app.get_id() || '' : '';
    if (appId.endsWith('.desktop'))
        appId = appId.slice(0, -'.desktop'.length);
    return JSON.stringify({
        app_id: appId || wmClass,
        wm_class: wmClass,
        title: window.get_title() || '',
        pid: window.get_pid(),
        fullscreen: window.is_fullscreen(),
        client: window.get_client_type() === Meta.WindowClientType.X11 ? 'x11' : 'wayland',
    });
}

// Exports FocusedWindow() and emits FocusedWindowChanged when focus moves, or the focused
// window's title or fullscreen state changes.
class FocusedWindowExport {
    constructor() {
        this._dbus = Gio.DBusExportedObject.wrapJSObject(INTERFACE_XML, this);
        this._dbus.export(Gio.DBus.session, OBJECT_PATH);
        this._window = null;
        this._windowSignals = [];
        this._focusSignal = global.display.connect('notify::focus-window', () => this._follow());
        this._follow();
    }

    destroy() {
        global.display.disconnect(this._focusSignal);
        this._watch(null);
        // Say "nothing is known" before going (the screen locks, or the extension is off).
        this._emit('{}');
        this._dbus.unexport();
        this._dbus = null;
    }

    FocusedWindow() {
        return describeWindow(global.display.focus_window);
    }

    _follow() {
        this._watch(global.display.focus_window);
        this._emit(this.FocusedWindow());
    }

    _watch(window) {
        for (const id of this._windowSignals)
            this._window.disconnect(id);
        this._window = window;
        this._windowSignals = window ? ['notify::title', 'notify::fullscreen'].map(
            name => window.connect(name, () => this._emit(this.FocusedWindow()))) : [];
    }

    _emit(json) {
        this._dbus.emit_signal('FocusedWindowChanged', new GLib.Variant('(s)', [json]));
    }
}
// END shared

export default class BreatherExtension extends Extension {
    enable() {
        this._export = new FocusedWindowExport();
    }

    disable() {
        this._export.destroy();
        this._export = null;
    }
}
