"""``python -m finoos_async.sandbox``: serve a sandbox on a port from a shell."""

from __future__ import annotations

import argparse
import importlib.util
import sys
from collections.abc import Sequence

from ._app import DEFAULT_API_VERSION, DEFAULT_NAME, DEFAULT_SECRET, Sandbox
from ._handlers import API_PREFIX
from ._state import CONNECT_SESSION_TTL

__all__ = ["build_parser", "main"]


def build_parser(prog: str = "python -m finoos_async.sandbox") -> argparse.ArgumentParser:
    """The command line's options, reusable by a ``finoos sandbox`` subcommand."""
    parser = argparse.ArgumentParser(
        prog=prog,
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
        description="Serve a stateful fake finoOS v1 API. Prints shell lines with the "
        "base URL and credentials, then serves until Ctrl-C.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind")
    parser.add_argument(
        "--port",
        type=int,
        default=8080,
        help="port to bind; 0 picks a free one",
    )
    parser.add_argument("--name", default=DEFAULT_NAME, help="account name")
    parser.add_argument("--secret", default=DEFAULT_SECRET, help="account secret")
    parser.add_argument(
        "--access-ttl", type=float, default=300.0, help="access token lifetime in seconds"
    )
    parser.add_argument(
        "--refresh-ttl", type=float, default=1800.0, help="refresh token lifetime in seconds"
    )
    parser.add_argument(
        "--connect-session-ttl",
        type=float,
        default=CONNECT_SESSION_TTL,
        help="seconds a connect session's Banking UI can be used for",
    )
    parser.add_argument(
        "--api-version",
        default=DEFAULT_API_VERSION,
        help="account API version",
    )
    parser.add_argument("--access-log", action="store_true", help="log every request to stderr")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the sandbox server in the foreground; return the process exit status."""
    args = build_parser().parse_args(argv)
    try:
        sandbox = Sandbox(
            name=args.name,
            secret=args.secret,
            access_token_ttl=args.access_ttl,
            refresh_token_ttl=args.refresh_ttl,
            api_version=args.api_version,
            connect_session_ttl=args.connect_session_ttl,
        )
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if importlib.util.find_spec("uvicorn") is None:
        print("error: serving needs uvicorn: pip install 'finoos_async[sandbox]'", file=sys.stderr)
        return 1
    from ._server import bind, make_server, origin_of

    try:
        sock = bind(args.host, args.port)
    except OSError as exc:
        print(f"error: cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 1
    print(f"FINOOS_BASE_URL={origin_of(sock)}{API_PREFIX}")
    print(f"FINOOS_NAME={sandbox.name}")
    print(f"FINOOS_SECRET={sandbox.secret}", flush=True)
    try:
        make_server(sandbox, quiet=False, access_log=args.access_log).run(sockets=[sock])
    except KeyboardInterrupt:
        # uvicorn re-raises the Ctrl-C it handled once it has shut down cleanly.
        pass
    finally:
        sock.close()
    return 0
