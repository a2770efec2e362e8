"""Desktop notifications over the session D-Bus (org.freedesktop.Notifications), with actions.

Uses jeepney, not QtDBus: Notify's `replaces_id` is a uint32, which PySide6 cannot send
(it marshals Python ints as int32 and the server refuses the call). One connection both sends
and listens, because servers send ActionInvoked only to the connection that called Notify.
jeepney's router receives on its own thread; a second small thread hands signals to the
listener, so a slow listener never stalls replies to our own calls.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping
from queue import Empty, Queue
from typing import Any

from breather import APP_ID, APP_NAME
from breather.notify.base import (
    ActionHandler,
    ClosedHandler,
    Notification,
    NotifierUnavailable,
)

log = logging.getLogger(__name__)

BUS_NAME = "org.freedesktop.Notifications"
OBJECT_PATH = "/org/freedesktop/Notifications"
INTERFACE = "org.freedesktop.Notifications"
CALL_TIMEOUT = 3.0
#: How long a do-not-disturb answer is trusted before asking the bus again.
DND_CACHE_SECONDS = 5.0
#: Where servers publish "do not disturb": KDE Plasma's Inhibited, dunst's paused.
DND_PROPERTIES = (
    (INTERFACE, "Inhibited"),
    ("org.dunstproject.cmd0", "paused"),
)


def gnome_banners_off(environ: Mapping[str, str] | None = None) -> bool:
    """GNOME's do-not-disturb: its Shell publishes no `Inhibited`, but the switch is the
    `show-banners` setting. False wherever that cannot be read (not GNOME, no gsettings)."""
    env = os.environ if environ is None else environ
    if "GNOME" not in env.get("XDG_CURRENT_DESKTOP", "").upper().split(":"):
        return False
    gsettings = shutil.which("gsettings")
    if gsettings is None:
        return False
    try:
        done = subprocess.run(
            [gsettings, "get", "org.gnome.desktop.notifications", "show-banners"],
            capture_output=True,
            text=True,
            timeout=2,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0 and done.stdout.strip() == "false"


class FreedesktopNotifier:
    """Notifications through whichever notification server owns the session bus name."""

    name = "freedesktop"
    supports_actions = True

    def __init__(self, *, bus: str = "SESSION", app_name: str = APP_NAME) -> None:
        """Connect and check a server is there; raises NotifierUnavailable saying why not."""
        try:
            from jeepney import DBusAddress, MatchRule, message_bus
            from jeepney.io.threading import DBusRouter, Proxy, open_dbus_connection
        except ImportError as error:  # Windows and macOS: jeepney is a Linux-only dependency
            raise NotifierUnavailable(f"no D-Bus notifications here ({error})") from None

        self._app_name = app_name
        try:
            self._conn = open_dbus_connection(bus=bus)
        except KeyError:
            raise NotifierUnavailable(
                "no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set)"
            ) from None
        except Exception as error:  # OSError, auth failures: the bus is not usable
            raise NotifierUnavailable(f"cannot connect to the D-Bus session bus: {error}") from None
        self._router = DBusRouter(self._conn)
        self._address = DBusAddress(OBJECT_PATH, bus_name=BUS_NAME, interface=INTERFACE)
        self._on_action: ActionHandler | None = None
        self._on_closed: ClosedHandler | None = None
        self._signals: Queue[Any] = Queue(maxsize=1024)
        self._filters: list[Any] = []
        self._dnd_checked = -1e9
        self._dnd = False
        self._dnd_sources = list(DND_PROPERTIES)
        #: Notifications still on screen: closed at shutdown, so none is left with dead buttons.
        self._showing: set[int] = set()
        self._showing_lock = threading.Lock()
        try:
            self.server, self.capabilities = self._identify()
            bus_proxy = Proxy(message_bus, self._router, timeout=CALL_TIMEOUT)
            for member in ("ActionInvoked", "NotificationClosed"):
                rule = MatchRule(
                    type="signal", interface=INTERFACE, path=OBJECT_PATH, member=member
                )
                bus_proxy.AddMatch(rule)
                self._filters.append(self._router.filter(rule, queue=self._signals))
        except BaseException:
            self._close_connection()
            raise
        self.supports_actions = "actions" in self.capabilities
        self._deliverer = threading.Thread(
            target=self._deliver, name="breather-notifications", daemon=True
        )
        self._deliverer.start()

    # -- Notifier --------------------------------------------------------------------------

    def notify(self, notification: Notification) -> int:
        from jeepney import new_method_call

        hints: dict[str, tuple[str, Any]] = {
            "urgency": ("y", int(notification.urgency)),
            "desktop-entry": ("s", APP_ID),
        }
        if notification.category:
            hints["category"] = ("s", notification.category)
        actions = [part for pair in notification.actions for part in pair]
        message = new_method_call(
            self._address,
            "Notify",
            "susssasa{sv}i",
            (
                self._app_name,
                notification.replaces,
                "",
                notification.summary,
                notification.body,
                actions,
                hints,
                notification.timeout_ms,
            ),
        )
        shown = int(self._call(message)[0])
        with self._showing_lock:
            self._showing.add(shown)
        return shown

    def close(self, notification_id: int) -> None:
        from jeepney import new_method_call

        with self._showing_lock:
            self._showing.discard(notification_id)
        message = new_method_call(self._address, "CloseNotification", "u", (notification_id,))
        try:
            self._call(message)
        except NotifierUnavailable:
            log.debug("could not close notification %s", notification_id, exc_info=True)

    def listen(self, on_action: ActionHandler, on_closed: ClosedHandler | None = None) -> None:
        self._on_action = on_action
        self._on_closed = on_closed

    def do_not_disturb(self) -> bool:
        now = time.monotonic()
        if now - self._dnd_checked < DND_CACHE_SECONDS:
            return self._dnd
        self._dnd_checked = now
        self._dnd = False
        for source in list(self._dnd_sources):
            value = self._property(*source)
            if value is None:
                self._dnd_sources.remove(source)  # this server does not publish it
            elif value:
                self._dnd = True
        if not self._dnd and gnome_banners_off():
            self._dnd = True
        return self._dnd

    def shutdown(self) -> None:
        """Take Breather's notifications off the screen (their buttons would answer nothing
        once it has gone) and let go of the bus."""
        with self._showing_lock:
            showing = sorted(self._showing)
        for notification_id in showing:
            self.close(notification_id)
        self._signals.put(None)
        self._close_connection()

    # -- internals -------------------------------------------------------------------------

    def _identify(self) -> tuple[str, tuple[str, ...]]:
        from jeepney import new_method_call
        from jeepney.wrappers import DBusErrorResponse

        try:
            info = self._call(new_method_call(self._address, "GetServerInformation"))
            caps = self._call(new_method_call(self._address, "GetCapabilities"))[0]
        except (NotifierUnavailable, DBusErrorResponse) as error:
            raise NotifierUnavailable(
                f"no notification server is running on the session bus ({error})"
            ) from None
        return f"{info[0]} {info[2]}".strip(), tuple(caps)

    def _call(self, message: Any) -> Any:
        from jeepney.wrappers import DBusErrorResponse, unwrap_msg

        try:
            reply = self._router.send_and_get_reply(message, timeout=CALL_TIMEOUT)
            return unwrap_msg(reply)
        except DBusErrorResponse as error:
            raise NotifierUnavailable(f"the notification server said no: {error}") from None
        except (TimeoutError, OSError, RuntimeError) as error:
            raise NotifierUnavailable(f"the notification server did not answer: {error}") from None

    def _property(self, interface: str, name: str) -> bool | None:
        from jeepney import DBusAddress, Properties

        address = DBusAddress(OBJECT_PATH, bus_name=BUS_NAME, interface=interface)
        try:
            signature, value = self._call(Properties(address).get(name))[0]
        except NotifierUnavailable:
            return None
        return bool(value) if signature == "b" else None

    def _deliver(self) -> None:
        while True:
            try:
                message = self._signals.get(timeout=1.0)
            except Empty:
                continue
            if message is None:
                return
            try:
                self._dispatch(message)
            except Exception:  # a bug in a listener must not end notifications
                log.exception("a notification listener failed")

    def _dispatch(self, message: Any) -> None:
        from jeepney.low_level import HeaderFields

        member = message.header.fields.get(HeaderFields.member)
        body = message.body
        if member == "ActionInvoked" and self._on_action is not None:
            self._on_action(int(body[0]), str(body[1]))
        elif member == "NotificationClosed":
            with self._showing_lock:
                self._showing.discard(int(body[0]))
            if self._on_closed is not None:
                self._on_closed(int(body[0]), int(body[1]))

    def _close_connection(self) -> None:
        for handle in self._filters:
            handle.close()
        self._filters.clear()
        try:
            self._router.close()
        finally:
            self._conn.close()


class ReconnectingNotifier:
    """Desktop notifications that come back when the server does.

    At login the notification server may start after Breather, and it may restart later. This
    tries again at most every `retry_every` seconds, tells `say` once when notifications stop
    working and once when they work again, and re-attaches the listener each time.
    """

    name = "freedesktop"

    def __init__(
        self,
        connect: Callable[[], FreedesktopNotifier] = FreedesktopNotifier,
        *,
        say: Callable[[str], None] | None = None,
        retry_every: float = 60.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._connect = connect
        self._say = say or (lambda _message: None)
        self._retry_every = retry_every
        self._monotonic = monotonic
        self._inner: FreedesktopNotifier | None = None
        self._tried = -1e18
        self._told_missing = False
        self._on_action: ActionHandler | None = None
        self._on_closed: ClosedHandler | None = None
        self.available  # noqa: B018  (connect now, so a missing server is said at start)

    @property
    def available(self) -> bool:
        """Connected to a server now (trying again if it is time to)."""
        if self._inner is None and self._monotonic() - self._tried >= self._retry_every:
            self._tried = self._monotonic()
            try:
                self._inner = self._connect()
            except NotifierUnavailable as why:
                if not self._told_missing:
                    self._say(f"notifications cannot be shown: {why}; tracking goes on")
                    self._told_missing = True
            else:
                if self._told_missing:
                    self._say(f"notifications work again ({self._inner.server})")
                    self._told_missing = False
                if self._on_action is not None:
                    self._inner.listen(self._on_action, self._on_closed)
        return self._inner is not None

    @property
    def supports_actions(self) -> bool:
        return self._inner.supports_actions if self._inner is not None else True

    @property
    def server(self) -> str:
        return self._inner.server if self._inner is not None else ""

    def notify(self, notification: Notification) -> int:
        if not self.available:
            raise NotifierUnavailable("no notification server")
        assert self._inner is not None
        try:
            return self._inner.notify(notification)
        except NotifierUnavailable:
            self._drop()
            raise

    def close(self, notification_id: int) -> None:
        if self._inner is not None:
            self._inner.close(notification_id)

    def listen(self, on_action: ActionHandler, on_closed: ClosedHandler | None = None) -> None:
        self._on_action, self._on_closed = on_action, on_closed
        if self._inner is not None:
            self._inner.listen(on_action, on_closed)

    def do_not_disturb(self) -> bool:
        return self._inner.do_not_disturb() if self._inner is not None else False

    def shutdown(self) -> None:
        if self._inner is not None:
            self._inner.shutdown()
            self._inner = None

    def _drop(self) -> None:
        inner, self._inner = self._inner, None
        self._tried = self._monotonic()
        if inner is not None:
            try:
                inner.shutdown()
            except Exception:  # already gone
                log.debug("closing a lost notification connection failed", exc_info=True)
        if not self._told_missing:
            self._say("the notification server went away; trying again in a minute")
            self._told_missing = True


def diagnose() -> tuple[bool, str]:
    """Whether desktop notifications work here, in a sentence for `breather doctor`."""
    if sys.platform in ("win32", "darwin"):
        return False, (
            "no freedesktop notifications on this system: the app shows reminders from its "
            "tray icon and breaks and prompts as its own windows; `breather track` cannot"
        )
    try:
        notifier = FreedesktopNotifier()
    except NotifierUnavailable as why:
        return False, f"{why}; break and limit prompts cannot be shown by `breather track`"
    try:
        actions = "with buttons" if notifier.supports_actions else "without buttons (no answers)"
        quiet = "; do-not-disturb is on" if notifier.do_not_disturb() else ""
        return True, f"{notifier.server or 'a notification server'}, {actions}{quiet}"
    finally:
        notifier.shutdown()
