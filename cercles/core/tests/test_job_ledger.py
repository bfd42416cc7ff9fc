"""The job ledger (core/jobs.py): no job lost when the queue is away or a consumer dies, and
the database effect of a `once_task` happens once. A queue of the test's own, not immediate;
the fault scripts (bench/faults.py) do the same with real Redis, PostgreSQL and consumers."""

import datetime

import pytest
import time_machine
from django.db import OperationalError, transaction
from django.utils import timezone
from huey import MemoryHuey

from cercles.core.jobs import (
    LedgerMixin,
    LedgerPriorityRedisHuey,
    claim,
    forget_finished_jobs,
    once_task,
    resend_held_jobs,
)
from cercles.core.models import AuditEvent, Job

pytestmark = pytest.mark.django_db(transaction=True)


class LedgerMemoryHuey(LedgerMixin, MemoryHuey):
    pass


@pytest.fixture
def huey():
    queue = LedgerMemoryHuey("ledger-test", immediate=False, utc=True)

    @once_task(huey=queue)
    def write(marker):
        AuditEvent.objects.create(action="test.job", details={"marker": marker})

    @once_task(huey=queue)
    def write_then_fail(marker):
        AuditEvent.objects.create(action="test.job", details={"marker": marker})
        raise RuntimeError("died after its write")

    queue.write, queue.write_then_fail = write, write_then_fail
    return queue


def effects(marker):
    return AuditEvent.objects.filter(action="test.job", details__marker=marker).count()


def run_next(huey):
    """What a consumer's worker does with the next job of the queue."""
    task = huey.dequeue()
    assert task is not None, "the queue is empty"
    huey.execute(task)
    return task


def queue_down(huey, monkeypatch):
    def refuse(*args, **kwargs):
        raise ConnectionError("Redis is away")

    monkeypatch.setattr(huey.storage, "enqueue", refuse)


def test_a_job_is_recorded_then_done(huey):
    result = huey.write("a")
    assert Job.objects.get(pk=result.id).state == "queued"
    run_next(huey)
    job = Job.objects.get(pk=result.id)
    assert (job.state, job.attempts, effects("a")) == ("done", 1, 1)


def test_with_the_queue_away_the_job_waits_then_runs_when_it_returns(huey, monkeypatch):
    with monkeypatch.context() as patch:
        queue_down(huey, patch)
        result = huey.write("b")  # no error reaches the caller
    assert Job.objects.get(pk=result.id).state == "waiting"
    assert huey.pending_count() == 0
    assert resend_held_jobs(huey) == 1
    run_next(huey)
    assert (Job.objects.get(pk=result.id).state, effects("b")) == ("done", 1)


def test_enqueue_with_redis_unreachable_records_the_job_without_an_error():
    # Nothing listens on port 1: the real Redis client fails at once.
    queue = LedgerPriorityRedisHuey(
        "ledger-test-redis", url="redis://127.0.0.1:1/0?socket_connect_timeout=1"
    )

    @once_task(huey=queue)
    def write(marker):
        AuditEvent.objects.create(action="test.job", details={"marker": marker})

    result = write("c")
    assert Job.objects.get(pk=result.id).state == "waiting"
    assert resend_held_jobs(queue) == 0  # still away: the job keeps waiting
    assert Job.objects.get(pk=result.id).state == "waiting"


def test_a_job_whose_consumer_died_runs_again_once_its_lease_is_over(huey, settings):
    settings.JOB_LEASE_SECONDS = 60
    result = huey.write("d")
    taken = huey.dequeue()  # the consumer takes it (a pop: the queue no longer has it)...
    assert claim(taken, huey.serialize_task(taken))
    # ... and is killed: nothing is left in the queue, the ledger says it runs.
    assert huey.pending_count() == 0
    assert resend_held_jobs(huey) == 0  # its lease is not over
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=61)):
        assert resend_held_jobs(huey) == 1
        again = run_next(huey)
    job = Job.objects.get(pk=result.id)
    assert (job.state, job.attempts, effects("d")) == ("done", 2, 1)
    huey.execute(again)  # delivered a second time: skipped
    assert (Job.objects.get(pk=result.id).attempts, effects("d")) == (2, 1)


def test_a_job_that_redis_lost_is_handed_over_again(huey, settings):
    settings.JOB_REQUEUE_AFTER_SECONDS = 300
    result = huey.write("e")
    huey.flush()  # Redis restarted empty
    assert resend_held_jobs(huey) == 0
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=301)):
        assert resend_held_jobs(huey) == 1
    run_next(huey)
    assert (Job.objects.get(pk=result.id).state, effects("e")) == ("done", 1)


def test_a_once_task_that_dies_midway_leaves_nothing(huey):
    result = huey.write_then_fail("f")
    run_next(huey)
    job = Job.objects.get(pk=result.id)
    assert (job.state, effects("f")) == ("failed", 0)
    assert "died after its write" in job.error


def test_a_job_finding_the_database_away_is_put_back_with_its_retries(huey, monkeypatch):
    def unreachable(*args):
        raise OperationalError("connection refused")

    result = huey.write("g")
    with monkeypatch.context() as patch:
        patch.setattr("cercles.core.jobs.claim", unreachable)
        run_next(huey)
    assert effects("g") == 0
    (scheduled,) = huey.scheduled()
    assert scheduled.id == result.id
    assert scheduled.retries == 0
    assert scheduled.eta > datetime.datetime.now(datetime.UTC).replace(tzinfo=None)
    huey.execute(scheduled, timestamp=scheduled.eta)
    assert (Job.objects.get(pk=result.id).state, effects("g")) == ("done", 1)


def test_inside_a_transaction_the_job_is_handed_over_when_it_commits(huey):
    with transaction.atomic():
        kept = huey.write("h")
        assert huey.pending_count() == 0
    assert huey.pending_count() == 1
    with pytest.raises(RuntimeError), transaction.atomic():
        huey.write("i")
        raise RuntimeError("rolled back")
    assert huey.pending_count() == 1
    assert list(Job.objects.values_list("pk", flat=True)) == [kept.id]


def test_finished_jobs_are_forgotten_after_a_while(huey):
    result = huey.write("j")
    run_next(huey)
    assert forget_finished_jobs() == 0
    with time_machine.travel(timezone.now() + datetime.timedelta(days=3)):
        assert forget_finished_jobs() == 1
    assert not Job.objects.filter(pk=result.id).exists()
