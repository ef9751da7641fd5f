from django.core.management.base import BaseCommand

from privacy import services


class Command(BaseCommand):
    help = (
        "Delete access-log entries and notifications past their retention "
        "(PRIVACY_ACCESS_LOG_RETENTION_DAYS, NOTIFICATION_RETENTION_DAYS)."
    )

    def handle(self, *args, **options) -> None:
        self.stdout.write(str(services.purge_expired()))
