from pathlib import Path

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from provinces.errors import WorkflowError
from strategies.import_files import ImportFile
from strategies.importing import ImportFailed, strategies_import


class Command(BaseCommand):
    help = (
        "Import strategies (and optionally their projects) from a CSV or XLSX file — all rows or none; "
        "importing the same file again changes nothing. Problems are listed in Thai, one per line. "
        "Without --as the import runs with administrator rights: no scope limit, and no user is recorded "
        "in the history. With --as it runs as that user, limited to what the user may change, as on the "
        "website: a cluster secretariat changes only the cluster's own strategies; a planner only their "
        "province's."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path", help="the strategies file (.csv or .xlsx; a workbook may hold a 'projects' sheet)"
        )
        parser.add_argument("--projects", metavar="PATH2", help="a separate projects file (.csv or .xlsx)")
        parser.add_argument(
            "--as",
            dest="username",
            metavar="USERNAME",
            help="import as this user, within the user's scope (default: administrator-level, no scope limit)",
        )

    def handle(self, *args, path, projects=None, username=None, **options):
        with translation.override("th"):
            by = None
            if username:
                by = User.objects.filter(username=username).first()
                if by is None:
                    raise CommandError(f"No user named {username!r}.")
            files = [self._read(path)]
            if projects:
                files.append(self._read(projects))
            try:
                summary = strategies_import(
                    strategies=files[0],
                    projects=files[1] if projects else None,
                    by=by,
                    unrestricted=by is None,
                )
            except ImportFailed as exc:
                for issue in exc.issues:
                    self.stderr.write(str(issue))
                raise CommandError(exc.message) from None
            except WorkflowError as exc:
                raise CommandError(exc.message) from None
            for line in summary.lines():
                self.stdout.write(line)

    @staticmethod
    def _read(path: str) -> ImportFile:
        try:
            return ImportFile(name=path, content=Path(path).read_bytes())
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from None
