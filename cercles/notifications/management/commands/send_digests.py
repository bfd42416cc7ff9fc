from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from cercles.notifications.digests import batches, ensure_schedules, send_digest_batch
from cercles.notifications.kinds import DIGESTS
from cercles.notifications.tasks import queue_due_digests


class Command(BaseCommand):
    help = (
        "Send the digests whose time has come (what the periodic job does), or with --now every "
        "person's digest at once, here and now (for a demo)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--now",
            action="store_true",
            help="Send now, whatever the time each person chose, without the job queue.",
        )
        parser.add_argument(
            "--frequency", choices=[str(d) for d in DIGESTS], help="Only this digest."
        )
        parser.add_argument("--email", help="Only this person's digests.")

    def handle(self, *args, now=False, frequency=None, email=None, **options):
        if not now:
            if frequency or email:
                raise CommandError("--frequency and --email go with --now.")
            queued = queue_due_digests()
            self.stdout.write(f"Digests queued for {queued} people.")
            return
        moment = timezone.now()
        ensure_schedules(moment)
        people = get_user_model().objects.filter(is_active=True)
        if email:
            people = people.filter(email__iexact=email)
            if not people.exists():
                raise CommandError(f"Nobody active has the address {email}.")
        ids = list(people.order_by("pk").values_list("pk", flat=True))
        run = f"now-{int(moment.timestamp())}"
        for digest in [frequency] if frequency else [str(d) for d in DIGESTS]:
            sent = empty = 0
            for batch in batches(ids):
                batch_sent, batch_empty = send_digest_batch(digest, batch, moment, run=run)
                sent += batch_sent
                empty += batch_empty
            self.stdout.write(
                f"{digest}: {sent} digests sent, {empty} people with nothing new, "
                f"{len(ids) - sent - empty} not sent (no confirmed address, stopped, "
                "or already sent)."
            )
