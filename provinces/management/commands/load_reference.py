from django.core.management.base import BaseCommand, CommandError

from provinces.services import ReferenceDataError, reference_data_load


class Command(BaseCommand):
    help = "Load the 77 provinces, 18 clusters, regions and ASEAN countries from the project's CSV copies (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--data-dir", help="Folder holding provinces.csv and clusters.csv (default: the project's own)"
        )

    def handle(self, *args, **options):
        kwargs = {"data_dir": __import__("pathlib").Path(options["data_dir"])} if options["data_dir"] else {}
        try:
            report = reference_data_load(**kwargs)
        except ReferenceDataError as exc:
            raise CommandError(f"Nothing was loaded. {exc}") from exc
        if report.changed:
            self.stdout.write(
                f"Reference data loaded: created {report.created or '-'}, updated {report.updated or '-'}"
            )
        else:
            self.stdout.write("Reference data already up to date; nothing changed.")
