"""The ``finoos`` command (also ``python -m finoos_async``).

``finoos demo`` runs the quickstart end to end (on the embedded sandbox unless
``FINOOS_*`` point elsewhere), ``finoos sandbox`` serves the sandbox on a port,
``finoos logins USER_ID`` prints a user's logins. Expected failures print one
line (error type, message, request id) and exit 1; ``--verbose`` shows the
SDK's debug log, which never contains a secret or token.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

import anyio

from .._exceptions import FinoError

__all__ = ["main"]


def build_parser() -> argparse.ArgumentParser:
    """The ``finoos`` argument parser."""
    parser = argparse.ArgumentParser(
        prog="finoos", description="The finoOS v1 SDK's command line: demo, sandbox, logins."
    )
    parser.add_argument("--verbose", "-v", action="store_true", help="show debug logs")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    demo = commands.add_parser(
        "demo",
        help="run the quickstart end to end (embedded sandbox unless FINOOS_* are set)",
    )
    demo.add_argument("--users", type=int, default=200, help="users for the bulk fetch")
    demo.add_argument("--concurrency", type=int, default=20, help="bulk calls in flight")

    commands.add_parser(
        "sandbox",
        help="serve the sandbox on a port (same as python -m finoos_async.sandbox)",
        add_help=False,
    )

    logins = commands.add_parser("logins", help="print a user's logins (needs FINOOS_*)")
    logins.add_argument("user_id", metavar="USER_ID")
    logins.add_argument("--json", action="store_true", help="print JSON with exact amounts")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``finoos`` command; return the exit status."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments[:1] == ["sandbox"]:
        from ..sandbox._cli import build_parser as sandbox_parser
        from ..sandbox._cli import main as sandbox_main

        if "-h" in arguments[1:] or "--help" in arguments[1:]:
            sandbox_parser(prog="finoos sandbox").print_help()
            return 0
        return sandbox_main(arguments[1:])

    args = build_parser().parse_args(arguments)
    logger = logging.getLogger("finoos_async")
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    level = logger.level
    if args.verbose:
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG)
    try:
        if args.command == "demo":
            from ._demo import run_demo

            return anyio.run(run_demo, args.users, args.concurrency)
        from ._logins import print_logins

        return anyio.run(print_logins, args.user_id, args.json)
    except FinoError as exc:
        print(f"error: {_describe(exc)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


def _describe(error: FinoError) -> str:
    kind = getattr(error, "type", None) or type(error).__name__
    where = f" (request id {error.request_id})" if error.request_id else ""
    return f"{kind}: {error.message}{where}"
