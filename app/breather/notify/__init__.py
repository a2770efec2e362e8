"""Telling the person things: the Notifier seam, desktop notifications and their presenter.

`freedesktop` (jeepney), `fallback` and `presenter` are Qt-free; `tray` is the Qt tray balloon
used when no notification server answers. Imports `rules.model` beneath it, never the store,
the runtime or the UI.
"""

from breather.notify.base import Notification, Notifier, NotifierUnavailable, Urgency

__all__ = ["Notification", "Notifier", "NotifierUnavailable", "Urgency"]
