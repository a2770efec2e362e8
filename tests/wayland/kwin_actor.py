"""The person's hands on a headless KWin, for tests: focus a window, touch the input.

Runs in the KWin session (WAYLAND_DISPLAY, session bus). Reads one JSON request a line on
stdin and prints `done <n> <answer>` when it is done:

- {"input": true}: KDE idle's simulate_user_activity, which KWin treats as input on the seat
  (every idle timer of every client restarts, as after a key press); answer "ok".
- {"activate": "TITLE"}: a one-off KWin script makes the window with that exact caption the
  active one; answer "found" or "missing".
- {"find": "TITLE"}: the same, without activating.

The script reports back over D-Bus to this helper's bus name, so the answer is KWin's.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections import deque
from pathlib import Path
from typing import Any

from jeepney import DBusAddress, MatchRule, message_bus, new_method_call, new_method_return
from jeepney.io.blocking import open_dbus_connection
from pywayland.client.display import Display

from breather.monitor.wayland.protocols.idle import OrgKdeKwinIdle
from breather.monitor.wayland.protocols.wayland import WlSeat

NAME = "io.github.breather.TestActor"
PATH = "/io/github/breather/TestActor"
INTERFACE = "io.github.breather.TestActor1"
PLUGIN = "breather-test-actor"
SCRIPT = """
var want = %s;
var activate = %s;
var list = workspace.windowList ? workspace.windowList() : workspace.clientList();
var found = "missing";
var captions = [];
for (var i = 0; i < list.length; i++) {
    captions.push(String(list[i].caption));
    if (String(list[i].caption) === want) {
        found = "found";
        if (activate) {
            if (workspace.activeWindow !== undefined) workspace.activeWindow = list[i];
            else workspace.activeClient = list[i];
        }
        break;
    }
}
callDBus("%s", "%s", "%s", "Answer", found, JSON.stringify(captions));
"""
SCRIPTING = DBusAddress("/Scripting", bus_name="org.kde.KWin", interface="org.kde.kwin.Scripting")


class Actor:
    def __init__(self) -> None:
        self.bus = open_dbus_connection(bus="SESSION")
        self.bus.send_and_get_reply(message_bus.RequestName(NAME))
        self.answers: deque[Any] = deque()
        self.filter = self.bus.filter(
            MatchRule(type="method_call", interface=INTERFACE), queue=self.answers
        )
        self.display = Display()
        self.display.connect()
        registry = self.display.get_registry()
        offered: dict[str, tuple[int, int]] = {}
        registry.dispatcher["global"] = lambda _r, name, iface, version: offered.__setitem__(
            iface, (name, version)
        )
        self.display.roundtrip()
        seat = registry.bind(offered["wl_seat"][0], WlSeat, 1)
        idle = registry.bind(offered["org_kde_kwin_idle"][0], OrgKdeKwinIdle, 1)
        self.timeout = idle.get_idle_timeout(seat, 60_000)
        self.display.roundtrip()
        self.major = 5
        info = self.bus.send_and_get_reply(
            new_method_call(
                DBusAddress("/KWin", bus_name="org.kde.KWin", interface="org.kde.KWin"),
                "supportInformation",
            )
        ).body[0]
        for line in info.splitlines():
            if line.startswith("KWin version:"):
                self.major = int(line.split(":")[1].strip().split(".")[0])

    def touch(self) -> str:
        self.timeout.simulate_user_activity()
        self.display.roundtrip()
        return "ok"

    def window(self, title: str, *, activate: bool) -> str:
        source = SCRIPT % (
            json.dumps(title),
            "true" if activate else "false",
            NAME,
            PATH,
            INTERFACE,
        )
        with tempfile.NamedTemporaryFile(
            "w", suffix=".js", dir=os.environ["XDG_RUNTIME_DIR"], delete=False
        ) as file:
            file.write(source)
        try:
            call = new_method_call(SCRIPTING, "unloadScript", "s", (PLUGIN,))
            self.bus.send_and_get_reply(call)
            call = new_method_call(SCRIPTING, "loadScript", "ss", (file.name, PLUGIN))
            number = self.bus.send_and_get_reply(call).body[0]
            path = f"/{number}" if self.major < 6 else f"/Scripting/Script{number}"
            script = DBusAddress(path, bus_name="org.kde.KWin", interface="org.kde.kwin.Script")
            self.bus.send_and_get_reply(new_method_call(script, "run"))
            message = self.bus.recv_until_filtered(self.answers, timeout=10)
            self.bus.send(new_method_return(message))
            if message.body[0] != "found":
                print("windows:", message.body[1], flush=True)  # for the test's failure message
            return str(message.body[0])
        finally:
            self.bus.send_and_get_reply(new_method_call(SCRIPTING, "unloadScript", "s", (PLUGIN,)))
            Path(file.name).unlink()


def main() -> int:
    actor = Actor()
    print("ready", flush=True)
    for line in sys.stdin:
        request = json.loads(line)
        if "input" in request:
            answer = actor.touch()
        elif "activate" in request:
            answer = actor.window(request["activate"], activate=True)
        else:
            answer = actor.window(request["find"], activate=False)
        print(f"done {request['n']} {answer}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
