"""`zs targets …`: the quota file — what it asks for, and whether it says it right."""

from typing import Annotated

import typer

from zhaoshang.cli.common import Json, command_group, print_json

app = command_group("targets")


@app.command()
def check(
    path: Annotated[
        str | None,
        typer.Argument(
            help="The quota file. Default: $ZS_TARGETS, else ./config/targets.yaml, else the shipped one.",
            show_default=False,
        ),
    ] = None,
    json: Json = False,
) -> None:
    """Validate a targets.yaml and summarise its units, quotas, campaigns, rankings and scoring."""
    from zhaoshang.config import load_targets
    from zhaoshang.paths import targets_location
    from zhaoshang.render import describe
    from zhaoshang.render.table import print_table

    spec = load_targets(targets_location(path))
    if json:
        return print_json(
            {
                "path": str(spec.path),
                "region": spec.region,
                "year": spec.year,
                "units": {name: kind for name, kind in spec.units.items()},
                "people": len(spec.people),
                "quotas": [
                    {
                        "id": q.id,
                        "title": q.title,
                        "campaign": q.campaign.id if q.campaign else None,
                        "per": q.per,
                        "at_least": q.at_least,
                        "reads": describe.quota(q),
                    }
                    for q in spec.quotas
                ],
                "campaigns": [{"id": c.id, "title": c.title, "from": c.start, "to": c.end} for c in spec.campaigns],
                "rankings": [r.id for r in spec.rankings],
                "scoring": [s.id for s in spec.scoring],
            }
        )
    typer.echo(f"{spec.path}: ok — {spec.region or '(no region)'} {spec.year or ''}".rstrip())
    typer.echo(
        f"{len(spec.units)} units, {len(spec.people)} people, {len(spec.quotas)} quotas, "
        f"{len(spec.campaigns)} campaigns, {len(spec.rankings)} rankings, {len(spec.scoring)} scoring rules"
    )
    for campaign in [None, *spec.campaigns]:
        quotas = [q for q in spec.quotas if q.campaign == campaign]
        if campaign is None and not quotas:
            continue
        title = f"活动 {campaign.title} {campaign.start}~{campaign.end}" if campaign else f"{spec.year or ''}年度指标"
        print_table(
            title,
            [("ID", "nowrap"), ("名称", "left"), ("要求", "left")],
            [(q.id, q.title, describe.quota(q)) for q in quotas],
        )
    for ranking in spec.rankings:
        print_table(
            f"竞赛榜 {ranking.title} ({describe.who(ranking.among)}, {describe.PER_WORDS[ranking.per]})",
            [("指标", "left"), ("权重", "right")],
            [(describe.metric(b.metric), f"{b.weight.normalize():f}") for b in ranking.by],
        )
