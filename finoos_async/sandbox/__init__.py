"""A faithful, stateful fake finoOS v1 server for tests, demos and benchmarks.

:class:`Sandbox` is an ASGI application that keeps users, logins and tokens in
memory, journals every request, and injects faults on demand. Use it in-process
through :meth:`Sandbox.transport`, on a loopback port through
:meth:`Sandbox.serve_in_thread`, or from a shell::

    python -m finoos_async.sandbox --port 0

Example::

    from finoos_async.sandbox import FakeClock, Fault, Sandbox

    clock = FakeClock()
    sandbox = Sandbox(
        clock=clock,
        faults=[Fault(route="POST /users", kind="status", status=503, times=1)],
    )
"""

from ._app import DEFAULT_NAME, DEFAULT_SECRET, Sandbox
from ._clock import FakeClock
from ._faults import Fault, FaultTable
from ._journal import Journal, JournalEntry

__all__ = [
    "DEFAULT_NAME",
    "DEFAULT_SECRET",
    "FakeClock",
    "Fault",
    "FaultTable",
    "Journal",
    "JournalEntry",
    "Sandbox",
]
