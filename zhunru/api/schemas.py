"""The application's shape for the API (FIELDS.md). Every field may be missing: a draft holds anything.

Values with a fixed set (procedure, kind, …) are typed, so a value outside the set is a body the
server cannot read (422, the field named); whether a present value satisfies the rules is for the
rules to say, in the 200 answer of the pre-check.
"""

import datetime
from typing import Literal

from ninja import Schema
from pydantic import ConfigDict


class Loose(Schema):
    model_config = ConfigDict(extra="ignore")


class Involves(Loose):
    certificate: bool | None = None
    forms_or_system: bool | None = None
    system_name: str | None = None
    assessment: bool | None = None
    assessment_name: str | None = None
    plaque: bool | None = None
    plaque_name: str | None = None
    ledger: bool | None = None


class Basis(Loose):
    types: list[Literal["central", "laws", "municipal"]] = []
    documents: list[str] = []


class TimeLimit(Loose):
    type: Literal["one_time", "annual", "ongoing", "other"] | None = None
    start: datetime.date | None = None
    end: datetime.date | None = None
    description: str | None = None


class Duty(Loose):
    text: str | None = None
    mode: str | None = None


class Funding(Loose):
    amount: str | None = None
    way: str | None = None


class Project(Loose):
    name: str | None = None
    description: str | None = None


class Manpower(Loose):
    source: str | None = None


class Resource(Loose):
    description: str | None = None


class Policy(Loose):
    handbook: str | None = None


class Support(Loose):
    funding: Funding | None = None
    project: Project | None = None
    manpower: Manpower | None = None
    resource: Resource | None = None
    policy: Policy | None = None
    exception_reason: str | None = None


class Course(Loose):
    name: str | None = None
    audience: str | None = None
    frequency: str | None = None
    department: str | None = None


class VerbalReportInline(Loose):
    on: datetime.date | None = None
    by: str | None = None
    channel: str | None = None
    content: str | None = None


class ApplicationBody(Loose):
    department: str | None = None
    procedure: Literal["regular", "simplified", "emergency"] | None = None
    kind: Literal["new", "adjust", "exit"] | None = None
    adjusts_item: str | int | None = None
    exit_reason: str | None = None
    task_start: datetime.date | None = None
    name: str | None = None
    summary: str | None = None
    municipal_comparison: Literal["same", "reworded", "new"] | None = None
    municipal_item: str | None = None
    involves: Involves | None = None
    basis: Basis | None = None
    scope: Literal["all", "some"] | None = None
    scope_committees: list[str] | None = None
    time_limit: TimeLimit | None = None
    duties: list[Duty] | None = None
    support: Support | None = None
    courses: list[Course] | None = None
    verbal_report: VerbalReportInline | None = None
    verbal_report_id: int | None = None


class CheckBody(ApplicationBody):
    as_of: datetime.date | None = None


class TokenBody(Schema):
    username: str
    password: str


class CommentBody(Schema):
    comment: str = ""


class VerbalReportBody(Schema):
    department: str
    on: datetime.date
    by: str
    channel: Literal["phone", "in_person", "other"]
    content: str
