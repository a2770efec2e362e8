"""A tiny real X11 client for desktop tests: one Tk window with a chosen WM_CLASS and title.

    python client_window.py CLASS TITLE

Tk sets WM_CLASS to (CLASS with a lower-case first letter, CLASS capitalised), writes the
title to _NET_WM_NAME (UTF8_STRING) and WM_NAME (STRING holding UTF-8), and sets no
_NET_WM_PID, like many small toolkits. Once mapped it prints `ready 0x<id>` on stdout,
where id is Tk's toplevel widget window; the X window the window manager manages (and
_NET_ACTIVE_WINDOW names) is Tk's wrapper, its X parent. It then reads JSON commands, one
per line, on stdin:

    {"title": "new title"}   retitle the window
    {"quit": true}           close the window and exit

and exits when stdin closes, so it never outlives the test that started it.
"""

from __future__ import annotations

import json
import os
import sys
import tkinter as tk


def main(argv: list[str]) -> int:
    """Run the window until told to quit or stdin closes."""
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    wm_class, title = argv[1], argv[2]
    root = tk.Tk(className=wm_class)
    root.title(title)
    root.geometry("320x120")
    tk.Label(root, text=wm_class).pack(expand=True)
    root.update()  # map it now, so the window manager starts managing it

    stdin = sys.stdin.fileno()
    pending = bytearray()

    def on_stdin(_fd: int, _mask: int) -> None:
        # Read the fd directly: a buffered readline() could swallow a second command
        # whose bytes arrived together with the first, and Tk would never call us again.
        chunk = os.read(stdin, 65536)
        if not chunk:
            root.destroy()
            return
        pending.extend(chunk)
        while b"\n" in pending:
            line, _, rest = bytes(pending).partition(b"\n")
            pending[:] = rest
            command = json.loads(line.decode("utf-8"))
            if "title" in command:
                root.title(command["title"])
            if command.get("quit"):
                root.destroy()
                return

    # createfilehandler keeps stdin in Tk's own event loop: no thread touches Tk.
    root.tk.createfilehandler(stdin, tk.READABLE, on_stdin)
    print(f"ready {root.winfo_id():#x}", flush=True)
    root.mainloop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
