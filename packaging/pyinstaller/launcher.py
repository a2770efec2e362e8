"""The frozen bundle's entry point: the same `breather` command as a pip install has."""

import sys

from breather.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
