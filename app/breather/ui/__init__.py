"""The desktop app: tray, main window pages and dialogs. Wired once in `ui.app`."""
