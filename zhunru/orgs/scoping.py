"""Who may see what: the one place where every list and object lookup is scoped (SPEC §2).

A model declares which of its fields name the owning organisation and the district
(``scope_fields = {"owner": "department", "district": "district"}``) and optionally
``district_wide_q``, a Q object that limits what district-wide roles see (the reviewer
does not see drafts). This module turns a user into a filter over those fields, so no
view or API endpoint writes its own filter.
"""

from django.db.models import Q, QuerySet
from django.http import Http404

from .models import Role

# Roles that see what the whole district owns (within district_wide_q).
DISTRICT_WIDE_ROLES = (Role.REVIEWER, Role.SUPERVISOR)
# Roles that act for their own organisation's objects.
OWNER_ROLES = (Role.APPLICANT, Role.APPLICANT_HEAD)


def _spec(model):
    spec = getattr(model, "scope_fields", None)
    if spec is None:
        raise TypeError(f"{model.__name__} declares no scope_fields")
    return spec


def visible(qs: QuerySet, user) -> QuerySet:
    """The part of ``qs`` that ``user``'s organisation may see."""
    if not user.is_authenticated or user.organisation_id is None:
        return qs.none()
    model = qs.model
    spec = _spec(model)
    org = user.organisation
    cond = Q(pk__in=[])
    if user.has_role(*OWNER_ROLES):
        cond |= Q(**{spec["owner"]: org.pk})
    if user.has_role(*DISTRICT_WIDE_ROLES) and org.district_id:
        wide = Q(**{spec["district"]: org.district_id})
        extra = getattr(model, "district_wide_q", None)
        cond |= wide & extra if extra is not None else wide
    invited = spec.get("invited")
    if invited:
        # Organisations invited to take part (joint review, consultation) see that object only.
        # A subquery, not a join: a join repeats rows per invitation and inflates Count() annotations.
        cond |= Q(pk__in=model.objects.filter(**{invited: org.pk}).values("pk"))
    return qs.filter(cond)


def get_visible_or_404(qs: QuerySet, user, **lookup):
    """Another organisation's object answers 404, never 403: its existence is not disclosed."""
    try:
        return visible(qs, user).get(**lookup)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise Http404("未找到该对象，或您无权查看。") from None
