"""Windows: the `Breather` value under `HKCU\\...\\CurrentVersion\\Run` (through `winreg`), read
together with the "disabled in Task Manager" flag Windows keeps beside it."""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from typing import Any

from breather import APP_NAME
from breather.desktop.autostart.base import AutostartError, AutostartState, missing_program

RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"
#: Where Task Manager's Startup tab records "Disabled": the first byte is odd when disabled.
APPROVED_KEY = r"Software\Microsoft\Windows\CurrentVersion\Explorer\StartupApproved\Run"


class WindowsRunKey:
    """`HKCU\\...\\Run\\Breather` = the command line. `registry` is `winreg` or a stand-in."""

    def __init__(self, registry: Any, value_name: str = APP_NAME) -> None:
        self.registry = registry
        self.value_name = value_name
        self.where = f"HKEY_CURRENT_USER\\{RUN_KEY}\\{value_name}"

    def _query(self, key_path: str) -> Any:
        reg = self.registry
        try:
            with reg.OpenKey(reg.HKEY_CURRENT_USER, key_path, 0, reg.KEY_READ) as key:
                return reg.QueryValueEx(key, self.value_name)[0]
        except FileNotFoundError:
            return None

    def _delete(self, key_path: str) -> None:
        reg = self.registry
        try:
            with reg.OpenKey(reg.HKEY_CURRENT_USER, key_path, 0, reg.KEY_SET_VALUE) as key:
                reg.DeleteValue(key, self.value_name)
        except FileNotFoundError:
            pass

    def status(self) -> AutostartState:
        try:
            line = self._query(RUN_KEY)
            approved = self._query(APPROVED_KEY)
        except OSError as error:
            raise AutostartError(f"cannot read {self.where}: {error}") from error
        if not isinstance(line, str) or not line:
            return AutostartState(False, self.where)
        command = split_windows_command(line)
        if isinstance(approved, bytes) and approved[:1] and approved[0] & 1:
            return AutostartState(False, self.where, command, "switched off in Task Manager")
        return AutostartState(True, self.where, command, missing_program(command))

    def enable(self, command: Sequence[str]) -> AutostartState:
        reg = self.registry
        try:
            with reg.CreateKeyEx(reg.HKEY_CURRENT_USER, RUN_KEY, 0, reg.KEY_SET_VALUE) as key:
                reg.SetValueEx(key, self.value_name, 0, reg.REG_SZ, windows_command(command))
            self._delete(APPROVED_KEY)  # the person asked for it here: lift Task Manager's "off"
        except OSError as error:
            raise AutostartError(f"cannot write {self.where}: {error}") from error
        return self.status()

    def disable(self) -> AutostartState:
        try:
            self._delete(RUN_KEY)
            self._delete(APPROVED_KEY)
        except OSError as error:
            raise AutostartError(f"cannot remove {self.where}: {error}") from error
        return self.status()


def windows_command(argv: Sequence[str]) -> str:
    """The Run value for `argv`: the program in quotes, then arguments as Windows splits them."""
    program, *rest = argv
    return " ".join([f'"{program}"', *([subprocess.list2cmdline(rest)] if rest else [])])


def split_windows_command(line: str) -> list[str]:
    """The argv of a Run value: the program (quoted or not), then MSVCRT-style arguments."""
    line = line.strip()
    if line.startswith('"'):
        end = line.find('"', 1)
        program, rest = (line[1:], "") if end < 0 else (line[1:end], line[end + 1 :])
    else:
        program, _, rest = line.partition(" ")
    return [program, *_split_msvcrt(rest)]


def _split_msvcrt(text: str) -> list[str]:
    args: list[str] = []
    word: list[str] = []
    in_word = quoted = False
    index = 0
    while index < len(text):
        ch = text[index]
        if ch == "\\":
            run = 0
            while index + run < len(text) and text[index + run] == "\\":
                run += 1
            if index + run < len(text) and text[index + run] == '"':
                word.append("\\" * (run // 2))
                index += run
                if run % 2:
                    word.append('"')
                    index += 1
            else:
                word.append("\\" * run)
                index += run
            in_word = True
            continue
        if ch == '"':
            quoted = not quoted
            in_word = True
        elif ch in " \t" and not quoted:
            if in_word:
                args.append("".join(word))
                word, in_word = [], False
        else:
            word.append(ch)
            in_word = True
        index += 1
    if in_word:
        args.append("".join(word))
    return args
