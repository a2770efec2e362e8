"""Fitting Breather into the person's desktop: start at login (one module per system) and the
applications-menu entry with its icons.

No Qt; imports only the standard library and `breather` itself (app id and name). The command
line and the UI call it.
"""
