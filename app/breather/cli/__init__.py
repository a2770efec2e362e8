"""The `breather` command line: the entry point of everything Breather does.

`main` parses the command and hands it to one module per group of subcommands (`run`,
`reports`, `configuration`, `data`, `desktop`), which share `common` and nothing else. The top
layer: it may import every other package of Breather, and nothing imports it.
"""
