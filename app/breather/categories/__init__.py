"""Which category a window belongs to: app and title patterns, the shipped catalogue, the
person's own rules.

`patterns` compiles what the person writes (plain text, wildcards, `re:`), `catalogue` turns
(app, title) into a category. Domain: imports only `breather.resources` and the standard
library.
"""
