from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "zhunru.catalog"
    verbose_name = "清单"
