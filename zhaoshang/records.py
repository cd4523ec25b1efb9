"""Plain values read from the ledger: what commands render and what --json prints.

They hold names rather than ids for units and people, codes (English) for stages, kinds and
roles, integer yuan for money and `date` for dates. No database types leak out of here.
"""

import datetime as dt
from dataclasses import dataclass, field

from zhaoshang.labels import ActivityKind, Currency, EventType, Mode, Origin, ProjectType, Role, Stage, Tier, UnitKind


@dataclass(frozen=True)
class UnitRecord:
    id: int
    name: str
    kind: UnitKind
    people: int = 0


@dataclass(frozen=True)
class PersonRecord:
    id: int
    name: str
    unit: str
    role: Role


@dataclass(frozen=True)
class ActivityRecord:
    id: int
    kind: ActivityKind
    date: dt.date
    end_date: dt.date | None
    unit: str
    leader: str | None
    mode: Mode | None
    event_type: EventType | None
    destination: str | None
    companies: list[str]
    projects: list[int]
    note: str | None
    voided: bool
    void_reason: str | None
    units: list[str] = field(default_factory=list)  # every unit, `unit` first
    people: list[str] = field(default_factory=list)  # the leader first, then who went along


@dataclass(frozen=True)
class MilestoneRecord:
    stage: Stage
    date: dt.date
    forced: bool = False
    reason: str | None = None
    event_id: int | None = None  # the event (a fair, a 签约仪式) it was reached at


@dataclass(frozen=True)
class FundRecord:
    id: int
    amount_yuan: int
    origin: Origin
    date: dt.date
    note: str | None = None
    currency: Currency | None = None  # typed in another currency: amount_yuan converted at the rates in use
    amount_original: int | None = None


@dataclass(frozen=True)
class NoteRecord:
    id: int
    date: dt.date
    text: str
    problem: bool
    assignee: str | None = None
    due: dt.date | None = None
    resolved_on: dt.date | None = None
    resolution: str | None = None


@dataclass(frozen=True)
class ProjectRecord:
    id: int
    name: str
    unit: str
    amount_yuan: int
    stage: Stage
    stage_date: dt.date
    company: str | None = None
    industry: str | None = None
    key: bool = False
    owner: str | None = None
    leader: str | None = None
    start_deadline: dt.date | None = None
    funds_yuan: int = 0
    type: ProjectType = ProjectType.new
    increase_yuan: int | None = None  # of an 增资 project: what counts, not its total
    currency: Currency | None = None  # typed in another currency: amount_yuan converted at the rates in use
    amount_original: int | None = None


@dataclass(frozen=True)
class ProjectDetail(ProjectRecord):
    milestones: list[MilestoneRecord] = field(default_factory=list)
    funds: list[FundRecord] = field(default_factory=list)
    notes: list[NoteRecord] = field(default_factory=list)


@dataclass(frozen=True)
class CountedRecord:
    """One record behind a figure: an activity, a project reaching a stage, or a fund."""

    subject: str
    table: str  # activity | project | fund | figure
    id: int
    date: dt.date
    kind: str  # activity kind, stage reached, or fund origin (codes)
    text: str  # destination or company, project name
    unit: str
    amount_yuan: int | None
    # who and what it was with, as the detail sheet prints them (、-joined): an activity's companies,
    # leader, people along and destination; a project's (or a fund's project's) company, 包保领导, 责任人
    companies: str = ""
    leader: str = ""
    people: str = ""
    destination: str = ""


@dataclass(frozen=True)
class ProjectState(ProjectRecord):
    """A project as it stood on a day: its stage then and since when, the funds arrived by then, and
    the notes that matter for the month (this month's progress, the problems noted up to the day)."""

    progress: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()  # the open ones, as the month report lists them
    open_problems: tuple[NoteRecord, ...] = ()  # the same, typed: assignee, due
    progress_notes: tuple[NoteRecord, ...] = ()  # this month's progress, typed: its date and text


@dataclass(frozen=True)
class CompanyRecord:
    """A company of the register, with how many activities (not voided) and projects name it."""

    id: int
    name: str
    tiers: list[Tier]
    origin: str | None
    industry: str | None
    contact: str | None
    activities: int = 0
    projects: int = 0


@dataclass(frozen=True)
class CompanyEntry:
    """A record that names a company: an activity (its kind) or a project (its stage now)."""

    date: dt.date
    table: str  # activity | project
    id: int
    code: str  # activity kind or stage (codes)
    label: str  # the same in Chinese
    units: list[str]
    text: str  # an activity's destination or note, a project's name
    voided: bool = False


@dataclass(frozen=True)
class CompanyDetail(CompanyRecord):
    records: list[CompanyEntry] = field(default_factory=list)


@dataclass(frozen=True)
class FigureRecord:
    """A figure reported by hand for a period, of a unit or (unit None) of the whole region."""

    id: int
    name: str
    period: str
    start: dt.date
    end: dt.date
    unit: str | None
    amount_yuan: int
    note: str | None = None
    currency: Currency | None = None
    amount_original: int | None = None
    void_reason: str | None = None  # voided: it stays, marked, and counts nowhere
