"""Breather: a calm tray app for mindful screen use. Everything stays on this machine."""

from importlib.metadata import PackageNotFoundError, version

APP_NAME = "Breather"
#: One id for the desktop file, the AppStream metainfo, the window class and the icon name.
APP_ID = "io.github.breather.Breather"

try:
    __version__ = version("breather")
except PackageNotFoundError:  # running from a checkout that was never installed
    __version__ = "0.0.0+unknown"
