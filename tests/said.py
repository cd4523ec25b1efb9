"""Helpers shared by the report tests."""


def said(line: dict) -> dict:
    """A score line of a report's JSON as a reader sees it: the rule, its points and the reason in words."""
    return {k: line[k] for k in ("rule", "title", "points", "reason")}
