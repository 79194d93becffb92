"""`python -m portal backup <dir>`: the database, the media files and a manifest (see
portal/backup.py and the README's "Backup and restore")."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "Back up the database and the uploaded files into a new or empty folder."

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, help="a new or empty folder")

    def handle(self, *args, directory, **options):
        try:
            manifest = backup_create(directory)
        except BackupError as error:
            raise CommandError(str(error)) from error
        tables = manifest["database"]["tables"]
        self.stdout.write(
            f"Backed up {sum(tables.values())} rows in {len(tables)} tables "
            f"({manifest['database']['engine']}) and {len(manifest['media']['files'])} files "
            f"into {directory}."
        )
