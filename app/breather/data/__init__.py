"""The person's data in and out: exports (CSV, JSON Lines), imports (ActivityWatch, Breather's
own JSON Lines) and the text and JSON of `breather report`.

Reads and writes through `breather.store`; imports the domain beneath it, never Qt, the
runtime, the UI or the command line.
"""
