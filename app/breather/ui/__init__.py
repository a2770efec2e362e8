"""The desktop app: tray, main window pages and dialogs, wired once in `ui.app`.

Widgets only here. May import the runtime and everything beneath it; never the command line.
"""
