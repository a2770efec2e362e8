"""The person's settings: `breather.toml` read key by key and written back with their comments.

`model` holds the typed settings and their reader (every problem names file, line and key),
`writer` edits the file in place, `durations` reads "1h30m", `paths` finds the data and config
folders and keeps them owner-only. Domain: imports `rules.policy`, `categories` and
`tracking.privacy` beneath it, never Qt, the store or anything above.
"""
