"""Breather: a calm tray app for mindful screen use. Everything stays on this machine."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("breather")
except PackageNotFoundError:  # running from a checkout that was never installed
    __version__ = "0.0.0+unknown"
