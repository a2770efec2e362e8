"""X11 desktops: the active window and idle time (`desktop`), and whether the window in front
is fullscreen (`fullscreen`). python-xlib is imported only when a display is opened.
"""
