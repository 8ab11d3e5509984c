"""``python -m finoos_async``: the ``finoos`` command."""

import sys

from ._cli import main

sys.exit(main())
