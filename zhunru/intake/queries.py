"""Read paths for applications, scoped by orgs.scoping, with a fixed number of queries."""

from django.db.models import Count, Prefetch

from zhunru.orgs.scoping import get_visible_or_404, visible

from .models import Application, Attachment, Status


def applications_for(user, *, status: str | None = None, mine: bool = False):
    qs = visible(Application.objects.select_related("department", "verbal_report"), user)
    if mine:
        qs = qs.filter(department=user.organisation)
    if status:
        qs = qs.filter(status=status)
    return qs.annotate(attachment_count=Count("attachments"))


def application_for(user, pk) -> Application:
    qs = Application.objects.select_related("department", "district", "verbal_report", "signed_by").prefetch_related(
        Prefetch("attachments", queryset=Attachment.objects.order_by("uploaded_at", "id"))
    )
    return get_visible_or_404(qs, user, pk=pk)


def status_counts(user) -> dict[str, int]:
    rows = visible(Application.objects.all(), user).values_list("status").annotate(n=Count("id"))
    counts = {s: 0 for s in Status.values}
    counts.update(dict(rows))
    return counts


def application_dict(app: Application, *, with_attachments: bool = True) -> dict:
    """The application as the API answers it: its identity and state, then the form's fields."""
    out = {
        "id": app.pk,
        "status": app.status,
        "status_label": app.get_status_display(),
        "number": app.number,
        "department_name": app.department.name,
        "submitted_on": app.submitted_on.isoformat() if app.submitted_on else None,
        "head_signoff": {"name": app.head_signoff_name, "date": app.head_signoff_date.isoformat()} if app.head_signoff_date else None,
        "sent_back_comment": app.sent_back_comment or None,
        "verbal_report_id": app.verbal_report_id,
        "backfill_due": app.verbal_report.backfill_due.isoformat() if app.verbal_report_id else None,
        "updated_at": app.updated_at.isoformat(),
    }
    out.update({k: v for k, v in app.content.items() if k not in out})
    if with_attachments:
        out["attachments"] = [
            {"id": a.pk, "name": a.original_name, "kind": a.kind, "type": a.detected_type, "size": a.size} for a in app.attachments.all()
        ]
    return out
