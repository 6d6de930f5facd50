"""`python -m moldova_personas.release verify|current|baseline ...`: the release contract's command line."""

import sys

from moldova_personas.release.contract import main

sys.exit(main())
