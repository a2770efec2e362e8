"""Wayland protocol definitions and their Python bindings, generated once and kept here.

The XML files are the protocols as their authors publish them, licence headers intact:

- `wayland.xml`: the core protocol (libwayland 1.21, Debian package libwayland-dev), MIT.
- `wlr-foreign-toplevel-management-unstable-v1.xml`: from swaywm/wlr-protocols (`unstable/`),
  MIT-style; no Debian package ships it.
- `ext-idle-notify-v1.xml`: wayland-protocols 1.31 (`staging/ext-idle-notify/`), MIT.
- `idle.xml`: KDE's org_kde_kwin_idle, plasma-wayland-protocols 1.10, LGPL-2.1-or-later.

The `.py` modules beside them are pywayland's scanner output for exactly these four files,
committed unchanged. They import each other (`from .wayland import WlSeat`), so a seat bound
for one of them must be bound with *this* package's `wayland.WlSeat`, not pywayland's own.
To regenerate, from this directory, with the pywayland the project depends on:

    python -m pywayland.scanner -o . -i wayland.xml \\
        wlr-foreign-toplevel-management-unstable-v1.xml ext-idle-notify-v1.xml idle.xml

Linters and type checks skip the generated modules (see pyproject.toml).
"""
