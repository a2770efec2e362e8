"""Where samples come from: the active window and the time since the last input.

`base` holds the protocols and value types; one module per desktop implements them and is
imported only when chosen, so a missing library or display never breaks `import breather`.
"""
