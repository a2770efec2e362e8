"""Inside Flatpak the host's autostart folder is out of reach of the sandbox: the Background
portal is asked instead, and writes the host's entry itself."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from breather import APP_NAME
from breather.desktop.autostart.base import AutostartError, AutostartState
from breather.desktop.entry import DesktopEntryError, quote_exec, split_exec, write_atomically

PortalRequest = Callable[[bool, Sequence[str], str], bool]


class PortalAutostart:
    """Inside Flatpak: the sandbox cannot reach the host's autostart folder, so it asks the
    Background portal (xdg-desktop-portal), which writes or removes the entry on the host.

    The portal cannot be asked what it did earlier, so the last answer is kept in `record`.
    `request(autostart, commandline, reason)` returns whether autostart is now on.
    """

    def __init__(self, record: Path, request: PortalRequest | None = None) -> None:
        self.record = record
        self.request = request or request_background
        self.where = "the Background portal (your desktop's background apps settings)"

    def status(self) -> AutostartState:
        try:
            command = split_exec(self.record.read_text(encoding="utf-8").strip())
        except FileNotFoundError:
            return AutostartState(False, self.where)
        except (OSError, DesktopEntryError) as error:
            return AutostartState(False, self.where, note=f"unreadable record ({error})")
        note = "as last granted; the desktop's settings can change it"
        return AutostartState(bool(command), self.where, command, note)

    def _ask(self, enable: bool, command: Sequence[str]) -> bool:
        reason = f"Start {APP_NAME} in the tray when you log in" if enable else "No autostart"
        try:
            return self.request(enable, command, reason)
        except AutostartError:
            raise
        except Exception as error:  # no bus, no portal, a refusal: say it, change nothing
            raise AutostartError(f"the Background portal did not answer: {error}") from error

    def enable(self, command: Sequence[str]) -> AutostartState:
        if not self._ask(True, command):
            raise AutostartError("the desktop did not allow Breather to start at login")
        write_atomically(self.record, (quote_exec(command) + "\n").encode("utf-8"), 0o600)
        return self.status()

    def disable(self) -> AutostartState:
        self._ask(False, ["breather"])
        self.record.unlink(missing_ok=True)
        return self.status()


PORTAL_TIMEOUT = 300.0  # the desktop may show the person a question first


def request_background(autostart: bool, commandline: Sequence[str], reason: str) -> bool:
    """org.freedesktop.portal.Background.RequestBackground over the session bus (jeepney)."""
    import secrets

    from jeepney import DBusAddress, MatchRule, message_bus, new_method_call
    from jeepney.io.blocking import open_dbus_connection
    from jeepney.wrappers import unwrap_msg

    with open_dbus_connection(bus="SESSION") as conn:
        token = f"breather_{secrets.token_hex(8)}"
        sender = str(conn.unique_name).lstrip(":").replace(".", "_")
        rule = MatchRule(
            type="signal",
            interface="org.freedesktop.portal.Request",
            member="Response",
            path=f"/org/freedesktop/portal/desktop/request/{sender}/{token}",
        )
        unwrap_msg(conn.send_and_get_reply(message_bus.AddMatch(rule), timeout=5))
        portal = DBusAddress(
            "/org/freedesktop/portal/desktop",
            bus_name="org.freedesktop.portal.Desktop",
            interface="org.freedesktop.portal.Background",
        )
        options = {
            "handle_token": ("s", token),
            "reason": ("s", reason),
            "autostart": ("b", autostart),
            "commandline": ("as", list(commandline)),
            "dbus-activatable": ("b", False),
        }
        call = new_method_call(portal, "RequestBackground", "sa{sv}", ("", options))
        with conn.filter(rule) as answers:
            unwrap_msg(conn.send_and_get_reply(call, timeout=10))
            response, results = conn.recv_until_filtered(answers, timeout=PORTAL_TIMEOUT).body
    if response != 0:
        raise AutostartError("the request was cancelled" if response == 1 else "it was refused")
    return bool(results.get("autostart", ("b", False))[1])
