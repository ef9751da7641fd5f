from django.apps import AppConfig


class DevdataConfig(AppConfig):
    """Demo data and the national data generator: they write every app's tables, so they stand on top."""

    name = "devdata"
    verbose_name = "Development data"
