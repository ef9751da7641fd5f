from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    """The landing pages and the dashboards: they read every app, so they stand on top of them all."""

    name = "dashboards"
    verbose_name = "Dashboards"
