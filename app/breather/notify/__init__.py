"""Telling the person things: the Notifier seam, desktop notifications and their presenter."""

from breather.notify.base import Notification, Notifier, NotifierUnavailable, Urgency

__all__ = ["Notification", "Notifier", "NotifierUnavailable", "Urgency"]
