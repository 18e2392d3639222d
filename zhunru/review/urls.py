from django.urls import path

from . import drafts, views

urlpatterns = [
    path("", views.queue, name="review_queue"),
    path("<int:pk>/", views.desk, name="review_desk"),
    path("<int:pk>/necessity", views.necessity, name="review_necessity"),
    path("<int:pk>/invite", views.invite, name="review_invite"),
    path("<int:pk>/return", views.return_view, name="review_return"),
    path("<int:pk>/decide", views.decide, name="review_decide"),
    path("<int:pk>/handover", views.handover, name="review_handover"),
    path("invitations/<int:inv_pk>/", views.invitation, name="review_invitation"),
    path("invitations/<int:inv_pk>/remind", views.remind, name="review_remind"),
    path("verbal-reports/", views.verbal_reports, name="review_verbal_reports"),
    path("drafts/", drafts.draft_list, name="review_drafts"),
    path("drafts/<int:pk>/", drafts.draft_detail, name="review_draft"),
    path("drafts/<int:pk>/file", drafts.draft_file, name="review_draft_file"),
]
