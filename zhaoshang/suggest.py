"""'Did you mean 萧镇?': the closest names to one mistyped. Standard library only."""

from collections.abc import Iterable
from difflib import get_close_matches


def closest(typed: str, names: Iterable[str], count: int = 3) -> list[str]:
    """The names most like `typed`: those that hold it or that it holds (萧 → 萧镇), then the nearest by
    characters in common (萧真 → 萧镇), best first."""
    typed = typed.strip()
    known = list(dict.fromkeys(names))
    if not typed:
        return []
    holding = [n for n in known if n != typed and (typed in n or n in typed)]
    # a short name differs in one of two or three characters (萧真); a longer one must share more than
    # a common ending (空降招商 is not 驻点招商)
    near = get_close_matches(typed, known, n=count, cutoff=0.5 if len(typed) <= 3 else 0.6)
    return list(dict.fromkeys([*holding, *near]))[:count]


def did_you_mean(typed: str, names: Iterable[str]) -> str | None:
    """'did you mean 萧镇?' (or '萧镇 or 商家镇?'), or None when nothing is close."""
    found = closest(typed, names)
    return f"did you mean {' or '.join(found)}?" if found else None
