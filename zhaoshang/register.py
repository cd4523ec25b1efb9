"""The company register 客商库: companies with their tiers (世界500强 …), origin, industry and contact.

Activities and projects name a company by its name; a name typed there that the register lacks
becomes a company (`ledger.ensure_companies`). Here companies are added, corrected, listed, shown
with every record that names them, and merged where two names are one company. Like ledger.py, every
function takes parsed values, checks them, and raises `ZsError` before writing anything.
"""

import re
from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import func
from sqlmodel import Session, select

from zhaoshang.errors import ZsError
from zhaoshang.labels import ActivityKind, Stage, Tier, label
from zhaoshang.ledger import _stamp, _text
from zhaoshang.models import Activity, ActivityCompany, ActivityUnit, Company, CompanyTier, Milestone, Project, Unit
from zhaoshang.records import CompanyDetail, CompanyEntry, CompanyRecord

_FIELDS = ("origin", "industry", "contact")


def find_company(session: Session, name: str, field: str = "NAME") -> Company:
    found = session.exec(select(Company).where(Company.name == name.strip())).first()
    if found is None:
        raise ZsError(field, name, "a company of the register (see `zs company list`)")
    return found


def add_company(
    session: Session,
    name: str,
    *,
    tiers: Sequence[Tier] = (),
    origin: str | None = None,
    industry: str | None = None,
    contact: str | None = None,
) -> CompanyRecord:
    name = _text(name, "NAME", required=True)
    if session.exec(select(Company.id).where(Company.name == name)).first() is not None:
        raise ZsError(
            "NAME", name, "a company not yet in the register", "it is there already; `zs company set` changes it"
        )
    company = Company(
        name=name,
        origin=_text(origin, "--origin"),
        industry=_text(industry, "--industry"),
        contact=_text(contact, "--contact"),
        **_stamp(session),
    )
    session.add(company)
    session.flush()
    session.add_all(CompanyTier(company_id=company.id, tier=t.value) for t in dict.fromkeys(tiers))
    session.flush()
    return list_companies(session, name=name)[0]


def set_company(
    session: Session,
    name: str,
    *,
    add_tiers: Sequence[Tier] = (),
    remove_tiers: Sequence[Tier] = (),
    origin: str | None = None,
    industry: str | None = None,
    contact: str | None = None,
) -> CompanyRecord:
    """Correct a company in place (in the history, undoable): tiers added or removed, fields set."""
    company = find_company(session, name)
    both = set(add_tiers) & set(remove_tiers)
    if both:
        tier = sorted(both)[0]
        raise ZsError("--no-tier", tier.value, "a tier not also given to --tier")
    held = {t.tier: t for t in session.exec(select(CompanyTier).where(CompanyTier.company_id == company.id))}
    for tier in remove_tiers:
        if tier.value not in held:
            raise ZsError("--no-tier", tier.value, f"a tier {company.name} has ({_tiers_text(held)})")
        session.delete(held[tier.value])
    session.add_all(
        CompanyTier(company_id=company.id, tier=t.value) for t in dict.fromkeys(add_tiers) if t.value not in held
    )
    for column, value in zip(_FIELDS, (origin, industry, contact), strict=True):
        if value is not None:
            setattr(company, column, _text(value, f"--{column}"))
    session.add(company)
    session.flush()
    return list_companies(session, name=company.name)[0]


def _tiers_text(held) -> str:
    return ", ".join(sorted(held)) or "none"


def list_companies(session: Session, *, tier: Tier | None = None, name: str | None = None) -> list[CompanyRecord]:
    """The register, by name, with how many activities (not voided) and projects name each company."""
    activities = (
        select(ActivityCompany.company, func.count(Activity.id).label("n"))
        .join(Activity, Activity.id == ActivityCompany.activity_id)
        .where(Activity.voided_at.is_(None))
        .group_by(ActivityCompany.company)
        .subquery()
    )
    projects = (
        select(Project.company, func.count(Project.id).label("n"))
        .where(Project.company.is_not(None))
        .group_by(Project.company)
        .subquery()
    )
    query = (
        select(Company, func.coalesce(activities.c.n, 0), func.coalesce(projects.c.n, 0))
        .outerjoin(activities, activities.c.company == Company.name)
        .outerjoin(projects, projects.c.company == Company.name)
        .order_by(Company.name)
    )
    if tier is not None:
        held = select(CompanyTier.company_id).where(CompanyTier.tier == tier.value)
        query = query.where(Company.id.in_(held))
    if name is not None:
        query = query.where(Company.name == name)
    rows = session.exec(query).all()
    tiers = defaultdict(list)
    ids = [c.id for c, _, _ in rows]
    for start in range(0, len(ids), 10_000):
        held = select(CompanyTier.company_id, CompanyTier.tier).where(
            CompanyTier.company_id.in_(ids[start : start + 10_000])
        )
        for company_id, code in session.exec(held):
            tiers[company_id].append(Tier(code))
    order = list(Tier)
    return [
        CompanyRecord(
            id=c.id,
            name=c.name,
            tiers=sorted(tiers[c.id], key=order.index),
            origin=c.origin,
            industry=c.industry,
            contact=c.contact,
            activities=int(acts),
            projects=int(projs),
        )
        for c, acts, projs in rows
    ]


def show_company(session: Session, name: str) -> CompanyDetail:
    """A company with every record that names it, in date order: activities (voided ones marked)
    and projects (dated by their first milestone)."""
    company = find_company(session, name)
    record = list_companies(session, name=company.name)[0]
    entries = []
    units = (
        select(ActivityUnit.activity_id, Unit.name)
        .join(Unit, Unit.id == ActivityUnit.unit_id)
        .join(ActivityCompany, ActivityCompany.activity_id == ActivityUnit.activity_id)
        .where(ActivityCompany.company == company.name)
        .order_by(ActivityUnit.activity_id, ActivityUnit.position)
    )
    names = defaultdict(list)
    for activity_id, unit in session.exec(units):
        names[activity_id].append(unit)
    query = (
        select(Activity)
        .join(ActivityCompany, ActivityCompany.activity_id == Activity.id)
        .where(ActivityCompany.company == company.name)
    )
    for a in session.exec(query):
        kind = ActivityKind(a.kind)
        text = a.destination or a.note or ""
        entries.append(
            CompanyEntry(a.date, "activity", a.id, kind.value, label(kind), names[a.id], text, a.voided_at is not None)
        )
    first = (
        select(Milestone.project_id, func.min(Milestone.date).label("day")).group_by(Milestone.project_id).subquery()
    )
    query = (
        select(Project, Unit.name, first.c.day)
        .join(Unit, Unit.id == Project.unit_id)
        .join(first, first.c.project_id == Project.id)
        .where(Project.company == company.name)
    )
    for p, unit, day in session.exec(query):
        stage = Stage(p.stage)
        entries.append(CompanyEntry(day, "project", p.id, stage.value, label(stage), [unit], p.name, False))
    entries.sort(key=lambda e: (e.date, e.table, e.id))
    return CompanyDetail(**vars(record), records=entries)


# Words that name a company's legal form or group, not the company: 比亚迪 and 比亚迪股份有限公司
# are one company. Longest first, taken off the end again and again.
_FORMS = sorted(
    (
        "股份有限公司",
        "有限责任公司",
        "集团有限公司",
        "集团股份有限公司",
        "有限公司",
        "集团公司",
        "集团",
        "股份公司",
        "公司",
        "总公司",
        "分公司",
        "co., ltd.",
        "co.,ltd.",
        "co. ltd",
        "ltd.",
        "ltd",
        "inc.",
        "inc",
        "corporation",
        "corp.",
        "group",
    ),
    key=len,
    reverse=True,
)
_BRACKETS = re.compile(r"[(（][^)）]*[)）]")


def core(name: str) -> str:
    """The name without its legal form, bracketed parts (（中国）) and spaces, lower case."""
    text = _BRACKETS.sub("", name).strip().lower()
    changed = True
    while changed:
        changed = False
        for form in _FORMS:
            if text.endswith(form) and len(text) > len(form):
                text, changed = text[: -len(form)].strip(" ,.，"), True
    return "".join(text.split())


def similar(session: Session) -> list[list[CompanyRecord]]:
    """Groups of companies whose names are most likely one company: the same core name (see `core`),
    or one core the start of another (比亚迪 / 比亚迪汽车). Each group in name order."""
    companies = list_companies(session)
    cores = sorted((core(c.name), c.name) for c in companies)
    parent = {c.name: c.name for c in companies}

    def root(name: str) -> str:
        while parent[name] != name:
            parent[name] = parent[parent[name]]
            name = parent[name]
        return name

    for at, (stem, name) in enumerate(cores):
        if len(stem) < 2:
            continue
        for other_stem, other in cores[at + 1 :]:
            if not other_stem.startswith(stem):
                break
            parent[root(other)] = root(name)
    groups = defaultdict(list)
    for c in companies:
        groups[root(c.name)].append(c)
    return [group for group in groups.values() if len(group) > 1]


def merge_companies(session: Session, keep: str, gone: str) -> CompanyRecord:
    """One company under two names: `gone`'s records move to `keep`, its tiers join `keep`'s, its
    fields fill `keep`'s empty ones, and `gone` leaves the register — all one change, undoable."""
    a, b = find_company(session, keep, "A"), find_company(session, gone, "B")
    if a.id == b.id:
        raise ZsError("B", gone, "another company than A")
    both = set(session.exec(select(ActivityCompany.activity_id).where(ActivityCompany.company == a.name)).all())
    for link in session.exec(select(ActivityCompany).where(ActivityCompany.company == b.name)).all():
        if link.activity_id not in both:
            session.add(ActivityCompany(activity_id=link.activity_id, company=a.name))
        session.delete(link)
    for project in session.exec(select(Project).where(Project.company == b.name)):
        project.company = a.name
        session.add(project)
    held = {t.tier for t in session.exec(select(CompanyTier).where(CompanyTier.company_id == a.id))}
    for tier in session.exec(select(CompanyTier).where(CompanyTier.company_id == b.id)).all():
        if tier.tier not in held:
            session.add(CompanyTier(company_id=a.id, tier=tier.tier))
        session.delete(tier)
    for column in _FIELDS:
        if getattr(a, column) is None and getattr(b, column) is not None:
            setattr(a, column, getattr(b, column))
    session.add(a)
    session.flush()
    session.delete(b)
    session.flush()
    return list_companies(session, name=a.name)[0]
