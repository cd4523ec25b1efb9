"""A draft 考核办法 tried on a past year: every unit's score and rank under the draft beside the same
under the file in force, the rule that moved each unit whose rank changed, the spread of scores, and
the draft's rules that separate no one. Pure: both files' scores come in as worked out by
reports.scores over the same ledger, year and day.

- A unit's change in a rule is its points under the draft less its points under the file in force
  (0 where a file has no such rule, or no line for the unit). What moved it against the others is
  that change less the mean change of the ranked units in the same rule: a rule that gives every
  unit five more points moves no one.
- decided_by: for a unit whose rank changed, the rule with the largest such relative change in the
  direction it moved (up: the most gained on the others; down: the most lost); ties go to the rule
  listed first in the draft.
- A rule on a quota is met by a unit when every scored period reached its target (a ceiling: was
  kept); a rule counting items (points_each) has no target, so it is only checked for spread.
  none_met / all_met: no ranked unit / every ranked unit it scores met it; no_spread: every ranked
  unit earned the same points under it. Each such rule ranks no one apart.
"""

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from zhaoshang.parse import Period
from zhaoshang.quota import REGION
from zhaoshang.reports import Basis, ScoreLine, UnitScore

CENT = Decimal("0.01")
DraftRule = tuple[str, str, Decimal]  # a rule's id, title and whole points


class Verdict(StrEnum):
    none_met = "none_met"  # 无单位完成
    all_met = "all_met"  # 全部单位完成
    no_spread = "no_spread"  # 各单位得分相同
    region = "region"  # 全区指标：计分，不参与排名


@dataclass(frozen=True)
class UnitChange:
    unit: str
    in_force_total: Decimal | None  # None: the file scores nothing for the unit
    in_force_rank: int | None
    draft_total: Decimal | None
    draft_rank: int | None
    decided_by: str | None = None  # the rule's id (ranks unchanged: None)
    decided_title: str | None = None
    decided_points: Decimal | None = None  # the unit's change in it less the ranked units' mean change

    @property
    def moved(self) -> int | None:
        """Places gained (positive) or lost under the draft; None when one file does not rank it."""
        if self.in_force_rank is None or self.draft_rank is None:
            return None
        return self.in_force_rank - self.draft_rank


@dataclass(frozen=True)
class Spread:
    highest: Decimal | None
    lowest: Decimal | None

    @property
    def range(self) -> Decimal | None:
        return None if self.highest is None or self.lowest is None else self.highest - self.lowest


@dataclass(frozen=True)
class RuleCheck:
    rule: str
    title: str
    units: int  # ranked units the rule scores (a rule counting items: every ranked unit)
    met: int | None  # of them, how many met it (a rule counting items: None)
    highest: Decimal
    lowest: Decimal
    verdicts: tuple[Verdict, ...]


@dataclass
class Backtest:
    region: str
    year: Period
    as_of: date
    draft: str
    in_force: str
    units: list[UnitChange]
    draft_spread: Spread
    in_force_spread: Spread
    rules: list[RuleCheck]


def _ranked(scores: Sequence[UnitScore]) -> dict[str, UnitScore]:
    return {s.unit: s for s in scores if s.unit != REGION}


def _points(score: UnitScore | None) -> dict[str, Decimal]:
    out: dict[str, Decimal] = {}
    for line in score.lines if score else ():
        out[line.rule] = out.get(line.rule, Decimal(0)) + line.points
    return out


def _spread(scores: dict[str, UnitScore]) -> Spread:
    totals = [s.total for s in scores.values()]
    return Spread(max(totals), min(totals)) if totals else Spread(None, None)


def _met(lines: Sequence[ScoreLine], points: Decimal) -> bool | None:
    """Whether a unit met a rule on a quota: the rule's whole points earned, which takes every scored
    period at its target (a ceiling's: kept); a rule of penalties alone, nothing short. None: a rule
    counting items, or a rate with nothing to divide by."""
    if not lines or any(line.basis is not Basis.quota for line in lines):
        return None
    if points:
        return all(line.earned == points for line in lines)
    return all(line.short == 0 for line in lines)


def _rule_checks(draft: dict[str, UnitScore], region_rules: set[str], order: list[DraftRule]) -> list[RuleCheck]:
    checks = []
    for rule, title, whole in order:
        by_unit = {unit: [line for line in s.lines if line.rule == rule] for unit, s in draft.items()}
        scored = {unit: lines for unit, lines in by_unit.items() if lines}
        counts_items = any(line.basis is Basis.count for lines in scored.values() for line in lines)
        if not scored and rule in region_rules:
            checks.append(RuleCheck(rule, title, 0, None, Decimal(0), Decimal(0), (Verdict.region,)))
            continue
        # a rule counting items gives no line where it counted nothing: those units earned 0
        points = [sum((line.points for line in by_unit[u]), Decimal(0)) for u in (draft if counts_items else scored)]
        highest, lowest = (max(points), min(points)) if points else (Decimal(0), Decimal(0))
        met = None
        verdicts: list[Verdict] = []
        if scored and not counts_items:
            results = [_met(lines, whole) for lines in scored.values()]
            if all(r is not None for r in results):
                met = sum(1 for r in results if r)
                if met == 0:
                    verdicts.append(Verdict.none_met)
                elif met == len(scored):
                    verdicts.append(Verdict.all_met)
        if len(points) > 1 and highest == lowest:
            verdicts.append(Verdict.no_spread)
        checks.append(RuleCheck(rule, title, len(points), met, highest, lowest, tuple(verdicts)))
    return checks


def backtest(
    region: str,
    year: Period,
    as_of: date,
    draft_path: str,
    in_force_path: str,
    draft_scores: Sequence[UnitScore],
    in_force_scores: Sequence[UnitScore],
    draft_rules: Sequence[DraftRule],
) -> Backtest:
    """`draft_rules`: the draft's year rules in its order."""
    draft, current = _ranked(draft_scores), _ranked(in_force_scores)
    region_rules = {line.rule for s in draft_scores if s.unit == REGION for line in s.lines}
    units = sorted(set(draft) | set(current), key=lambda u: (u not in draft, draft[u].rank if u in draft else 0, u))
    rules = [rule for rule, _, _ in draft_rules]
    rules += sorted({r for s in current.values() for r in _points(s)} - set(rules))  # dropped by the draft
    titles = {rule: title for rule, title, _ in draft_rules} | {
        line.rule: line.title for scores in (in_force_scores, draft_scores) for s in scores for line in s.lines
    }
    change = {}
    for unit in units:
        now, then = _points(draft.get(unit)), _points(current.get(unit))
        change[unit] = {r: now.get(r, Decimal(0)) - then.get(r, Decimal(0)) for r in rules}
    mean = {r: sum((change[u][r] for u in units), Decimal(0)) / len(units) for r in rules} if units else {}
    out = []
    for unit in units:
        d, c = draft.get(unit), current.get(unit)
        row = UnitChange(
            unit, c.total if c else None, c.rank if c else None, d.total if d else None, d.rank if d else None
        )
        moved = row.moved
        if moved:
            relative = [(change[unit][r] - mean[r], index, r) for index, r in enumerate(rules)]
            sign = 1 if moved > 0 else -1
            best = max(relative, key=lambda t: (sign * t[0], -t[1]))
            points = best[0].quantize(CENT, ROUND_HALF_UP)
            row = replace(row, decided_by=best[2], decided_title=titles[best[2]], decided_points=points)
        out.append(row)
    return Backtest(
        region,
        year,
        as_of,
        draft_path,
        in_force_path,
        out,
        _spread(draft),
        _spread(current),
        _rule_checks(draft, region_rules, [(rule, titles[rule], whole) for rule, _, whole in draft_rules]),
    )
