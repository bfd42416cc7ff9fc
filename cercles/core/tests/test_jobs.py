import os

import pytest
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.core.mail import EmailMultiAlternatives
from huey.contrib.djhuey import HUEY

from cercles.core.email import queue_email


def test_queued_email_is_delivered_by_the_job():
    message = EmailMultiAlternatives("Objet", "Corps", "a@example.org", ["b@example.org"])
    message.attach_alternative("<p>Corps</p>", "text/html")
    queue_email(message)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Objet"
    assert mail.outbox[0].alternatives[0][0] == "<p>Corps</p>"


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="runs where REDIS_URL is set (CI)")
def test_cache_and_job_queue_run_on_redis():
    assert settings.CACHES["default"]["BACKEND"].endswith("RedisCache")
    cache.set("probe", "valeur")
    assert cache.get("probe") == "valeur"
    assert type(HUEY.storage).__name__ == "PriorityRedisStorage"
    HUEY.storage.enqueue(b"probe", 0)
    assert HUEY.storage.queue_size() >= 1
    assert HUEY.storage.dequeue() == b"probe"
