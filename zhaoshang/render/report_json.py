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
)


def report_dict(report: Report) -> dict[str, Any]:
    rankings = rankings_of(report)
    return {
        "report": report.kind,
        "title": words.title(report),
        "region": report.region,
        "window": {"label": report.window.label, "start": report.window.start, "end": report.window.end},
        "as_of": report.as_of,
        "quotas": report.quotas if isinstance(report, QuotaReport) else [],
        "units": report.units if isinstance(report, BulletinReport) else [],
        "key_projects": [
            {
                "category": key_category(p),
                **asdict(p),
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
                "metrics": [
                    {"reads": describe.metric(m), "weight": w} for m, w in zip(r.metrics, r.weights, strict=True)
                ],
                "entries": [asdict(e) for e in r.entries],
            }
            for r in rankings
        ],
        "scores": [
            {**asdict(s), "lines": [{**asdict(line), "reason": words.score_reason(line)} for line in s.lines]}
            for s in (report.scores if isinstance(report, ScoreReport) else [])
        ],
        "alerts": [
            {
                **asdict(a),
                "subject": words.alert_subject(a),
                "detail": words.alert_detail(a),
                "responsible": words.alert_responsible(a),
            }
            for a in (report.alerts if isinstance(report, AlertsReport) else [])
        ],
        "details": report.details if isinstance(report, QuotaReport) else [],
    }
