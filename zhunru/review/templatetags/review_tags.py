from django import template

from zhunru.orgs.models import Role

register = template.Library()


@register.filter
def field_label(path):
    """A rule's field path as people read it: duties[0].mode → 第1条职责的协助方式."""
    from zhunru.review.labels import field_label as label

    return label(path)


@register.simple_tag(takes_context=True)
def todo_count(context):
    """The 待办 count in the navigation (R-NOTE-1)."""
    from zhunru.review.queries import todo_count as count

    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    if not hasattr(request, "_zhunru_todo_count"):
        request._zhunru_todo_count = count(user)
    return request._zhunru_todo_count


@register.inclusion_tag("review/_application_panel.html", takes_context=True)
def review_panel(context, app):
    """The review's part of the application page: the reviewer's way to the desk, the invitee's to its
    opinion form, the applicant's view of returns and the decision."""
    from zhunru.review.models import Decision, Invitation, ReturnForRevision
    from zhunru.review.queries import CLOSED_STATUSES

    user = context["request"].user
    mine = Invitation.objects.filter(application=app, organisation_id=user.organisation_id).order_by("-round", "-id").first()
    return {
        "app": app,
        "review_ended": app.status in CLOSED_STATUSES,
        "is_reviewer": user.has_role(Role.REVIEWER, Role.SUPERVISOR),
        "invitation": mine,
        "last_return": ReturnForRevision.objects.filter(application=app).order_by("-id").first() if app.status == "returned" else None,
        "decision": Decision.objects.filter(application=app).first(),
    }
