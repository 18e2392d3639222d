"""File imports: parse (documents' work) then store through the owning package's service."""

from zhunru.catalog.services import store_municipal_list
from zhunru.errors import NotAllowed, RuleViolation
from zhunru.orgs.models import Role

from .municipal_import import ImportRefused, parse_municipal_file


def import_municipal_file(actor, data: bytes, filename: str, year: int, *, title: str = ""):
    """R-IMP-1: the whole file or nothing; every bad row is reported with its number."""
    # Who may import is asked before the file is read: parsing is work we do only for a reviewer.
    if actor is not None and not actor.has_role(Role.REVIEWER, Role.ADMIN):
        raise NotAllowed("只有区民政局审核人员可以导入市级清单")
    try:
        items = parse_municipal_file(data, filename, year)
    except ImportRefused as exc:
        raise RuleViolation("导入被拒绝", [
            {"rule": "R-IMP-1", "field": f"row {row}" if row else "file", "message": f"第{row}行：{reason}" if row else reason}
            for row, reason in exc.problems
        ]) from exc
    return store_municipal_list(actor, year, items, title=title, source_file=filename)
