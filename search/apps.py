from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    """The scoped Thai/English search: an index table kept up to date by signals, and the /search/ page."""

    name = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        from . import signals

        signals.connect()
