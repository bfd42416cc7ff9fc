from django.core.management.base import BaseCommand, CommandError

from cercles.core.audit import record_event
from cercles.core.backups import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore an archive written by `manage.py backup` into an empty database and media "
        "folder. Every checksum is checked first; --force replaces what is there."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="The .tar.gz written by manage.py backup.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace a database and media folder that are not empty.",
        )

    def handle(self, *args, archive, force=False, **options):
        try:
            result = restore_backup(archive, force=force)
        except BackupError as error:
            raise CommandError(str(error)) from None
        record_event(
            None,
            "backup.restored",
            archive=str(archive),
            version=result.manifest.get("version", ""),
            created_at=result.manifest.get("created_at", ""),
            forced=force,
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored the backup of {result.manifest.get('created_at')} "
                f"(version {result.manifest.get('version')}, {result.files} files)."
            )
        )
        if result.set_aside:
            self.stdout.write(f"The media folder that was there is kept in {result.set_aside}.")
