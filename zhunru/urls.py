from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from zhunru.api.main import api
from zhunru.orgs import views as org_views
from zhunru.review import views as review_views

urlpatterns = [
    path("healthz", org_views.healthz, name="healthz"),
    path("login/", auth_views.LoginView.as_view(template_name="login.html", redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", org_views.home, name="home"),
    path("applications/", include("zhunru.intake.urls")),
    path("review/", include("zhunru.review.urls")),
    path("todo/", review_views.todo, name="todo"),
    path("notifications/", include("zhunru.notifications.urls")),
    path("lists/", include("zhunru.catalog.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]
handler404 = "zhunru.orgs.views.not_found"
