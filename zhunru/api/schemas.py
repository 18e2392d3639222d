"""The application's shape for the API (FIELDS.md). Every field may be missing: a draft holds anything.

Values with a fixed set (procedure, kind, …) are typed, so a value outside the set is a body the
server cannot read (422, the field named); whether a present value satisfies the rules is for the
rules to say, in the 200 answer of the pre-check.
"""

import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict

from zhunru.text import clean_text

# Every text a body carries: NUL and lone surrogates dropped (zhunru/text.py).
Text = Annotated[str, AfterValidator(clean_text)]


class Loose(BaseModel):
    # Plain pydantic, not ninja's Schema: Schema reads attributes off any object, so a list
    # sent where an object belongs would pass as an empty object instead of being refused.
    model_config = ConfigDict(extra="ignore")


class Involves(Loose):
    certificate: bool | None = None
    forms_or_system: bool | None = None
    system_name: Text | None = None
    assessment: bool | None = None
    assessment_name: Text | None = None
    plaque: bool | None = None
    plaque_name: Text | None = None
    ledger: bool | None = None


class Basis(Loose):
    types: list[Literal["central", "laws", "municipal"]] = []
    documents: list[Text] = []


class TimeLimit(Loose):
    type: Literal["one_time", "annual", "ongoing", "other"] | None = None
    start: datetime.date | None = None
    end: datetime.date | None = None
    description: Text | None = None


class Duty(Loose):
    text: Text | None = None
    mode: Text | None = None


class Funding(Loose):
    amount: Text | None = None
    way: Text | None = None


class Project(Loose):
    name: Text | None = None
    description: Text | None = None


class Manpower(Loose):
    source: Text | None = None


class Resource(Loose):
    description: Text | None = None


class Policy(Loose):
    handbook: Text | None = None


class Support(Loose):
    funding: Funding | None = None
    project: Project | None = None
    manpower: Manpower | None = None
    resource: Resource | None = None
    policy: Policy | None = None
    exception_reason: Text | None = None


class Course(Loose):
    name: Text | None = None
    audience: Text | None = None
    frequency: Text | None = None
    department: Text | None = None


class VerbalReportInline(Loose):
    on: datetime.date | None = None
    by: Text | None = None
    channel: Text | None = None
    content: Text | None = None


class ApplicationBody(Loose):
    department: Text | None = None
    procedure: Literal["regular", "simplified", "emergency"] | None = None
    kind: Literal["new", "adjust", "exit"] | None = None
    adjusts_item: Text | int | None = None
    exit_reason: Text | None = None
    task_start: datetime.date | None = None
    name: Text | None = None
    summary: Text | None = None
    municipal_comparison: Literal["same", "reworded", "new"] | None = None
    municipal_item: Text | None = None
    involves: Involves | None = None
    basis: Basis | None = None
    scope: Literal["all", "some"] | None = None
    scope_committees: list[Text] | None = None
    time_limit: TimeLimit | None = None
    duties: list[Duty] | None = None
    support: Support | None = None
    courses: list[Course] | None = None
    verbal_report: VerbalReportInline | None = None
    verbal_report_id: int | None = None


class CheckBody(ApplicationBody):
    as_of: datetime.date | None = None


class TokenBody(Loose):
    username: Text
    password: str


class CommentBody(Loose):
    comment: Text = ""


class VerbalReportBody(Loose):
    department: Text
    on: datetime.date
    by: Text
    channel: Literal["phone", "in_person", "other"]
    content: Text
