"""zs — the investment-promotion ledger (招商引资台账)."""

__version__ = "0.1.0"
