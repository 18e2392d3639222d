from django.urls import path

from zhunru.documents import views as document_views

from . import views

urlpatterns = [
    path("", views.application_list, name="applications"),
    path("new", views.application_new, name="application_new"),
    path("<int:pk>/", views.application_detail, name="application_detail"),
    path("<int:pk>/edit", views.application_edit, name="application_edit"),
    path("<int:pk>/autosave", views.application_autosave, name="application_autosave"),
    path("<int:pk>/precheck", views.application_precheck, name="application_precheck"),
    path("<int:pk>/sign", views.application_sign, name="application_sign"),
    path("<int:pk>/withdraw", views.application_withdraw, name="application_withdraw"),
    path("<int:pk>/attachments", views.attachment_upload, name="attachment_upload"),
    path("<int:pk>/attachments/<int:att_pk>/delete", views.attachment_delete, name="attachment_delete"),
    path("<int:pk>/attachments/<int:att_pk>", views.attachment_download, name="attachment_download"),
    path("<int:pk>/form.docx", document_views.application_docx, name="application_docx"),
]
