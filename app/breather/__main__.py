"""`python -m breather` is the `breather` command."""

import sys

from breather.cli.main import main

sys.exit(main())
