import importlib

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        # The lower apps announce their events with signals; notifications.receivers turns them into
        # notify() calls (connected here, once the apps are loaded).
        try:
            importlib.import_module(f"{self.name}.receivers")
        except ModuleNotFoundError as error:
            if error.name != f"{self.name}.receivers":
                raise
