"""``python -m spamguard.cli``."""

import sys

from spamguard.cli.app import main

sys.exit(main())
