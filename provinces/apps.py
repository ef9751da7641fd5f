from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ProvincesConfig(AppConfig):
    name = "provinces"
    verbose_name = _("Provinces and clusters")

    def ready(self) -> None:
        from . import dataversion

        # After every migrate (and every test database flush): the tables may have changed.
        post_migrate.connect(dataversion.install_triggers, sender=self, dispatch_uid="data_version_triggers")
