from .models import MunicipalItem, MunicipalList


def municipal_list_in_force(year: int) -> MunicipalList | None:
    """The newest municipal list of ``year`` or before: the one in force on a date of that year."""
    return MunicipalList.objects.filter(year__lte=year).order_by("-year").first()


def municipal_items_by_key(year: int) -> dict[str, MunicipalItem]:
    """Items of the list in force, reachable by code and by exact name (FIELDS.md accepts both)."""
    mlist = municipal_list_in_force(year)
    if mlist is None:
        return {}
    out = {}
    for item in mlist.items.all():
        out[item.code] = item
        out[item.name] = item
    return out
