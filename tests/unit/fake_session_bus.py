"""A fake D-Bus session bus for backend tests: real jeepney messages over a socket pair.

The backend under test gets a real jeepney blocking connection; on the other end this bus
answers the bus daemon's own methods (Hello, AddMatch, NameHasOwner), hands every other
method call to a handler the test registered, records the calls in order, and lets the test
emit signals. No daemon, no GNOME: what is tested is the sequence of messages.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from jeepney import DBusAddress, HeaderFields, MessageType, Parser, new_signal
from jeepney.io.blocking import DBusConnection
from jeepney.low_level import Message
from jeepney.wrappers import new_error, new_method_return

CLIENT_NAME = ":1.42"
OWNER_NAME = ":1.7"


class Refuse(Exception):
    """Raised by a handler: the call gets a D-Bus error reply with this name."""

    def __init__(self, error_name: str) -> None:
        super().__init__(error_name)
        self.error_name = error_name


@dataclass(frozen=True)
class Call:
    """One method call the backend made."""

    path: str
    interface: str
    member: str
    body: tuple[Any, ...]


#: Answers one call: returns (signature, body) for the reply, or raises Refuse.
Handler = Callable[[Call], tuple[str | None, tuple[Any, ...]]]


class FakeSessionBus:
    """The far end of a socket pair, speaking D-Bus; `connect()` gives the near end."""

    def __init__(self) -> None:
        self._ours, self._theirs = socket.socketpair()
        self._handlers: dict[tuple[str, str], Handler] = {}
        self._lock = threading.Lock()
        self._serial = 1000
        self.calls: list[Call] = []
        self.matches: list[str] = []
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def handle(self, interface: str, member: str, handler: Handler) -> None:
        """Answer calls of `interface.member` with `handler`."""
        self._handlers[(interface, member)] = handler

    def connect(self) -> DBusConnection:
        """A jeepney blocking connection to this bus (it has said Hello already)."""
        return DBusConnection(self._theirs)

    def emit(
        self,
        path: str,
        interface: str,
        member: str,
        signature: str,
        body: tuple[Any, ...],
        *,
        sender: str = OWNER_NAME,
    ) -> None:
        """Send a signal to the client; it is in the client's socket when this returns."""
        message = new_signal(DBusAddress(path, interface=interface), member, signature, body)
        message.header.fields[HeaderFields.sender] = sender
        self._send(message)

    def name_lost(self, name: str) -> None:
        """Say that `name`'s owner left the bus."""
        self.emit(
            "/org/freedesktop/DBus",
            "org.freedesktop.DBus",
            "NameOwnerChanged",
            "sss",
            (name, OWNER_NAME, ""),
            sender="org.freedesktop.DBus",
        )

    def hang_up(self) -> None:
        """Close the bus end: the daemon went away."""
        self._ours.shutdown(socket.SHUT_RDWR)

    def members(self) -> list[str]:
        """The members of the calls made so far, in order (the bus daemon's left out)."""
        return [call.member for call in self.calls]

    def close(self) -> None:
        for sock in (self._ours, self._theirs):
            sock.close()

    def _send(self, message: Message) -> None:
        with self._lock:
            self._serial += 1
            self._ours.sendall(message.serialise(serial=self._serial))

    def _serve(self) -> None:
        parser = Parser()
        try:
            while True:
                data = self._ours.recv(65536)
                if not data:
                    return
                parser.add_data(data)
                while (message := parser.get_next_message()) is not None:
                    self._answer(message)
        except OSError:
            return

    def _answer(self, message: Message) -> None:
        if message.header.message_type != MessageType.method_call:
            return
        fields = message.header.fields
        call = Call(
            fields.get(HeaderFields.path, ""),
            fields.get(HeaderFields.interface, ""),
            fields.get(HeaderFields.member, ""),
            tuple(message.body),
        )
        if call.interface == "org.freedesktop.DBus":
            reply = self._daemon(message, call)
        else:
            self.calls.append(call)
            handler = self._handlers.get((call.interface, call.member))
            try:
                if handler is None:
                    raise Refuse("org.freedesktop.DBus.Error.UnknownMethod")
                signature, body = handler(call)
                reply = new_method_return(message, signature, body)
            except Refuse as refusal:
                reply = new_error(message, refusal.error_name, "s", (str(refusal),))
        reply.header.fields[HeaderFields.sender] = OWNER_NAME
        self._send(reply)

    def _daemon(self, message: Message, call: Call) -> Message:
        if call.member == "Hello":
            return new_method_return(message, "s", (CLIENT_NAME,))
        if call.member == "AddMatch":
            self.matches.append(call.body[0])
            return new_method_return(message)
        if call.member == "NameHasOwner":
            return new_method_return(message, "b", (True,))
        return new_error(message, "org.freedesktop.DBus.Error.UnknownMethod", "s", ("",))
