"""Where samples come from: the active window and the time since the last input.

`base` holds the protocols and value types, `select` picks the backend that really works here
and explains the choice for `breather doctor`, `idle_events` turns "idle since T" events into
polled idle time, `processes` names the program behind a window, and one module or subpackage
per desktop family implements the protocols: `x11`, `wayland` (wlroots compositors), `gnome`,
`kde`, `windows`, `macos`, and `fake` (scripted, for `--demo` and tests). Each is imported
only when chosen, so a missing library or display never breaks `import breather`. Domain:
imports only `breather.clock` and the standard library at module level; desktop libraries
load lazily.
"""
