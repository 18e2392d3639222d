"""API of the review (issue 3): necessity, invitations, opinions, return, decision, handover, to-do."""

from ninja import Router

router = Router(tags=["review"])
