"""The counted facts behind quotas: each figure is one GROUP BY query over indexed columns.

`LedgerFacts(session)` implements quota.Facts. Voided activities and funds never count; a
project counts in the period in which its milestone for the stage is dated (`reached`, default
签约 for `projects` and `investment`, 线索 for `leads`). Activities belong to their unit and to the
person who led them; projects and funds belong to the unit that attracted the project.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import distinct, func, literal, select
from sqlalchemy.orm import aliased
from sqlmodel import Session

from zhaoshang.labels import Stage
from zhaoshang.models import Activity, ActivityCompany, Fund, Milestone, Person, Project, Unit
from zhaoshang.quota import ACTIVITY_COUNTS, Filter, Metric, Who

REGION = "region"


@dataclass(frozen=True)
class CountedRecord:
    """One record behind a figure: an activity, a project reaching a stage, or a fund."""

    subject: str
    table: str  # activity | project | fund
    id: int
    date: date
    kind: str  # activity kind, stage reached, or fund origin (codes)
    text: str  # destination or company, project name
    unit: str
    amount_yuan: int | None


class LedgerFacts:
    def __init__(self, session: Session):
        self.session = session

    def subjects(self, who: Who) -> list[str]:
        if who.scope == "region":
            return [REGION]
        if who.scope == "units":
            return list(who.units)
        if who.scope == "each_person":
            query = (select(Person.name).join(Unit, Unit.id == Person.unit_id)
                     .where(Person.role == who.role.value))
            if who.kind is not None:
                query = query.where(Unit.kind == who.kind.value)
            return list(dict.fromkeys(self.session.exec(query.order_by(Unit.id, Person.id)).scalars()))
        query = select(Unit.name).where(Unit.kind == who.kind.value).order_by(Unit.id)
        return list(self.session.exec(query).scalars())

    def measure(self, metric: Metric, who: Who, start: date, end: date) -> dict[str, Decimal]:
        if metric.op == "rate":
            return self._started_per_signed(metric, who, start, end)
        return self._grouped(*self._query(metric, start, end), who)

    def _query(self, metric: Metric, start: date, end: date):
        """(one-figure query, unit id column, person id column) for a count or sum."""
        if metric.name in ACTIVITY_COUNTS:
            return self._activities(metric, start, end)
        if metric.name == "funds":
            return self._funds(metric.where, start, end)
        return self._projects(metric.op, metric.where, _stage(metric), start, end)

    def records(self, metric: Metric, who: Who, start: date, end: date) -> list[CountedRecord]:
        """Every record a figure counted, with its subject: what the detail sheet lists."""
        if metric.op == "rate":
            metric = Metric("count", "projects", metric.where)
        query, unit_id, person_id = self._query(metric, start, end)
        unit = aliased(Unit)
        if metric.name in ACTIVITY_COUNTS:
            what = ActivityCompany.company if metric.name == "companies_visited" else Activity.destination
            columns = [literal("activity"), Activity.id, Activity.date, Activity.kind, what, literal(None)]
        elif metric.name == "funds":
            columns = [literal("fund"), Fund.id, Fund.date, Fund.origin, Project.name, Fund.amount_yuan]
        else:
            stage = _stage(metric)
            reached_on = (select(func.min(Milestone.date))
                          .where(Milestone.project_id == Project.id, Milestone.stage == stage.value,
                                 Milestone.date >= start, Milestone.date <= end)
                          .correlate(Project).scalar_subquery())
            columns = [literal("project"), Project.id, reached_on, literal(stage.value), Project.name,
                       Project.amount_yuan]
        query = query.with_only_columns(*columns, unit.name).join(unit, unit.id == unit_id)
        query, subject = self._subject(query, who, unit_id, person_id)
        if subject is None:
            subject = literal(REGION)
        query = query.add_columns(subject).order_by(columns[2], columns[1])
        return [CountedRecord(str(subject_name), table, ident, day, str(kind), str(text or ""), unit_name,
                              int(amount) if amount is not None else None)
                for table, ident, day, kind, text, amount, unit_name, subject_name in self.session.exec(query)]

    def _activities(self, metric: Metric, start: date, end: date):
        where = metric.where
        value = (func.count(distinct(ActivityCompany.company)) if metric.name == "companies_visited"
                 else func.count(Activity.id))
        query = (select(value).select_from(Activity)
                 .where(Activity.kind == ACTIVITY_COUNTS[metric.name], Activity.voided_at.is_(None),
                        Activity.date >= start, Activity.date <= end))
        if metric.name == "companies_visited":
            query = query.join(ActivityCompany, ActivityCompany.activity_id == Activity.id)
        if where.mode is not None:
            query = query.where(Activity.mode == where.mode.value)
        if where.event_type is not None:
            query = query.where(Activity.event_type == where.event_type.value)
        if where.destination is not None:
            query = query.where(Activity.destination.contains(where.destination))
        if where.led_by is not None:
            leader = aliased(Person)
            query = query.join(leader, leader.id == Activity.leader_id).where(leader.role == where.led_by.value)
        return query, Activity.unit_id, Activity.leader_id

    @staticmethod
    def _project_filter(query, where: Filter):
        if where.amount_at_least is not None:
            query = query.where(Project.amount_yuan >= where.amount_at_least)
        if where.industry is not None:
            query = query.where(Project.industry == where.industry)
        if where.key is not None:
            query = query.where(Project.is_key == where.key)
        return query

    @staticmethod
    def _reached(stage: Stage, start: date, end: date):
        return select(Milestone.project_id).where(Milestone.stage == stage.value, Milestone.date >= start,
                                                  Milestone.date <= end)

    def _projects(self, op: str, where: Filter, stage: Stage, start: date, end: date):
        value = func.count(Project.id) if op == "count" else func.sum(Project.amount_yuan)
        query = select(value).select_from(Project).where(Project.id.in_(self._reached(stage, start, end)))
        return self._project_filter(query, where), Project.unit_id, Project.owner_id

    def _funds(self, where: Filter, start: date, end: date):
        query = (select(func.sum(Fund.amount_yuan)).select_from(Fund)
                 .join(Project, Project.id == Fund.project_id)
                 .where(Fund.voided_at.is_(None), Fund.date >= start, Fund.date <= end))
        if where.origin is not None:
            query = query.where(Fund.origin == where.origin.value)
        return self._project_filter(query, where), Project.unit_id, Project.owner_id

    def _started_per_signed(self, metric: Metric, who: Who, start: date, end: date) -> dict[str, Decimal]:
        """开工率: of the projects signed in the period, the share started by its end."""
        signed, unit_id, person_id = self._projects("count", metric.where, Stage.signed, start, end)
        started = signed.where(Project.id.in_(self._reached(Stage.started, date.min, end)))
        denominators = self._grouped(signed, unit_id, person_id, who)
        numerators = self._grouped(started, unit_id, person_id, who)
        return {subject: (numerators.get(subject, Decimal(0)) / count).quantize(Decimal("0.0001"))
                for subject, count in denominators.items() if count}

    def _subject(self, query, who: Who, unit_id, person_id):
        """Join what names the quota's subject: (query, subject column, or None for the region)."""
        if who.scope == "region":
            return query, None
        if who.scope == "each_person":
            person, home = aliased(Person), aliased(Unit)
            query = (query.join(person, person.id == person_id).join(home, home.id == person.unit_id)
                     .where(person.role == who.role.value))
            if who.kind is not None:
                query = query.where(home.kind == who.kind.value)
            return query, person.name
        owner = aliased(Unit)
        query = query.join(owner, owner.id == unit_id).where(
            owner.name.in_(who.units) if who.scope == "units" else owner.kind == who.kind.value)
        return query, owner.name

    def _grouped(self, query, unit_id, person_id, who: Who) -> dict[str, Decimal]:
        """Add the quota's subject to a one-figure query and GROUP BY it."""
        query, subject = self._subject(query, who, unit_id, person_id)
        if subject is None:
            total = self.session.exec(query).scalar_one()
            return {REGION: Decimal(total or 0)}
        query = query.add_columns(subject).group_by(subject)
        return {name: Decimal(total or 0) for total, name in self.session.exec(query).all()}


def _stage(metric: Metric) -> Stage:
    return metric.where.reached or (Stage.lead if metric.name == "leads" else Stage.signed)
