"""Help one click away: the shipped catalogue of crisis lines and self-help, chosen by region.

`catalogue` reads `resources/self-help.toml`. Domain: imports only `breather.resources`.
"""
