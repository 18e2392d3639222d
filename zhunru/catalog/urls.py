from django.urls import path, re_path

from . import views

urlpatterns = [
    path("", views.plan_list_page, name="plan_list"),
    path("<int:year>/", views.plan_list_page, name="plan_list_year"),
    re_path(r"^(?P<year>[0-9]{4})/(?P<action>open|publish|file)$", views.plan_list_action, name="plan_list_action"),
    re_path(r"^(?P<year>[0-9]{4})/export\.(?P<fmt>xlsx|docx)$", views.export, name="plan_list_export"),
    path("<int:year>/filing-letter.docx", views.filing_letter, name="plan_list_filing_letter"),
    path("<int:year>/compare", views.compare, name="plan_list_compare"),
    path("items/<int:pk>/", views.item_detail, name="plan_item"),
    path("items/<int:pk>/exit", views.item_exit, name="plan_item_exit"),
    path("items/<int:pk>/confirm", views.item_confirm, name="plan_item_confirm"),
    path("lookup", views.lookup_page, name="lookup"),
    path("municipal/", views.municipal_page, name="municipal_lists"),
    path("municipal/<int:year>/", views.municipal_page, name="municipal_list_year"),
    path("municipal/import", views.municipal_import, name="municipal_import"),
]
