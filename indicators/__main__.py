"""Entry point: `python -m indicators ...` (see indicators/cli.py)."""

import sys

from indicators.cli import main

sys.exit(main())
