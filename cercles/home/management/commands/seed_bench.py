import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from cercles.accounts.models import User


class Command(BaseCommand):
    help = "Fill an empty database with a synthetic network for benchmarks (bench/generate.py)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=["S", "M", "L"], default="S")
        parser.add_argument(
            "--flush", action="store_true", help="Empty the database first (never on real data)."
        )

    def handle(self, *args, scale, flush, **options):
        import bench.generate_more  # noqa: F401 - registers the parts of life inside communities
        from bench.generate import generate

        if scale == "L" and connection.vendor != "postgresql":
            raise CommandError("Scale L needs PostgreSQL (set DATABASE_URL).")
        if flush:
            call_command("flush", "--noinput", verbosity=0)
            call_command("migrate", "--noinput", verbosity=0)  # data migrations (themes)
        elif User.objects.exists():
            raise CommandError("The database already holds people: use an empty one or --flush.")
        started = time.monotonic()
        self.stdout.write(f"Generating scale {scale} on {connection.vendor}…")
        generate(scale, stdout=self.stdout)
        # As a database in service would be after autovacuum: planner statistics and visibility
        # maps up to date, so that the plans measured are the plans people get.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
        self.stdout.write(
            self.style.SUCCESS(f"Scale {scale} ready in {time.monotonic() - started:.0f} s.")
        )
