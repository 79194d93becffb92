"""`python -m portal restore <dir>`: a backup of `backup` into an empty database and
MEDIA_ROOT, checked against its manifest, then the search indexes rebuilt (see
portal/backup.py and the README's "Backup and restore")."""

from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from portal.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup into an empty database and media folder, check it against its "
        "manifest and rebuild the search indexes."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, help="a folder written by `backup`")
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace the content of a database (and media folder) that is not empty",
        )

    def handle(self, *args, directory, force, **options):
        try:
            result = backup_restore(directory, force=force)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored {result.rows} rows in {result.tables} tables and {result.files} files; "
            "row counts and checksums match the manifest. Rebuilding the search indexes…"
        )
        call_command("rebuild_index", interactive=False, verbosity=0)
        self.stdout.write("Search indexes rebuilt.")
