"""`zs company …`: the company register 客商库 — tiers, origin, industry, contact; near-duplicates merged."""

from typing import Annotated

import typer

from zhaoshang.cli.common import Csv, Db, Json, Width, command_group, done, one_of, open_ledger, print_json, print_rows

app = command_group("company")

Name = Annotated[str, typer.Argument(metavar="NAME", help="企业名称，与活动和项目中的写法一致。")]
Tiers = Annotated[
    list[str] | None,
    typer.Option(
        "--tier",
        help="企业类别（多个时重复给出）：世界500强 global500、中国500强 china500、民营500强 private500、"
        "上市公司 listed、行业百强 industry100、央企 soe、外资企业 foreign。",
    ),
]
Origin = Annotated[str | None, typer.Option(help="来源地，如 深圳、香港。")]
Industry = Annotated[str | None, typer.Option(help="所属产业，如 新能源。")]
Contact = Annotated[str | None, typer.Option(help="联系人及电话（自由填写）。")]


def _codes(values: list[str] | None, field: str) -> list:
    from zhaoshang.labels import Tier, parse_code

    return [parse_code(Tier, value, field) for value in values or []]


def _line(company) -> str:
    from zhaoshang.labels import label

    tiers = "、".join(label(t) for t in company.tiers)
    return f"#{company.id} {company.name}" + (f" ({tiers})" if tiers else "")


@app.command()
def add(
    name: Name,
    tier: Tiers = None,
    origin: Origin = None,
    industry: Industry = None,
    contact: Contact = None,
    db: Db = None,
) -> None:
    """在客商库中新增企业。"""
    from zhaoshang import register
    from zhaoshang.db import writing
    from zhaoshang.render.fmt import shown

    tiers = _codes(tier, "--tier")
    with writing(open_ledger(db)) as session:
        company = register.add_company(session, name, tiers=tiers, origin=origin, industry=industry, contact=contact)
    done(shown(f"added company {_line(company)}"))


@app.command("set")
def set_(
    name: Name,
    tier: Tiers = None,
    no_tier: Annotated[list[str] | None, typer.Option("--no-tier", help="要去掉的企业类别（可重复）。")] = None,
    origin: Origin = None,
    industry: Industry = None,
    contact: Contact = None,
    db: Db = None,
) -> None:
    """更正企业信息：加类别（--tier）、去类别（--no-tier）、改其他字段。可撤销。"""
    from zhaoshang import register
    from zhaoshang.db import writing
    from zhaoshang.render.fmt import shown

    added, removed = _codes(tier, "--tier"), _codes(no_tier, "--no-tier")
    with writing(open_ledger(db)) as session:
        company = register.set_company(
            session, name, add_tiers=added, remove_tiers=removed, origin=origin, industry=industry, contact=contact
        )
    done(shown(f"set company {_line(company)}"))


@app.command("list")
def list_(
    tier: Annotated[str | None, typer.Option(help="只列此类别的企业。")] = None,
    similar: Annotated[
        bool,
        typer.Option("--similar", help="只列很可能是同一企业的不同名称（如 比亚迪 / 比亚迪股份有限公司）。"),
    ] = False,
    db: Db = None,
    json: Json = False,
    width: Width = None,
    csv: Csv = False,
) -> None:
    """按名称列出客商库，并列出各企业涉及的活动数和项目数。"""
    from zhaoshang import register
    from zhaoshang.db import reading
    from zhaoshang.labels import label

    one_of(("--json", json), ("--csv", csv))
    code = _codes([tier], "--tier")[0] if tier else None
    with reading(open_ledger(db)) as session:
        if similar:
            groups = register.similar(session)
            rows = [c for group in groups for c in group if code is None or code in c.tiers]
        else:
            groups, rows = [], register.list_companies(session, tier=code)
    if json:
        return print_json([[c for c in group] for group in groups] if similar else rows)
    group_of = {c.id: at for at, group in enumerate(groups, start=1) for c in group}
    headers = [("ID", "right"), ("企业", "left"), ("类别", "left"), ("来源地", "left"), ("产业", "left")]
    headers += [("活动", "right"), ("项目", "right")]
    print_rows(
        "客商库" + (" 疑似重复" if similar else ""),
        ([("组", "right")] if similar else []) + headers,
        [
            ([str(group_of[c.id])] if similar else [])
            + [
                str(c.id),
                c.name,
                "、".join(label(t) for t in c.tiers),
                c.origin or "",
                c.industry or "",
                str(c.activities),
                str(c.projects),
            ]
            for c in rows
        ],
        csv=csv,
    )


@app.command()
def show(name: Name, db: Db = None, json: Json = False) -> None:
    """查看一家企业及其走访、外出招商、接待和项目，按日期排列。"""
    from zhaoshang import register
    from zhaoshang.db import reading
    from zhaoshang.render.table import print_table

    with reading(open_ledger(db)) as session:
        company = register.show_company(session, name)
    if json:
        return print_json(company)
    details = [company.origin, company.industry, company.contact]
    typer.echo(" · ".join([_line(company), *(d for d in details if d)]))
    print_table(
        "记录",
        [("日期", "nowrap"), ("记录", "left"), ("类型", "left"), ("单位", "left"), ("内容", "left")],
        [
            (
                e.date.isoformat(),
                f"{'活动' if e.table == 'activity' else '项目'} #{e.id}",
                e.label + (" (已作废)" if e.voided else ""),
                "、".join(e.units),
                e.text,
            )
            for e in company.records
        ],
    )


@app.command()
def merge(
    keep: Annotated[str, typer.Argument(metavar="A", help="保留的名称。")],
    gone: Annotated[str, typer.Argument(metavar="B", help="同一企业的另一名称；合并后从客商库中去掉。")],
    db: Db = None,
) -> None:
    """同一企业有两个名称：B 的记录、类别和字段并入 A，B 去掉。可撤销。"""
    from zhaoshang import register
    from zhaoshang.db import writing
    from zhaoshang.render.fmt import shown

    with writing(open_ledger(db)) as session:
        company = register.merge_companies(session, keep, gone)
    done(
        shown(
            f"merged {gone} into company {_line(company)}: {company.activities} activities, {company.projects} projects"
        )
    )
