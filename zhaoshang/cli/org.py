"""`zs unit …` and `zs person …`: the units of the region and the people who lead and report."""

from typing import Annotated

import typer

from zhaoshang.cli.common import Csv, Db, Json, Width, command_group, done, one_of, open_ledger, print_json, print_rows

units = command_group("unit")
people = command_group("person")


@units.command("add")
def unit_add(
    name: Annotated[str, typer.Argument(help="单位名称，如 萧镇。")],
    kind: Annotated[
        str,
        typer.Option(
            help="单位类型：投促中心 center、镇街 town、园区 park、部门 department、招商小组 group、县市区 county。"
        ),
    ],
    db: Db = None,
) -> None:
    """新增单位。"""
    from zhaoshang import ledger
    from zhaoshang.db import writing
    from zhaoshang.labels import UnitKind, label, parse_code

    code = parse_code(UnitKind, kind, "--kind")
    with writing(open_ledger(db)) as session:
        unit = ledger.add_unit(session, name, code)
    done(f"added unit #{unit.id} {unit.name} ({label(unit.kind)})")


@units.command("list")
def unit_list(db: Db = None, json: Json = False, csv: Csv = False, width: Width = None) -> None:
    """列出各单位及其类型和人数。"""
    from zhaoshang import ledger
    from zhaoshang.db import reading
    from zhaoshang.labels import label

    one_of(("--json", json), ("--csv", csv))
    with reading(open_ledger(db)) as session:
        rows = ledger.list_units(session)
    if json:
        return print_json(rows)
    print_rows(
        "单位",
        [("ID", "right"), ("单位", "left"), ("类型", "left"), ("人员", "right")],
        [(str(u.id), u.name, label(u.kind), str(u.people)) for u in rows],
        csv=csv,
    )


@people.command("add")
def person_add(
    name: Annotated[str, typer.Argument(help="姓名。")],
    unit: Annotated[str, typer.Option(help="所在单位。")],
    role: Annotated[
        str, typer.Option(help="职务：主要负责人 main_leader、分工负责人 deputy、工作人员 staff。")
    ] = "staff",
    db: Db = None,
) -> None:
    """为单位新增人员。"""
    from zhaoshang import ledger
    from zhaoshang.db import writing
    from zhaoshang.labels import Role, label, parse_code

    code = parse_code(Role, role, "--role")
    with writing(open_ledger(db)) as session:
        person = ledger.add_person(session, name, unit, code)
    done(f"added person #{person.id} {person.name} ({person.unit}, {label(person.role)})")


@people.command("list")
def person_list(
    unit: Annotated[str | None, typer.Option(help="只列此单位。")] = None,
    db: Db = None,
    json: Json = False,
    width: Width = None,
    csv: Csv = False,
) -> None:
    """列出人员及其单位和职务。"""
    from zhaoshang import ledger
    from zhaoshang.db import reading
    from zhaoshang.labels import label

    one_of(("--json", json), ("--csv", csv))
    with reading(open_ledger(db)) as session:
        rows = ledger.list_people(session, unit)
    if json:
        return print_json(rows)
    print_rows(
        "人员",
        [("ID", "right"), ("姓名", "left"), ("单位", "left"), ("职务", "left")],
        [(str(p.id), p.name, p.unit, label(p.role)) for p in rows],
        csv=csv,
    )
