"""Thin method groups, one per API area, all bound to one client's pipeline."""
