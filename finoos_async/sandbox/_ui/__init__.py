"""The sandbox's Banking UI: the page a connect session's ``redirectURL`` opens.

A small server-side rendered flow (no script, no external asset) that stands in for
the vendor's hosted Banking UI: choose one of the test banks in :mod:`._banks`, log
in with ``dummy`` / ``654321``, confirm the TAN shown on screen, and land on the
session's ``redirectURL`` with a generated login (:mod:`._generate`) added to the
user's logins. The routes are in :mod:`._flow`.
"""

from ._banks import BANKS, TestBank
from ._flow import MAX_ATTEMPTS, UI_ROUTES

__all__ = ["BANKS", "MAX_ATTEMPTS", "UI_ROUTES", "TestBank"]
