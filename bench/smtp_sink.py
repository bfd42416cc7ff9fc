"""A small SMTP server that accepts every message and remembers who received what.

Used by the mailing benchmark and by the test that kills a job consumer mid-send: each message
is recorded as (recipient, Message-ID), so that duplicates can be counted.
"""

import re
import socket
import threading
import time

from aiosmtpd.controller import Controller

MESSAGE_ID = re.compile(rb"^Message-ID:\s*(<[^>]+>)", re.I | re.M)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Recorder:
    def __init__(self):
        self.received = []
        self.times = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        found = MESSAGE_ID.search(envelope.original_content or envelope.content or b"")
        message_id = found.group(1).decode() if found else ""
        with self.lock:
            for recipient in envelope.rcpt_tos:
                self.received.append((recipient.lower(), message_id))
                self.times.append(time.monotonic())
        return "250 Message accepted"


class Sink:
    """Start with `with Sink() as sink:`; `sink.port`, `sink.count`, `sink.by_recipient()`."""

    def __init__(self, port=None):
        self.port = port or free_port()
        self.recorder = Recorder()
        self.controller = Controller(self.recorder, hostname="127.0.0.1", port=self.port)

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()

    @property
    def count(self):
        with self.recorder.lock:
            return len(self.recorder.received)

    def by_recipient(self):
        counts = {}
        with self.recorder.lock:
            for recipient, _message_id in self.recorder.received:
                counts[recipient] = counts.get(recipient, 0) + 1
        return counts

    def wait_for(self, count, timeout):
        deadline = time.monotonic() + timeout
        while self.count < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.count
