"""Two years' quota files compared in the office's words (`zs targets diff OLD NEW`).

Items are matched by id within their kind (单位, 人员, 指标, 活动, 竞赛榜, 考核, 红黑榜, 通报栏目); each
change reads as the office would say it: `town-visits: 每个镇街 每月 走访企业(家) ≥ 2 → ≥ 3`.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal

from zhaoshang.config import Targets
from zhaoshang.labels import label
from zhaoshang.render import describe

ChangeKind = Literal["added", "removed", "changed"]


@dataclass(frozen=True)
class Change:
    section: str  # 单位, 指标 …
    id: str
    change: ChangeKind
    old: str | None
    new: str | None

    def line(self) -> str:
        if self.change == "added":
            return f"+ {self.section} {self.id}: {self.new}"
        if self.change == "removed":
            return f"- {self.section} {self.id}: {self.old}"
        return f"~ {self.section} {self.id}: {_arrow(self.old or '', self.new or '')}"


def _arrow(old: str, new: str) -> str:
    """`old → new`, the new side from its first changed word on (with the comparison sign before a
    changed number): `每个镇街 每月 走访企业(家) ≥ 2 → ≥ 3`."""
    before, after = old.split(" "), new.split(" ")
    k = next((i for i, (a, b) in enumerate(zip(before, after, strict=False)) if a != b), min(len(before), len(after)))
    if k == 0:
        return f"{old} → {new}"
    if k < len(after) and after[k - 1] in ("≥", "≤"):
        k -= 1
    return f"{old} → {' '.join(after[k:]) or '（无）'}"


def _section(section: str, old: dict[str, str], new: dict[str, str]) -> Iterable[Change]:
    for ident in old:
        if ident not in new:
            yield Change(section, ident, "removed", old[ident], None)
        elif old[ident] != new[ident]:
            yield Change(section, ident, "changed", old[ident], new[ident])
    for ident in new:
        if ident not in old:
            yield Change(section, ident, "added", None, new[ident])


def _words(items: Iterable, say: Callable) -> dict[str, str]:
    return {item.id: say(item) for item in items}


def _quota(q, region: str) -> str:
    where = f"【{q.campaign.id}】" if q.campaign else ""
    return f"{where}{q.title}：{describe.quota(q, region)}"


def diff(old: Targets, new: Targets) -> list[Change]:
    """Every difference between two quota files, section by section."""
    changes: list[Change] = []
    top = {"region": old.region, "year": str(old.year or "")}, {"region": new.region, "year": str(new.year or "")}
    changes += _section("文件", *top)
    changes += _section(
        "单位", {n: label(k) for n, k in old.units.items()}, {n: label(k) for n, k in new.units.items()}
    )
    changes += _section(
        "人员",
        {f"{p.unit}/{p.name}": label(p.role) for p in old.people},
        {f"{p.unit}/{p.name}": label(p.role) for p in new.people},
    )
    changes += _section("汇率", _rates(old), _rates(new))
    changes += _section("活动", _words(old.campaigns, describe.campaign), _words(new.campaigns, describe.campaign))
    changes += _section(
        "指标", _words(old.quotas, lambda q: _quota(q, old.region)), _words(new.quotas, lambda q: _quota(q, new.region))
    )
    changes += _section(
        "竞赛榜",
        _words(old.rankings, lambda r: describe.ranking(r, old.region)),
        _words(new.rankings, lambda r: describe.ranking(r, new.region)),
    )
    changes += _section(
        "考核",
        _words(old.scoring, lambda r: describe.rule(r, old.region)),
        _words(new.scoring, lambda r: describe.rule(r, new.region)),
    )
    changes += _section("红黑榜", _words(old.red_black, describe.red_black), _words(new.red_black, describe.red_black))
    changes += _section(
        "通报栏目",
        {c.id: f"{c.title}：{describe.metric(c.metric)}" for c in old.bulletin},
        {c.id: f"{c.title}：{describe.metric(c.metric)}" for c in new.bulletin},
    )
    return changes


def _rates(spec: Targets) -> dict[str, str]:
    return {code.value: f"1{label(code)}={rate.normalize():f}元" for code, rate in spec.rates.items()}
