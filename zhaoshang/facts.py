"""The counted facts behind quotas: each figure is one GROUP BY query over indexed columns.

`LedgerFacts(session)` implements quota.Facts. Voided activities and funds never count; a
project counts in the period in which its milestone for the stage is dated (`reached`, default
签约 for `projects` and `investment`, 线索 for `leads`). Activities belong to their unit and to the
person who led them; projects and funds belong to the unit that attracted the project.
"""

from datetime import date
from decimal import Decimal

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import aliased
from sqlmodel import Session

from zhaoshang.labels import Stage
from zhaoshang.models import Activity, ActivityCompany, Fund, Milestone, Person, Project, Unit
from zhaoshang.quota import ACTIVITY_COUNTS, Filter, Metric, Who

REGION = "region"


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
        if metric.name in ACTIVITY_COUNTS:
            query, unit_id, person_id = self._activities(metric, start, end)
        elif metric.name == "funds":
            query, unit_id, person_id = self._funds(metric.where, start, end)
        else:
            stage = metric.where.reached or (Stage.lead if metric.name == "leads" else Stage.signed)
            query, unit_id, person_id = self._projects(metric.op, metric.where, stage, start, end)
        return self._grouped(query, who, unit_id, person_id)

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
        denominators = self._grouped(signed, who, unit_id, person_id)
        numerators = self._grouped(started, who, unit_id, person_id)
        return {subject: (numerators.get(subject, Decimal(0)) / count).quantize(Decimal("0.0001"))
                for subject, count in denominators.items() if count}

    def _grouped(self, query, who: Who, unit_id, person_id) -> dict[str, Decimal]:
        """Add the quota's subject to a one-figure query and GROUP BY it."""
        if who.scope == "region":
            subject = None
        elif who.scope == "each_person":
            person = aliased(Person)
            subject = person.name
            query = (query.join(person, person.id == person_id).join(Unit, Unit.id == person.unit_id)
                     .where(person.role == who.role.value))
            if who.kind is not None:
                query = query.where(Unit.kind == who.kind.value)
        else:
            subject = Unit.name
            query = query.join(Unit, Unit.id == unit_id).where(
                Unit.name.in_(who.units) if who.scope == "units" else Unit.kind == who.kind.value)
        if subject is None:
            total = self.session.exec(query).scalar_one()
            return {REGION: Decimal(total or 0)}
        query = query.add_columns(subject).group_by(subject)
        return {name: Decimal(total or 0) for total, name in self.session.exec(query).all()}
