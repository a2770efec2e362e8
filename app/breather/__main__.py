"""`python -m breather` is the `breather` command."""

import sys

from breather.cli import main

sys.exit(main())
