import sys
from email import message_from_binary_file, policy

from django.core.management.base import BaseCommand

from cercles.notifications.bounces import record_report


class Command(BaseCommand):
    help = (
        "Record a delivery status notification (a bounce, RFC 3464) read from standard input: "
        "pipe the mail server's bounce messages to it. A permanent failure stops the address."
    )

    def handle(self, *args, **options):
        report = message_from_binary_file(sys.stdin.buffer, policy=policy.default)
        recorded = record_report(report)
        for address, status in recorded:
            self.stdout.write(f"{address}: {status}")
        if not recorded:
            self.stdout.write("No failed recipient in this message.")
