"""A report as JSON for scripts: the engine's quota rows as they are, money in integer yuan."""

from dataclasses import asdict

from zhaoshang.render import describe
from zhaoshang.reports import Report


def report_dict(report: Report) -> dict:
    return {
        "report": report.kind,
        "title": report.title,
        "region": report.region,
        "window": {"label": report.window.label, "start": report.window.start, "end": report.window.end},
        "as_of": report.as_of,
        "quotas": report.quotas,
        "units": report.units,
        "key_projects": report.key_projects,
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
            for r in report.rankings
        ],
        "scores": report.scores,
        "alerts": report.alerts,
        "details": report.details,
    }
