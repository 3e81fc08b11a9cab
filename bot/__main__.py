"""`python -m bot` runs the `tanyakota` command line."""

import sys

from bot.cli import main

sys.exit(main())
