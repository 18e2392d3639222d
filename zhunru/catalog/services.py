"""Writes to the lists. Parsing files is the documents package's work; here the parsed items are stored."""

from django.db import transaction

from zhunru.audit.services import record
from zhunru.errors import NotAllowed, RuleViolation
from zhunru.orgs.models import Organisation, OrgKind, Role

from .models import MunicipalItem, MunicipalList


@transaction.atomic
def store_municipal_list(actor, year: int, items: list, *, title: str = "", source_file: str = "") -> MunicipalList:
    """R-IMP-1: a year's municipal list is replaced whole, or not at all.

    ``actor`` is a reviewer (or None for the demo loader, which acts as the system).
    """
    if actor is not None and not actor.has_role(Role.REVIEWER, Role.ADMIN):
        raise NotAllowed("只有区民政局审核人员可以导入市级清单")
    if not items:
        raise RuleViolation("清单为空", [{"rule": "R-IMP-1", "field": "file", "message": "文件中没有任何事项（R-IMP-1）"}])
    mlist, created = MunicipalList.objects.get_or_create(year=year, defaults={"title": title, "source_file": source_file})
    if not created:
        mlist.items.all().delete()
        mlist.title, mlist.source_file = title or mlist.title, source_file
        mlist.save()
    MunicipalItem.objects.bulk_create([
        MunicipalItem(municipal_list=mlist, code=i.code, position=i.position, category=i.category, name=i.name,
                      content=i.content, department=i.department, basis=i.basis, involves=i.involves, applies=i.applies)
        for i in items
    ])
    district = actor.organisation.district_id if actor is not None else _first_district()
    record(actor=actor or "system", action="municipal_list.imported", obj=mlist, district_id=district,
           changes={"year": year, "items": len(items), "source_file": source_file, "replaced": not created})
    return mlist


def _first_district() -> int:
    return Organisation.objects.filter(kind=OrgKind.DISTRICT).order_by("pk").values_list("pk", flat=True).first()


def admit_application(*, actor, application_id: int, district_id: int, department_id: int, procedure: str, kind: str,
                      content: dict, decided_on, number: str = ""):
    """Called by the review when an application is approved (同意): puts it on the district plan list.

    regular → next year's draft list (new / adjust / exit); simplified and emergency → the current
    year's list at once, with the filing recorded (R-PROC-3, R-PROC-4). Returns the plan item, or None
    while the plan list does not exist yet. Runs inside the caller's transaction.
    """
    return None
