"""Breather: a calm tray app for mindful screen use. Everything stays on this machine.

The packages below are layered (see the README's "How it is built"); this module itself holds
only the app's name, id and version, imports nothing, and every package may import it.
"""

APP_NAME = "Breather"
#: One id for the desktop file, the AppStream metainfo, the window class and the icon name.
APP_ID = "io.github.breather.Breather"
#: The one place the version is written: the build reads it from here (pyproject.toml), so the
#: app never needs importlib.metadata (~3.5 MB of the tray app's memory) to know it.
__version__ = "0.1.0"
#: The command line of a child process that migrates a database (`store.open_store`); not a
#: command for people. Here so that `breather` can recognise it without importing the store.
MIGRATE_COMMAND = "migrate-database"
