"""From what the desktop shows to what may be recorded: spans and the privacy filter.

`spans` turns samples into spans (switches, idle cut back to the last input, gaps never
bridged); `privacy` drops excluded apps and titles before anything is written, and keeps the
pause switch. Pure domain: imports only `breather.monitor.base` and `breather.categories`.
"""
