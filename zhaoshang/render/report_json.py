"""A report as JSON for scripts: the engine's typed values as they are (money in integer yuan, codes in
English), with the sentences the other renderers show beside them (`title`, a score line's `reason`,
an alert's `subject`, `detail` and `responsible`)."""

from dataclasses import asdict
from typing import Any

from zhaoshang.render import describe, words
from zhaoshang.reports import (
    AlertsReport,
    BulletinReport,
    MonthReport,
    QuotaReport,
    Report,
    ScoreReport,
    key_category,
    rankings_of,
    red_black_of,
)


def report_dict(report: Report) -> dict[str, Any]:
    rankings = rankings_of(report)
    return {
        "report": report.kind,
        "title": words.document_title(report),
        "region": report.region,
        "window": {"label": report.window.label, "start": report.window.start, "end": report.window.end},
        "as_of": report.as_of,
        "quotas": report.quotas if isinstance(report, QuotaReport) else [],
        "formats": report.formats if isinstance(report, QuotaReport) else {},  # quota id -> count, money or rate
        "units": _units(report) if isinstance(report, BulletinReport) else [],
        "totals": _totals(report) if isinstance(report, BulletinReport) else {},
        "key_projects": [
            {
                "category": key_category(p),
                **{k: v for k, v in asdict(p).items() if k != "progress_notes"},  # `progress` holds them
                "progress": "；".join(p.progress),
                "problems": "；".join(p.problems),
            }
            for p in (report.key_projects if isinstance(report, MonthReport) else [])
        ],
        "rankings": [
            {
                "id": r.id,
                "title": r.title,
                "period": r.period,
                "campaign": r.campaign,
                "among": "people" if r.people else "units",
                "metrics": [
                    {"reads": describe.rank_by(b), "weight": b.weight}
                    | ({"quota": b.quota, "measure": b.measure} if b.quota else {})
                    for b in r.by
                ],
                "entries": [asdict(e) for e in r.entries],
            }
            for r in rankings
        ],
        "red_black": [asdict(t) for t in red_black_of(report)],
        "scores": [
            {**asdict(s), "lines": [{**asdict(line), "reason": words.score_reason(line)} for line in s.lines]}
            for s in (report.scores if isinstance(report, ScoreReport) else [])
        ],
        "campaign": getattr(report, "campaign", None) or None,
        "alerts": [
            {
                **asdict(a),
                "subject": words.alert_subject(a, report.region),
                "detail": words.alert_detail(a),
                "responsible": words.alert_responsible(a, report.region),
            }
            for a in (report.alerts if isinstance(report, AlertsReport) else [])
        ],
        "details": report.details if isinstance(report, QuotaReport) else [],
    }


def _units(report: BulletinReport) -> list[dict[str, Any]]:
    """Each unit's line of the bulletin: its value under each column's id (money in integer yuan)."""
    return [{"unit": u.unit} | _line(report, u.values) for u in report.units]


def _totals(report: BulletinReport) -> dict[str, Any]:
    """The 合计 line: each column's figure for the whole region (a joint trip once, not once a unit)."""
    return _line(report, report.totals) if report.totals else {}


def _line(report: BulletinReport, values) -> dict[str, Any]:
    return {
        c.id: int(v) if c.metric.kind in ("money", "count") else v for c, v in zip(report.columns, values, strict=True)
    }
