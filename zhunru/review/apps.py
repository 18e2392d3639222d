from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "zhunru.review"
    verbose_name = "准入审核"
