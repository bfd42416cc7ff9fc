import resource
import time

from django.core.management.base import BaseCommand, CommandError

from cercles.accounts.models import User
from cercles.communities.exports import export_filename, write_community_export
from cercles.communities.models import Community
from cercles.core.archives import ArchiveWriter


class Command(BaseCommand):
    help = (
        "Write a community's export (the ZIP leads and coordinators download) to a file, as a "
        "coordinator sees it; prints its size, the time taken and the peak memory of the process."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", nargs="?", help="The community; default: the largest one.")
        parser.add_argument("--output", help="The ZIP to write; default: its usual name here.")
        parser.add_argument(
            "--as", dest="email", help="Whose rights apply; default: a coordinator."
        )

    def handle(self, *args, slug=None, output=None, email=None, **options):
        if slug:
            community = Community.objects.filter(slug=slug).first()
        else:
            community = Community.objects.order_by("-member_count", "pk").first()
        if community is None:
            raise CommandError("No such community.")
        people = User.objects.filter(is_active=True)
        person = people.filter(email=email).first() if email else people.coordinators().first()
        if person is None:
            raise CommandError("Nobody to export as: give --as with an active person's email.")
        path = output or export_filename(community)
        started = time.monotonic()
        with ArchiveWriter(path) as writer:
            write_community_export(community, person, writer)
        elapsed = time.monotonic() - started
        peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        self.stdout.write(
            f"{community.slug}: {community.member_count} members → {path} "
            f"in {elapsed:.1f} s, peak memory {peak_kib / 1024:.0f} MiB"
        )
