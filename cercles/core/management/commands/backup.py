from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cercles.core.backups import BackupError, create_backup


class Command(BaseCommand):
    help = (
        "Write one archive with the database (pg_dump or SQLite's online backup), the media "
        "files and a manifest with their checksums and the application's version."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            default=str(settings.BACKUP_DIR),
            help="Folder (or file name) of the archive; default: BACKUP_DIR (%(default)s).",
        )

    def handle(self, *args, output, **options):
        try:
            path = create_backup(output)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(f"Backup written: {path}"))
