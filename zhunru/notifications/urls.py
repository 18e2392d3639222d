from django.urls import path

from . import views

urlpatterns = [
    path("", views.notification_list, name="notifications"),
    path("<int:pk>/", views.notification_open, name="notification_open"),
    path("read-all", views.notification_read_all, name="notifications_read_all"),
]
