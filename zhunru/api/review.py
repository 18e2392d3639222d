"""API of the review (issue 3): necessity, invitations, opinions, return, decision, handover, reminders, to-do.

The bodies are fixed by the issue so that other systems can rely on them. Each endpoint calls
the same service as the page and answers the application as GET /applications/{id} does.
"""

from typing import Literal

from ninja import Router
from pydantic import Field, StrictInt

from zhunru.intake import queries as intake_queries
from zhunru.review import queries, services
from zhunru.review.rules import DEFAULT_DEADLINE_DAYS

from .schemas import Loose

router = Router(tags=["review"])


class Body(Loose):
    """The project's body base (plain pydantic): a list or a number is never read as an empty object."""


class NecessityBody(Body):
    legality: Literal["pass", "fail"]
    reasonableness: Literal["pass", "fail"]
    necessity: Literal["pass", "fail"]
    comment: str = ""


class InvitationBody(Body):
    kind: Literal["joint_review", "consultation"]
    organisations: list[str] = Field(min_length=1)
    deadline_days: StrictInt = DEFAULT_DEADLINE_DAYS  # true/false are not numbers of days
    silence_means_no_opinion: bool | None = None


class OpinionBody(Body):
    # no_opinion is accepted here only to be refused with the rule's message: it is the system's alone.
    opinion: Literal["agree", "disagree", "comment", "no_opinion"]
    comment: str = ""
    invitation_id: int | None = None


class DecisionBody(Body):
    decision: Literal["approve", "reject"]
    reason: str = ""
    suggestions: str = ""
    override_reason: str = ""


class ReturnBody(Body):
    comment: str = ""


class HandoverBody(Body):
    to: str


def _created(request, data: dict, status: int = 201):
    from .main import api  # main mounts this router: imported at call time

    return api.create_response(request, data, status=status)


def application_with_review(app) -> dict:
    return {**intake_queries.application_dict(app), **queries.review_summary(app)}


def _answer(request, app_id: int) -> dict:
    return application_with_review(intake_queries.application_for(request.user, app_id))


@router.post("/applications/{int:app_id}/necessity")
def necessity(request, app_id: int, body: NecessityBody):
    services.record_necessity(request.user, intake_queries.application_for(request.user, app_id), **body.model_dump())
    return _answer(request, app_id)


@router.post("/applications/{int:app_id}/invitations")
def invitations(request, app_id: int, body: InvitationBody):
    created = services.invite(request.user, intake_queries.application_for(request.user, app_id), **body.model_dump())
    out = _answer(request, app_id)
    out["created"] = [i.pk for i in created]
    return _created(request, out, status=201)


@router.post("/applications/{int:app_id}/opinions")
def opinions(request, app_id: int, body: OpinionBody):
    op = services.give_opinion(request.user, intake_queries.application_for(request.user, app_id), **body.model_dump())
    return _created(request, {
        "id": op.pk, "invitation_id": op.invitation_id, "opinion": op.opinion, "opinion_label": op.get_opinion_display(),
        "comment": op.comment, "given_on": op.given_on.isoformat(), "late": op.late, "supplementary": op.supplementary,
    }, status=201)


@router.post("/applications/{int:app_id}/return")
def return_for_revision(request, app_id: int, body: ReturnBody):
    services.return_for_revision(request.user, intake_queries.application_for(request.user, app_id), comment=body.comment)
    return _answer(request, app_id)


@router.post("/applications/{int:app_id}/decision")
def decision(request, app_id: int, body: DecisionBody):
    services.decide(request.user, intake_queries.application_for(request.user, app_id), **body.model_dump())
    return _answer(request, app_id)


@router.post("/applications/{int:app_id}/handover")
def handover(request, app_id: int, body: HandoverBody):
    services.hand_over(request.user, intake_queries.application_for(request.user, app_id), to=body.to)
    return _answer(request, app_id)


@router.post("/invitations/{int:inv_id}/remind")
def remind(request, inv_id: int):
    inv = services.remind(request.user, queries.invitation_for(request.user, inv_id))
    return {"id": inv.pk, "organisation": inv.organisation.code, "deadline": inv.deadline.isoformat(),
            "reminders": inv.reminders, "last_reminded_on": inv.last_reminded_on.isoformat()}


@router.get("/todo")
def todo(request):
    lists = queries.todo_lists(request.user)
    return {key: [r.as_dict() for r in rows] for key, rows in lists.items()} | {"counts": {k: len(v) for k, v in lists.items()}}
