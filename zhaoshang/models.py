"""The ledger's tables. All table models live here; migrations.py creates them with fixed DDL.

Money is integer yuan (`*_yuan`, BIGINT). Dates are DATE. Facts are never deleted: activities,
funds and reported figures carry `voided_at` and `void_reason`; a stage change is a new `Milestone` row (a mistyped one
is corrected in place by `zs project fix`, what it was kept whole in the change history).
`created_by` is the operating-system user who typed the fact.
"""

from datetime import date, datetime

from sqlalchemy import BigInteger, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel


class Unit(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)
    kind: str
    created_at: datetime


class Person(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("unit_id", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    name: str
    unit_id: int = Field(foreign_key="unit.id")
    role: str
    created_at: datetime


class Project(SQLModel, table=True):
    __table_args__ = (Index("ix_project_unit_source_key", "unit_id", "source_key"),)

    id: int | None = Field(default=None, primary_key=True)
    name: str
    company: str | None = None
    industry: str | None = None
    amount_yuan: int = Field(sa_column=Column(BigInteger, nullable=False))
    unit_id: int = Field(foreign_key="unit.id", index=True)
    owner_id: int | None = Field(default=None, foreign_key="person.id")
    leader_id: int | None = Field(default=None, foreign_key="person.id")
    is_key: bool = False
    # The stage of the latest milestone, kept beside them in the same transaction so that
    # lists and reports can filter on an indexed column.
    stage: str = Field(index=True)
    start_deadline: date | None = None
    # new 新建, expansion 增资 (it counts its increase, not its total), continuing 续建
    type: str = "new"
    increase_yuan: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    currency: str | None = None  # None: yuan; else amount_yuan is 0 and the amount is amount_original
    amount_original: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    source_key: str | None = None  # the row's own key in the 台账 it came from (编号), for `import --key`
    created_at: datetime
    created_by: str


class Milestone(SQLModel, table=True):
    __table_args__ = (Index("ix_milestone_stage_date", "stage", "date"),)

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True)
    stage: str
    date: date
    forced: bool = False
    reason: str | None = None
    event_id: int | None = Field(default=None, foreign_key="activity.id")  # signed at a fair, a 签约仪式
    created_at: datetime
    created_by: str


class Fund(SQLModel, table=True):
    __table_args__ = (Index("ix_fund_origin_date", "origin", "date"),)

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True)
    amount_yuan: int = Field(sa_column=Column(BigInteger, nullable=False))
    origin: str
    date: date
    note: str | None = None
    voided_at: datetime | None = None
    void_reason: str | None = None
    currency: str | None = None  # None: yuan; else amount_yuan is 0 and the amount is amount_original
    amount_original: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    created_at: datetime
    created_by: str


class ProjectNote(SQLModel, table=True):
    __tablename__ = "project_note"
    __table_args__ = (Index("ix_project_note_project_date", "project_id", "date"),)

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id")
    date: date
    text: str
    is_problem: bool = False
    assignee: str | None = None  # who is to solve a problem (a person, a department: as typed)
    due: date | None = None
    resolved_on: date | None = None
    resolution: str | None = None
    created_at: datetime
    created_by: str


class Activity(SQLModel, table=True):
    __table_args__ = (
        Index("ix_activity_kind_date", "kind", "date"),
        Index("ix_activity_unit_date", "unit_id", "date"),
        Index("ix_activity_unit_source_key", "unit_id", "source_key"),
        Index("ix_activity_date", "date", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: str
    date: date
    end_date: date | None = None
    unit_id: int = Field(foreign_key="unit.id")
    leader_id: int | None = Field(default=None, foreign_key="person.id")
    mode: str | None = None
    event_type: str | None = None
    destination: str | None = None
    note: str | None = None
    voided_at: datetime | None = None
    void_reason: str | None = None
    source_key: str | None = None  # the row's own key in the 台账 it came from (编号), for `import --key`
    created_at: datetime
    created_by: str


class ActivityCompany(SQLModel, table=True):
    __tablename__ = "activity_company"

    activity_id: int = Field(foreign_key="activity.id", primary_key=True)
    company: str = Field(primary_key=True, index=True)


class ActivityUnit(SQLModel, table=True):
    """The units of an activity, the first (`position` 0) the one `Activity.unit_id` names: a joint
    activity (联合招商) counts once for each of them, and once for the region."""

    __tablename__ = "activity_unit"
    __table_args__ = (Index("ix_activity_unit_unit", "unit_id", "activity_id"),)

    activity_id: int = Field(foreign_key="activity.id", primary_key=True)
    unit_id: int = Field(foreign_key="unit.id", primary_key=True)
    position: int = 0


class ActivityPerson(SQLModel, table=True):
    """The people of an activity: its leader first (`Activity.leader_id`) where it has one, then the
    participants (`--with`). A per-person quota credits each of them."""

    __tablename__ = "activity_person"
    __table_args__ = (Index("ix_activity_person_person", "person_id", "activity_id"),)

    activity_id: int = Field(foreign_key="activity.id", primary_key=True)
    person_id: int = Field(foreign_key="person.id", primary_key=True)
    position: int = 0


class Company(SQLModel, table=True):
    """A company of the register 客商库. Activities and projects name companies by `name`."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)
    origin: str | None = None
    industry: str | None = None
    contact: str | None = None
    created_at: datetime
    created_by: str


class CompanyTier(SQLModel, table=True):
    __tablename__ = "company_tier"
    __table_args__ = (UniqueConstraint("company_id", "tier"), Index("ix_company_tier_tier", "tier", "company_id"))

    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="company.id")
    tier: str


class ActivityProject(SQLModel, table=True):
    __tablename__ = "activity_project"

    activity_id: int = Field(foreign_key="activity.id", primary_key=True)
    project_id: int = Field(foreign_key="project.id", primary_key=True, index=True)


class ReportedFigure(SQLModel, table=True):
    """A figure the ledger cannot count, reported for a period (手工填报: 外贸进出口, 实际使用外资,
    固定资产投资), for a unit or, with no unit, for the whole region. One per name, period and unit:
    setting it again corrects it."""

    __tablename__ = "figure"
    __table_args__ = (Index("ix_figure_name_start", "name", "period_start"),)

    id: int | None = Field(default=None, primary_key=True)
    name: str
    period: str  # its label: 2023, 2023Q2, 2023-06
    period_start: date
    period_end: date
    unit_id: int | None = Field(default=None, foreign_key="unit.id")
    amount_yuan: int = Field(sa_column=Column(BigInteger, nullable=False))
    note: str | None = None
    currency: str | None = None  # None: yuan; else amount_yuan is 0 and the amount is amount_original
    amount_original: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    created_at: datetime
    created_by: str
    voided_at: datetime | None = None
    void_reason: str | None = None


class Change(SQLModel, table=True):
    """One write command's change: the rows it created and the values it altered (JSON), so that
    `zs history` can list it and `zs undo` can reverse it. An undo is itself a change."""

    id: int | None = Field(default=None, primary_key=True)
    at: datetime
    actor: str
    command: str
    summary: str
    payload: str
    undo_of: int | None = Field(default=None, foreign_key="change.id")
    undone_by: int | None = Field(default=None, foreign_key="change.id", index=True)
    source: str | None = None  # the ledger a merged change came from; such changes are not undone
