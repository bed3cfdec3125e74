"""`python -m desktop` and the frozen application's entry point."""

import sys

from desktop.cli import main

sys.exit(main())
