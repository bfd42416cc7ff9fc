import importlib

from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings
from huey.contrib.djhuey import HUEY

from cercles.accounts.models import User

# Each part of the product adds its demo data through a `demo.seed(stdout)` function, in order.
DEMO_MODULES = [
    "cercles.taxonomy.demo",
    "cercles.accounts.demo",
    "cercles.communities.demo",
    "cercles.meetings.demo",
    "cercles.library.demo",
    "cercles.communities.demo_planning",
    "cercles.coordination.demo",
    "cercles.discussions.demo",
    "cercles.surveys.demo",
    "cercles.notifications.demo",
    "cercles.coordination.demo_newsletter",
    "cercles.api.demo",
    "cercles.seasons.demo",
    "cercles.mentoring.demo",
    "cercles.coordination.demo_leads_circle",
    "cercles.reporting.demo",
    # Last: the follow-up figures read everything the other parts created, and search indexes
    # everything (what the other demos wrote in bulk too).
    "cercles.coordination.demo_follow_up",
    "cercles.search.demo",
]


class Command(BaseCommand):
    help = "Create (or complete) the demo network. Safe to run several times."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already has people in it.",
        )

    def handle(self, *args, if_empty=False, **options):
        if if_empty and User.objects.exists():
            self.stdout.write("The database already holds a network: demo data left as it is.")
            return
        # The demo's notifications stay in the app: their emails are not sent to anybody.
        was_immediate = HUEY.immediate
        HUEY.immediate = True
        try:
            with (
                override_settings(
                    EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
                    EMAIL_RATE_LIMIT=0,
                ),
                transaction.atomic(),
            ):
                for module_name in DEMO_MODULES:
                    importlib.import_module(module_name).seed(self.stdout)
        finally:
            HUEY.immediate = was_immediate
        self.stdout.write(self.style.SUCCESS("Demo network ready."))
