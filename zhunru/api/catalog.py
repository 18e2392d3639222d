"""API of the lists (issue 4): municipal import, plan lists, exports, lookup, exits, comparison."""

from ninja import Router

router = Router(tags=["catalog"])
