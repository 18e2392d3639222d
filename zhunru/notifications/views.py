from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from . import queries, services
from .models import Notification


@login_required
def notification_list(request):
    return render(request, "notifications/list.html", {"notifications": queries.notifications_for(request.user)})


@login_required
def notification_open(request, pk):
    """Marks it read and goes straight to the item."""
    note = get_object_or_404(Notification, pk=pk, user=request.user)
    services.mark_read(request.user, note)
    if not url_has_allowed_host_and_scheme(note.url, allowed_hosts={request.get_host()}):
        return redirect("notifications")
    return redirect(note.url)


@login_required
@require_POST
def notification_read_all(request):
    services.mark_all_read(request.user)
    return redirect("notifications")
