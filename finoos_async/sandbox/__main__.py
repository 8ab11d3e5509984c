"""Serve a sandbox from a shell: ``python -m finoos_async.sandbox --port 0``."""

from ._cli import main

raise SystemExit(main())
