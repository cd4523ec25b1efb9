"""The counted facts behind quotas: each figure is one GROUP BY query over indexed columns.

`LedgerFacts(session)` implements quota.Facts. Voided activities and funds never count; a
project counts in the period in which its milestone for the stage is dated (`reached`, default
签约 for `projects` and `investment`, 线索 for `leads`). A reversal (`advance --force`) is a dated
event: its own milestone reaches nothing, and from its date on the milestones recorded before it
of every stage above the one it moved back to (or the 终止 it left) no longer count. Activities
belong to each of their units and people (a joint activity 联合招商 counts once for each unit and
each participant, once for the region); projects and funds belong to the unit that attracted the
project and to its responsible person. People are subjects by identity: two people of one name are two subjects,
labelled `UNIT/NAME`.
"""

from collections import Counter
from dataclasses import replace
from datetime import date
from decimal import Decimal

from sqlalchemy import and_, case, distinct, false, func, literal_column, null, or_, select, true
from sqlalchemy.orm import aliased
from sqlmodel import Session

from zhaoshang.errors import ZsError
from zhaoshang.labels import STAGE_PATH, Currency, ProjectType, Stage, label
from zhaoshang.models import (
    Activity,
    ActivityCompany,
    ActivityPerson,
    ActivityUnit,
    Company,
    CompanyTier,
    Fund,
    Milestone,
    Person,
    Project,
    ProjectNote,
    ReportedFigure,
    Unit,
)
from zhaoshang.quota import ACTIVITY_COUNTS, COMPANY_COUNTS, REGION, Filter, Metric, Op, Scope, Who
from zhaoshang.records import CountedRecord, NoteRecord, ProjectState

# Money is summed in two parts, whole 亿 and the yuan below them, joined in Python: SQLite's sum()
# fails past int64 (922,338 records at the 10万亿 cap reach it, and fewer of the larger amounts a
# ledger may hold from before the cap), while each part stays far below it. PostgreSQL's sum of a
# bigint is an exact numeric anyway; the same query serves both.
SPLIT = 10**8


RATE_SCALE = 10_000  # a rate has at most 4 decimals: amount × rate × 10000 is whole, and exact


def in_yuan(model, rates: "dict[Currency, Decimal]", column: str = "amount_yuan"):
    """A money column of `model` in yuan: as stored for yuan; for an amount in another currency,
    `amount_original` × its rate (whole yuan, rounded down: a rate has at most 4 decimals, so a
    whole number of 元 is lost at most). `check_rates` first makes sure every currency has one."""
    if not rates:
        return getattr(model, column)
    converted = [
        (model.currency == code.value, model.amount_original * int(rate * RATE_SCALE) // RATE_SCALE)
        for code, rate in rates.items()
    ]
    return case(*converted, else_=getattr(model, column))


def row_in_yuan(row, session: Session) -> int:
    """One record's amount in yuan (a Project, Fund or ReportedFigure row), as `in_yuan` says it in
    SQL: as stored, or `amount_original` at the rate in use (ledger.money_rates)."""
    if row.currency is None:
        return row.amount_yuan
    from zhaoshang.ledger import money_rates

    rate = money_rates(session)[Currency(row.currency)]
    return row.amount_original * int(rate * RATE_SCALE) // RATE_SCALE


def currencies_held(session: Session) -> set[str]:
    """The currencies other than the yuan the ledger holds amounts in."""
    held: set[str] = set()
    for model in (Project, Fund, ReportedFigure):
        held.update(session.exec(select(model.currency).where(model.currency.is_not(None)).distinct()).scalars())
    return held


def check_rates(session: Session, rates: "dict[Currency, Decimal]", where: str) -> None:
    """Refuse to count money when the ledger holds a currency the targets file gives no rate for."""
    missing = sorted(currencies_held(session) - {c.value for c in rates})
    if missing:
        code = Currency(missing[0])
        raise ZsError(
            f"{where}: rates",
            code.value,
            f"a rate for {code.value} (rates: {{{code.value}: 7.1}} means 1{label(code)} = 7.1元)",
            f"the ledger holds amounts in {label(code)}",
        )


class LedgerFacts:
    def __init__(self, session: Session, rates: "dict[Currency, Decimal] | None" = None, where: str = "targets"):
        self.session = session
        self.rates = dict(rates or {})
        check_rates(session, self.rates, where)
        self._people: dict[int, tuple[str, str]] | None = None

    def people(self) -> dict[int, tuple[str, str]]:
        """Person id -> (label, unit name): the name, or `UNIT/NAME` where two people share it."""
        if self._people is None:
            rows = self.session.exec(
                select(Person.id, Person.name, Unit.name).join(Unit, Unit.id == Person.unit_id).order_by(Person.id)
            ).all()
            names = Counter(name for _, name, _ in rows)
            self._people = {pid: (f"{unit}/{name}" if names[name] > 1 else name, unit) for pid, name, unit in rows}
        return self._people

    def person_units(self) -> dict[str, str]:
        return dict(self.people().values())

    def subjects(self, who: Who) -> list[str]:
        if who.scope == "region":
            return [REGION]
        if who.scope == "units":
            return list(who.units)
        if who.scope == "each_person":
            query = select(Person.id).join(Unit, Unit.id == Person.unit_id).where(Person.role == who.role.value)
            if who.kind is not None:
                query = query.where(Unit.kind == who.kind.value)
            people = self.people()
            return [people[pid][0] for pid in self.session.exec(query.order_by(Unit.id, Person.id)).scalars()]
        query = select(Unit.name).order_by(Unit.id)
        if who.scope == "each":
            query = query.where(Unit.kind == who.kind.value)
        return list(self.session.exec(query).scalars())

    def measure(
        self, metric: Metric, who: Who, start: date, end: date, as_of: date | None = None
    ) -> dict[str, Decimal]:
        as_of = as_of or end
        if metric.op == "rate":
            return self._started_per_signed(metric, who, start, end, as_of)
        return self._grouped(*self._query(metric, start, end, as_of), who)

    def measure_spans(
        self, metric: Metric, who: Who, spans: list[tuple[date, date]], as_of: date
    ) -> list[dict[str, Decimal]]:
        """`measure` of each span (start, end), as the ledger stood on `as_of`: where the spans
        follow one another without overlapping and the figure is dated by one column (activities,
        funds, projects by the milestone that reached the stage), one GROUP BY by subject and span;
        otherwise (a rate, a stock, funds of projects that reached a stage by each span's end,
        reported figures, overlapping spans) one query per span."""
        apart = all(a[1] < b[0] for a, b in zip(spans, spans[1:], strict=False))
        by_span = metric.op != "rate" and metric.name != "figure" and metric.where.in_stage is None
        if metric.name == "funds" and metric.where.reached is not None:
            by_span = False
        if len(spans) < 2 or not apart or not by_span:
            return [self.measure(metric, who, start, end, as_of) for start, end in spans]
        query, unit_id, person_id, span = self._query_by_span(metric, spans, as_of)
        query, subject, name_of = self._subject(query, who, unit_id, person_id)
        measured: list[dict[str, Decimal]] = [{} for _ in spans]
        # grouped by the column's name: PostgreSQL takes a CASE with parameters in SELECT and in
        # GROUP BY for two expressions
        query, span = query.add_columns(span.label("zs_span")), literal_column("zs_span")
        if subject is None:
            for row in self.session.exec(query.group_by(span)).all():
                if row[-1] is not None:
                    measured[row[-1]][REGION] = figure(row[:-1])
            return [m or {REGION: Decimal(0)} for m in measured]
        for row in self.session.exec(query.add_columns(subject).group_by(span, subject)).all():
            if row[-2] is not None:  # a day between two spans counts in neither
                measured[row[-2]][name_of(row[-1])] = figure(row[:-2])
        return measured

    def _query_by_span(self, metric: Metric, spans: list[tuple[date, date]], as_of: date):
        """(one-figure query over the spans together, unit id column, person id column, the index
        of the span each counted row falls in) for `measure_spans`."""
        first, last = spans[0][0], spans[-1][1]
        if metric.name in ACTIVITY_COUNTS:
            query, unit_id, person_id = self._activities(metric, first, last)
            return query, unit_id, person_id, _span_of(Activity.date, spans)
        if metric.name == "funds":
            query, unit_id, person_id = self._funds(metric.where, first, last, as_of)
            return query, unit_id, person_id, _span_of(Fund.date, spans)
        where = metric.where
        reached = select(Milestone.project_id, _span_of(Milestone.date, spans).label("span")).where(
            self._counted(_stage(metric), first, last, as_of)
        )
        if where.at_event_type:
            reached = reached.where(Milestone.event_id.in_(self._events(where)))
        counted = reached.distinct().subquery()  # a project once per span, however often it reached the stage in it
        value = (func.count(Project.id),) if metric.op == "count" else money_sum(counted_amount(self.rates))
        query = select(*value).select_from(Project).join(counted, counted.c.project_id == Project.id)
        return self._project_filter(query, where), Project.unit_id, Project.owner_id, counted.c.span

    @staticmethod
    def _events(where: Filter):
        return select(Activity.id).where(
            _any_of(Activity.event_type, where.at_event_type), Activity.voided_at.is_(None)
        )

    def _query(self, metric: Metric, start: date, end: date, as_of: date):
        """(one-figure query, unit id column, person id column) for a count or sum."""
        if metric.name in ACTIVITY_COUNTS:
            return self._activities(metric, start, end)
        if metric.name == "funds":
            return self._funds(metric.where, start, end, as_of)
        if metric.name == "figure":
            return self._figures(metric.where, start, end)
        return self._projects(metric.op, metric.where, _stage(metric), start, end, as_of)

    def records(
        self, metric: Metric, who: Who, start: date, end: date, as_of: date | None = None
    ) -> list[CountedRecord]:
        """Every record a figure counted, with its subject: what the detail sheet lists."""
        as_of = as_of or end
        if metric.op == "rate":
            metric = Metric(Op.count, "projects", metric.where)
        query, unit_id, person_id = self._query(metric, start, end, as_of)
        unit = aliased(Unit)
        if metric.name in ACTIVITY_COUNTS:
            what = ActivityCompany.company if metric.name in COMPANY_COUNTS else Activity.destination
            columns = [_constant("activity"), Activity.id, Activity.date, Activity.kind, what, null()]
        elif metric.name == "funds":
            columns = [_constant("fund"), Fund.id, Fund.date, Fund.origin, Project.name, in_yuan(Fund, self.rates)]
        elif metric.name == "figure":
            columns = [
                _constant("figure"),
                ReportedFigure.id,
                ReportedFigure.period_end,
                ReportedFigure.name,
                ReportedFigure.period,
                in_yuan(ReportedFigure, self.rates),
            ]
        else:
            stage = metric.where.in_stage or _stage(metric)
            if metric.where.in_stage is not None:  # a stock: since when it stands in the stage
                since = and_(Milestone.stage == stage.value, Milestone.date <= end)
                reached_on = select(func.max(Milestone.date)).where(Milestone.project_id == Project.id, since)
            else:
                counted = self._counted(stage, start, end, as_of)
                reached_on = select(func.min(Milestone.date)).where(Milestone.project_id == Project.id, counted)
            columns = [
                _constant("project"),
                Project.id,
                reached_on.correlate(Project).scalar_subquery(),
                _constant(stage.value),
                Project.name,
                counted_amount(self.rates),
            ]
        query = query.with_only_columns(*columns)
        query, subject, name_of = self._subject(query, who, unit_id, person_id)
        if who.scope in (Scope.region, Scope.each_person):  # the record's own unit (a joint activity's first)
            home = {"figure": ReportedFigure.unit_id}.get(metric.name, Project.unit_id)
            home = Activity.unit_id if metric.name in ACTIVITY_COUNTS else home
            query = query.add_columns(unit.name).outerjoin(unit, unit.id == home)
        else:
            query = query.add_columns(subject)
        if subject is None:
            subject = _constant(REGION)
        query = query.add_columns(subject).order_by(columns[2], columns[1])
        return self._with_context(
            [
                CountedRecord(
                    name_of(subject_key),
                    table,
                    ident,
                    day,
                    str(kind),
                    str(text or ""),
                    unit_name or REGION,  # a figure reported for the whole region
                    int(amount) if amount is not None else None,
                )
                for table, ident, day, kind, text, amount, unit_name, subject_key in self.session.exec(query)
            ]
        )

    def _with_context(self, records: list[CountedRecord]) -> list[CountedRecord]:
        """The records with who and what they were with: read for all of them at once, a batch of
        ids per query."""
        from zhaoshang.ledger import list_activities, person_labels

        ids = {table: sorted({r.id for r in records if r.table == table}) for table in ("activity", "project", "fund")}
        found: dict[tuple[str, int], tuple[str, str, str, str]] = {}
        labels = person_labels(self.session) if ids["activity"] or ids["project"] or ids["fund"] else {}
        for batch in _batches(ids["activity"]):
            for a in list_activities(self.session, [Activity.id.in_(batch)]):
                people = "、".join(p for p in a.people if p != a.leader)
                found["activity", a.id] = ("、".join(a.companies), a.leader or "", people, a.destination or "")
        for table in ("project", "fund"):
            for batch in _batches(ids[table]):
                key = Project.id if table == "project" else Fund.id
                query = select(key, Project.company, Project.leader_id, Project.owner_id).where(key.in_(batch))
                if table == "fund":
                    query = query.select_from(Fund).join(Project, Project.id == Fund.project_id)
                for ident, company, leader_id, owner_id in self.session.exec(query):
                    found[table, ident] = (company or "", labels.get(leader_id, ""), labels.get(owner_id, ""), "")
        return [
            replace(r, **dict(zip(("companies", "leader", "people", "destination"), found[r.table, r.id], strict=True)))
            if (r.table, r.id) in found
            else r
            for r in records
        ]

    def _activities(self, metric: Metric, start: date, end: date):
        where = metric.where
        companies = metric.name in COMPANY_COUNTS
        value = func.count(distinct(ActivityCompany.company)) if companies else func.count(Activity.id)
        kinds = ACTIVITY_COUNTS[metric.name]
        query = (
            select(value)
            .select_from(Activity)
            .where(
                Activity.kind == kinds[0] if len(kinds) == 1 else Activity.kind.in_(kinds),
                Activity.voided_at.is_(None),
                Activity.date >= start,
                Activity.date <= end,
            )
        )
        if companies:
            query = query.join(ActivityCompany, ActivityCompany.activity_id == Activity.id)
            if where.tier:
                query = query.where(ActivityCompany.company.in_(_tiered(where.tier)))
        elif where.tier:  # activities that met a company of the tiers
            met = select(ActivityCompany.activity_id).where(ActivityCompany.company.in_(_tiered(where.tier)))
            query = query.where(Activity.id.in_(met))
        if where.mode:
            query = query.where(_any_of(Activity.mode, where.mode))
        if where.event_type:
            query = query.where(_any_of(Activity.event_type, where.event_type))
        if where.destination:  # contains any of them, ignoring case; % and _ are plain characters
            lowered = func.lower(Activity.destination)
            query = query.where(or_(*(lowered.contains(d.lower(), autoescape=True) for d in where.destination)))
        if where.led_by:
            leader = aliased(Person)
            query = query.join(leader, leader.id == Activity.leader_id).where(_any_of(leader.role, where.led_by))
        # Each of its units and people (see `_through_links`): a joint activity counts for each.
        return query, ActivityUnit.unit_id, ActivityPerson.person_id

    def _project_filter(self, query, where: Filter):
        if where.amount_at_least is not None:
            query = query.where(counted_amount(self.rates) >= where.amount_at_least)
        if where.industry:
            query = query.where(_any_of(Project.industry, where.industry))
        if where.key is not None:
            query = query.where(Project.is_key == where.key)
        if where.tier:
            query = query.where(Project.company.in_(_tiered(where.tier)))
        return query

    @staticmethod
    def _counted(stage: Stage, start: date, end: date, as_of: date):
        """The condition on `Milestone` for a milestone that counts as reaching `stage` in [start, end],
        seen on as_of: not itself a reversal, and not rescinded by a reversal dated on or before as_of."""
        condition = and_(
            Milestone.stage == stage.value, Milestone.date >= start, Milestone.date <= end, Milestone.forced == false()
        )
        below = STAGE_PATH if stage is Stage.dropped else STAGE_PATH[: STAGE_PATH.index(stage)]
        if not below:
            return condition
        reached, reversal = aliased(Milestone), aliased(Milestone)
        rescinded = (
            select(reached.id)
            .join(reversal, and_(reversal.project_id == reached.project_id, reversal.id > reached.id))
            .where(
                reached.stage == stage.value,
                reversal.forced == true(),
                reversal.date <= as_of,
                reversal.stage.in_([s.value for s in below]),
            )
        )
        return and_(condition, Milestone.id.not_in(rescinded))

    def _reached(self, stage: Stage, start: date, end: date, as_of: date):
        return select(Milestone.project_id).where(self._counted(stage, start, end, as_of))

    def _projects(self, op: str, where: Filter, stage: Stage, start: date, end: date, as_of: date):
        value = (func.count(Project.id),) if op == "count" else money_sum(counted_amount(self.rates))
        if where.in_stage is not None:  # a stock: where the projects stand on the span's last day
            counted = _standing(where.in_stage, end)
        else:
            counted = self._reached(stage, start, end, as_of)
            if where.at_event_type:
                counted = counted.where(Milestone.event_id.in_(self._events(where)))
        query = select(*value).select_from(Project).where(Project.id.in_(counted))
        return self._project_filter(query, where), Project.unit_id, Project.owner_id

    def _funds(self, where: Filter, start: date, end: date, as_of: date):
        query = (
            select(*money_sum(in_yuan(Fund, self.rates)))
            .select_from(Fund)
            .join(Project, Project.id == Fund.project_id)
            .where(Fund.voided_at.is_(None), Fund.date >= start, Fund.date <= end)
        )
        if where.origin:
            query = query.where(_any_of(Fund.origin, where.origin))
        if where.reached is not None:  # funds of projects that had reached the stage by the span's end
            query = query.where(Project.id.in_(self._reached(where.reached, date.min, end, as_of)))
        return self._project_filter(query, where), Project.unit_id, Project.owner_id

    def _figures(self, where: Filter, start: date, end: date):
        """Figures reported for periods within [start, end]: a month's figure counts in its quarter
        and year once the month has ended by the span's end, never in a span it runs past."""
        query = (
            select(*money_sum(in_yuan(ReportedFigure, self.rates)))
            .select_from(ReportedFigure)
            .where(
                ReportedFigure.voided_at.is_(None),
                ReportedFigure.name == where.name,
                ReportedFigure.period_start >= start,
                ReportedFigure.period_end <= end,
            )
        )
        return query, ReportedFigure.unit_id, null()

    def _started_per_signed(self, metric: Metric, who: Who, start: date, end: date, as_of: date) -> dict[str, Decimal]:
        """开工率: of the projects signed in the period, the share started by its end."""
        signed, unit_id, person_id = self._projects("count", metric.where, Stage.signed, start, end, as_of)
        started = signed.where(Project.id.in_(self._reached(Stage.started, date.min, end, as_of)))
        denominators = self._grouped(signed, unit_id, person_id, who)
        numerators = self._grouped(started, unit_id, person_id, who)
        return {
            subject: (numerators.get(subject, Decimal(0)) / count).quantize(Decimal("0.0001"))
            for subject, count in denominators.items()
            if count
        }

    def projects_at(self, as_of: date, stages: tuple[Stage, ...], month_start: date) -> list[ProjectState]:
        latest = (
            select(Milestone.project_id, func.max(Milestone.id).label("milestone_id"))
            .where(Milestone.date <= as_of)
            .group_by(Milestone.project_id)
            .subquery()
        )
        owner, leader = aliased(Person), aliased(Person)
        query = (
            select(
                Project.id,
                Project.name,
                Unit.name,
                in_yuan(Project, self.rates),
                Project.is_key,
                Milestone.stage,
                Milestone.date,
                owner.name,
                leader.name,
                Project.start_deadline,
                Project.company,
                Project.industry,
                *funds_arrived(as_of, self.rates),
            )
            .join(latest, latest.c.project_id == Project.id)
            .join(Milestone, Milestone.id == latest.c.milestone_id)
            .join(Unit, Unit.id == Project.unit_id)
            .outerjoin(owner, owner.id == Project.owner_id)
            .outerjoin(leader, leader.id == Project.leader_id)
            .where(Milestone.stage.in_([s.value for s in stages]))
            .order_by(Unit.id, Project.id)
        )
        rows = self.session.exec(query).all()
        notes = self._notes([r[0] for r in rows], month_start, as_of)
        return [
            ProjectState(
                id=pid,
                name=name,
                unit=unit,
                amount_yuan=amount,
                stage=Stage(stage),
                stage_date=day,
                company=company,
                industry=industry,
                key=bool(key),
                owner=owner_name,
                leader=leader_name,
                start_deadline=deadline,
                funds_yuan=int(figure(funds)),
                progress=tuple(f"{n.date:%m-%d} {n.text}" for n in notes[pid][0]),
                problems=tuple(_problem_line(n) for n in notes[pid][1]),
                open_problems=tuple(notes[pid][1]),
                progress_notes=tuple(notes[pid][0]),
            )
            for (
                pid,
                name,
                unit,
                amount,
                key,
                stage,
                day,
                owner_name,
                leader_name,
                deadline,
                company,
                industry,
                *funds,
            ) in rows
        ]

    def _notes(
        self, ids: list[int], month_start: date, as_of: date
    ) -> dict[int, tuple[list[NoteRecord], list[NoteRecord]]]:
        """Per project: this month's progress notes, and the problems open on as_of (noted by then
        and not resolved by then)."""
        found: dict[int, tuple[list[NoteRecord], list[NoteRecord]]] = {pid: ([], []) for pid in ids}
        if not ids:
            return found
        query = (
            select(ProjectNote)
            .where(ProjectNote.project_id.in_(ids), ProjectNote.date <= as_of)
            .order_by(ProjectNote.date, ProjectNote.id)
        )
        for n in self.session.exec(query).scalars():
            if n.is_problem:
                if n.resolved_on is None or n.resolved_on > as_of:
                    found[n.project_id][1].append(NoteRecord(n.id, n.date, n.text, True, n.assignee, n.due, None, None))
            elif n.date >= month_start:
                found[n.project_id][0].append(NoteRecord(n.id, n.date, n.text, False))
        return found

    def late_starts(
        self, metric: Metric, who: Who, start: date, end: date, as_of: date | None = None
    ) -> dict[str, Decimal]:
        """Of the starts a project count counts in [start, end] (its `where:` applied), those dated
        after the project's start deadline (开工时限), per subject."""
        deadline = aliased(Project)
        late = (
            self._reached(Stage.started, start, end, as_of or end)
            .join(deadline, deadline.id == Milestone.project_id)
            .where(deadline.start_deadline.is_not(None), Milestone.date > deadline.start_deadline)
        )
        query = select(func.count(Project.id)).select_from(Project).where(Project.id.in_(late))
        return self._grouped(self._project_filter(query, metric.where), Project.unit_id, Project.owner_id, who)

    def first_day(self) -> date | None:
        """The day of the ledger's earliest fact: from when it can speak of earlier years."""
        days = [
            self.session.exec(select(func.min(Activity.date)).where(Activity.voided_at.is_(None))).scalar(),
            self.session.exec(select(func.min(Milestone.date))).scalar(),
            self.session.exec(select(func.min(Fund.date)).where(Fund.voided_at.is_(None))).scalar(),
        ]
        found = [d for d in days if d is not None]
        return min(found) if found else None

    def candidates(self, metric: Metric, who: Who, stage: Stage, as_of: date) -> dict[str, list[tuple]]:
        """Each subject's projects standing in `stage` on as_of that the metric's filters admit, as
        (id, name, the day they reached it, amount in yuan), by that day."""
        since = (
            select(func.max(Milestone.date))
            .where(Milestone.project_id == Project.id, Milestone.stage == stage.value, Milestone.date <= as_of)
            .correlate(Project)
            .scalar_subquery()
        )
        query = (
            select(Project.id, Project.name, since, counted_amount(self.rates))
            .select_from(Project)
            .where(Project.id.in_(_standing(stage, as_of)))
        )
        query, subject, name_of = self._subject(
            self._project_filter(query, metric.where), who, Project.unit_id, Project.owner_id
        )
        if subject is not None:
            query = query.add_columns(subject)
        found: dict[str, list[tuple]] = {}
        for row in self.session.exec(query.order_by(since, Project.id)).all():
            key = REGION if subject is None else name_of(row[-1])
            found.setdefault(key, []).append((row[0], row[1], row[2], int(row[3] or 0)))
        return found

    def stage_moves(self, before: Stage, after: Stage, as_of: date) -> tuple[int, list[int]]:
        """(how many projects were ever at `before` by as_of, the days each that went on to reach
        `after` by as_of took, from its first day at one to its first day at the other)."""

        def first(stage: Stage):
            return (
                select(Milestone.project_id, func.min(Milestone.date).label("day"))
                .where(Milestone.stage == stage.value, Milestone.forced == false(), Milestone.date <= as_of)
                .group_by(Milestone.project_id)
                .subquery()
            )

        was, went = first(before), first(after)
        rows = self.session.exec(
            select(was.c.day, went.c.day).select_from(was).outerjoin(went, went.c.project_id == was.c.project_id)
        ).all()
        return len(rows), [
            (reached - began).days for began, reached in rows if reached is not None and reached >= began
        ]

    def active_units(self, start: date, end: date) -> set[str]:
        query = (
            select(Unit.name)
            .join(ActivityUnit, ActivityUnit.unit_id == Unit.id)
            .join(Activity, Activity.id == ActivityUnit.activity_id)
            .where(Activity.voided_at.is_(None), Activity.date >= start, Activity.date <= end)
            .distinct()
        )
        return set(self.session.exec(query).scalars())

    def _subject(self, query, who: Who, unit_id, person_id):
        """Join what names the quota's subject: (query, subject column or None for the region, and
        the function from that column's value to the subject's label)."""
        if who.scope == "region":
            return query, None, str
        if who.scope == "each_person":
            person, home = aliased(Person), aliased(Unit)
            query = (
                _through_links(query, person_id)
                .join(person, person.id == person_id)
                .join(home, home.id == person.unit_id)
                .where(person.role == who.role.value)
            )
            if who.kind is not None:
                query = query.where(home.kind == who.kind.value)
            people = self.people()
            return query, person.id, lambda pid: people[pid][0]
        owner = aliased(Unit)
        query = _through_links(query, unit_id).join(owner, owner.id == unit_id)
        if who.scope == "units":
            query = query.where(owner.name.in_(who.units))
        elif who.scope == "each":
            query = query.where(owner.kind == who.kind.value)
        return query, owner.name, str

    def _grouped(self, query, unit_id, person_id, who: Who) -> dict[str, Decimal]:
        """Add the quota's subject to a one-figure query and GROUP BY it."""
        query, subject, name_of = self._subject(query, who, unit_id, person_id)
        if subject is None:
            return {REGION: figure(self.session.exec(query).one())}
        query = query.add_columns(subject).group_by(subject)
        return {name_of(row[-1]): figure(row[:-1]) for row in self.session.exec(query).all()}


def _problem_line(note: NoteRecord) -> str:
    who = "，".join(
        t for t in (note.assignee and f"责任人 {note.assignee}", note.due and f"{note.due:%m-%d}前办结") if t
    )
    return f"{note.date:%m-%d} {note.text}" + (f"（{who}）" if who else "")


def counted_amount(rates: "dict[Currency, Decimal] | None" = None):
    """The amount a project counts with (Project's columns), in yuan: its increase if it is 增资
    (增资只计增量; an 增资 project's amounts are in yuan), else its total investment."""
    return case(
        (Project.type == ProjectType.expansion.value, func.coalesce(Project.increase_yuan, 0)),
        else_=in_yuan(Project, rates or {}),
    )


def _standing(stage: Stage, day: date):
    """The ids of the projects whose latest milestone dated on or before `day` is of `stage`."""
    latest = (
        select(func.max(Milestone.id).label("id"))
        .where(Milestone.date <= day)
        .group_by(Milestone.project_id)
        .subquery()
    )
    return select(Milestone.project_id).join(latest, latest.c.id == Milestone.id).where(Milestone.stage == stage.value)


def _span_of(column, spans: list[tuple[date, date]]):
    """The index of the span (start, end) a date column falls in; NULL between spans."""
    return case(
        *(
            (and_(column >= start, column <= end), literal_column(str(index)))
            for index, (start, end) in enumerate(spans)
        )
    )


def _any_of(column, values):
    """`column = value`, or `column IN (…)` for a list of them ("any of")."""
    codes = [v.value if hasattr(v, "value") else v for v in values]
    return column == codes[0] if len(codes) == 1 else column.in_(codes)


def _tiered(tiers):
    """The names of the register's companies of any of `tiers`."""
    return (
        select(Company.name)
        .join(CompanyTier, CompanyTier.company_id == Company.id)
        .where(CompanyTier.tier.in_([t.value for t in tiers]))
    )


def _through_links(query, column):
    """Join the link table a subject column belongs to (an activity's units or people), so that a
    figure counts a joint activity once for each of them; a project's own columns need no join.
    A region-wide figure never joins them, and so counts each activity once."""
    link = getattr(column, "class_", None)
    if link in (ActivityUnit, ActivityPerson):
        return query.join(link, link.activity_id == Activity.id)
    return query


def funds_arrived(as_of: date | None = None, rates: "dict[Currency, Decimal] | None" = None) -> list:
    """The funds a project (the query's Project) has had arrive, up to `as_of` if given, in yuan: the
    two parts of a money sum, as correlated subqueries, not voided; `figure` joins them."""
    conditions = [Fund.project_id == Project.id, Fund.voided_at.is_(None)]
    if as_of is not None:
        conditions.append(Fund.date <= as_of)
    return [
        select(part).where(*conditions).correlate(Project).scalar_subquery()
        for part in money_sum(in_yuan(Fund, rates or {}))
    ]


def money_sum(amount) -> tuple:
    """The two columns of a money sum (see SPLIT); `figure` joins them."""
    return func.sum(amount // SPLIT), func.sum(amount % SPLIT)


def figure(values) -> Decimal:
    """A figure from the value columns of its query: a count, or a money sum in its two parts."""
    if len(values) == 1:
        return Decimal(values[0] or 0)
    whole, rest = values
    return Decimal(whole or 0) * SPLIT + Decimal(rest or 0)


def _constant(word: str):
    """A fixed word in a SELECT list, written into the SQL (PostgreSQL cannot type a bare parameter there)."""
    assert word.isidentifier()
    return literal_column(f"'{word}'")


def _stage(metric: Metric) -> Stage:
    return metric.where.reached or (Stage.lead if metric.name == "leads" else Stage.signed)


def _batches(ids: list[int], size: int = 500):
    """`ids` a few hundred at a time: a query's IN list stays within every server's limit."""
    for start in range(0, len(ids), size):
        yield ids[start : start + size]
