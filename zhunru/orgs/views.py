from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render

from .models import Role


def healthz(request):
    """Answers ok only after the database does."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any database failure means not healthy
        return JsonResponse({"status": "error", "detail": "数据库不可用"}, status=503)
    return JsonResponse({"status": "ok"})


@login_required
def home(request):
    """Everyone starts on their to-do list (待办); the administrator, who has none, on the admin."""
    user = request.user
    if user.role_codes == {Role.ADMIN} and user.is_staff:
        return redirect("admin:index")
    if user.role_codes:
        return redirect("todo")
    return render(request, "home.html")


def not_found(request, exception=None):
    return render(request, "404.html", status=404)
