"""Native tracking on Wayland desktops, through the compositor's own protocols.

- `wlroots`: the focused window from wlr-foreign-toplevel-management (sway, Hyprland, labwc,
  Wayfire, river…), a WindowSource.
- `idle`: idle time from ext-idle-notify-v1, else KDE's org_kde_kwin_idle (wlroots compositors
  and KWin), an IdleSource.
- `protocols`: the protocol XML files these speak, and the Python bindings generated from them.

Modules here import only the standard library, pywayland and `breather.monitor.base` /
`breather.monitor.idle_events`; never Qt. pywayland is imported when a source is opened, so
importing this package needs neither pywayland nor a Wayland session.
"""
