"""The job ledger: no job is lost when the queue or a consumer fails.

With Redis, huey hands a job to a consumer with a pop: once taken, only that consumer holds it,
so a consumer killed mid-job loses it; a Redis restarted empty loses every job queued; a Redis
that does not answer turns the enqueue into an error. Each job is therefore also written in the
database (`core.Job`), and the queue's own message kept with it:

- Enqueueing records the job, then hands it to the queue. Inside a transaction it is handed
  over when the transaction commits (and forgotten with it if it rolls back). A queue that does
  not answer leaves the job *waiting* in the ledger; no error reaches the page.
- A consumer marks the job *running* with a lease (`JOB_LEASE_SECONDS`), then *done* (or
  *failed*, its retries spent). A job delivered again once done is skipped.
- Every `JOB_SWEEP_SECONDS` the consumer's scheduler hands over again what the ledger holds
  back: waiting jobs, jobs queued `JOB_REQUEUE_AFTER_SECONDS` ago that nobody took (Redis lost
  them), running jobs whose lease ran out (their consumer died).
- A job that finds the database unreachable is put back on the queue's schedule
  `JOB_RETRY_SECONDS` later, its retries untouched.

Every job thus runs at least once. Jobs are idempotent (emails are keyed by `EmailDelivery`,
mailings lease their chunks, exports check they are still pending), or declared with
`once_task`: the job's database effect and its ledger mark commit in one transaction, so that
a job killed midway leaves nothing behind and one delivered twice runs once.

Immediate mode (tests, HUEY_IMMEDIATE) runs jobs inline and records nothing; periodic jobs come
back by themselves and are not recorded either.
"""

import datetime
import functools
import logging
import time

from django.conf import settings
from django.db import (
    IntegrityError,
    InterfaceError,
    OperationalError,
    close_old_connections,
    connection,
    transaction,
)
from django.db.models import F, Q
from django.utils import timezone
from huey import PriorityRedisHuey, SqliteHuey
from huey.api import PeriodicTask, ResultGroup, Task

logger = logging.getLogger(__name__)

# What Django raises when the database does not answer (connection refused or lost).
DATABASE_UNREACHABLE = (OperationalError, InterfaceError)


def _seconds(name, default):
    return datetime.timedelta(seconds=getattr(settings, name, default))


def _ledger():
    from .models import Job, JobState

    return Job, JobState


class LedgerMixin:
    """Huey with the job ledger (see the module's docstring)."""

    def recorded(self, task):
        return isinstance(task, Task) and not isinstance(task, PeriodicTask) and not self.immediate

    # --- Handing jobs over ---------------------------------------------------------------

    def enqueue(self, task):
        if not self.recorded(task):
            return super().enqueue(task)
        if task.expires:
            task.resolve_expires(self.utc)
        self._record_and_hand_over(task, super().enqueue)
        if not self.results:
            return None
        results = self._pipeline_results(task)
        return results[0] if len(results) == 1 else ResultGroup(results)

    def add_schedule(self, task):
        if not self.recorded(task):
            return super().add_schedule(task)
        self._record_and_hand_over(task, super().add_schedule)

    def _record_and_hand_over(self, task, hand_over):
        try:
            if not record(task, self.serialize_task(task), self.aware(task.eta)):
                return  # already done: a second delivery
        except DATABASE_UNREACHABLE:
            logger.warning("Job %s not recorded (database unreachable); queued all the same", task)

        def send():
            try:
                hand_over(task)
            except Exception:  # noqa: BLE001 - any queue failure: the ledger keeps the job
                logger.warning("Queue unreachable: job %s waits in the ledger", task.id)
                mark(task.id, "waiting")

        if connection.in_atomic_block:
            transaction.on_commit(send)
        else:
            send()

    def aware(self, eta):
        """huey's eta (naive: UTC, or the machine's time) as an aware datetime."""
        if eta is None or timezone.is_aware(eta):
            return eta
        return eta.replace(tzinfo=datetime.UTC) if self.utc else eta.astimezone()

    def put_back(self, task, delay=None):
        """Straight onto the queue's schedule, without the ledger (the database is away)."""
        delay = delay or _seconds("JOB_RETRY_SECONDS", 10)
        task.eta = self._get_timestamp() + delay
        super().add_schedule(task)

    # --- Running them --------------------------------------------------------------------

    def _execute(self, task, timestamp):
        if not self.recorded(task):
            return super()._execute(task, timestamp)
        close_old_connections()
        try:
            if not claim(task, self.serialize_task(task)):
                logger.info("Job %s already done: skipped", task.id)
                return None
        except DATABASE_UNREACHABLE:
            logger.warning("Database unreachable: job %s put back", task.id)
            close_old_connections()
            self.put_back(task)
            return None
        try:
            return super()._execute(task, timestamp)
        finally:
            close_old_connections()

    def _run_post_execute(self, task, task_value, exception):
        super()._run_post_execute(task, task_value, exception)
        if not self.recorded(task):
            return
        if isinstance(exception, DATABASE_UNREACHABLE):
            if task.retries:
                task.retries += 1  # huey puts it back and counts a retry: not this one
            else:
                self.put_back(task)
            return
        if exception is None:
            mark(task.id, "done")
        elif not task.retries:
            mark(task.id, "failed", error=f"{type(exception).__name__}: {exception}"[:2000])

    # --- The sweep, in the consumer's scheduler (every second; the sweep every few) -------

    def read_schedule(self, timestamp=None):
        now = time.monotonic()
        if now >= getattr(self, "_next_sweep", 0):
            self._next_sweep = now + getattr(settings, "JOB_SWEEP_SECONDS", 15)
            try:
                resend_held_jobs(self)
            except Exception:  # noqa: BLE001 - the scheduler must go on; next round retries
                logger.warning("Job ledger sweep failed", exc_info=True)
            finally:
                close_old_connections()
        return super().read_schedule(timestamp)


class LedgerPriorityRedisHuey(LedgerMixin, PriorityRedisHuey):
    """Production's queue: Redis, with the ledger."""


class LedgerSqliteHuey(LedgerMixin, SqliteHuey):
    """The embedded default's queue: a SQLite file, with the ledger."""


OPEN_STATES = ("queued", "waiting", "running")


def record(task, message, eta=None):
    """Write the job (or its new message, when put back for a retry); False when it is done."""
    Job, _ = _ledger()
    now = timezone.now()
    fields = {"message": message, "state": "queued", "due_at": eta or now, "queued_at": now}
    try:
        if connection.in_atomic_block:
            with transaction.atomic():
                Job.objects.create(id=task.id, name=task.name, **fields)
        else:
            Job.objects.create(id=task.id, name=task.name, **fields)
        return True
    except IntegrityError:
        return bool(Job.objects.filter(pk=task.id, state__in=OPEN_STATES).update(**fields))


def mark(job_id, state, error=""):
    """Record how a job ended (or that it waits for the queue)."""
    Job, _ = _ledger()
    try:
        jobs = Job.objects.filter(pk=job_id)
        if state == "waiting":
            jobs.filter(state="queued").update(state=state)
        else:
            jobs.filter(state__in=OPEN_STATES).update(
                state=state, error=error, finished_at=timezone.now(), lease_until=None
            )
    except DATABASE_UNREACHABLE:
        logger.warning("Job %s could not be marked %s (database unreachable)", job_id, state)


def claim(task, message):
    """Take the job for this consumer: True to run it, False when it is done already."""
    Job, _ = _ledger()
    now = timezone.now()
    lease_until = now + _seconds("JOB_LEASE_SECONDS", 900)
    # A job running elsewhere is not refused: it may be this one, put back while the database
    # was away; jobs are idempotent, and `once_task` locks its row.
    taken = Job.objects.filter(pk=task.id, state__in=OPEN_STATES).update(
        state="running", lease_until=lease_until, attempts=F("attempts") + 1
    )
    if taken:
        return True
    if Job.objects.filter(pk=task.id).exists():
        return False
    # Queued while the database was away: recorded now.
    try:
        Job.objects.create(
            id=task.id,
            name=task.name,
            message=message,
            state="running",
            due_at=now,
            queued_at=now,
            lease_until=lease_until,
            attempts=1,
        )
    except IntegrityError:
        return False
    return True


def resend_held_jobs(huey, limit=500):
    """Hand over again the jobs the queue lost or never got; returns how many."""
    Job, _ = _ledger()
    now = timezone.now()
    stale = now - _seconds("JOB_REQUEUE_AFTER_SECONDS", 900)
    held = (
        Q(state="waiting")
        | Q(state="queued", queued_at__lt=stale, due_at__lt=stale)
        | Q(state="running", lease_until__lt=now)
    )
    with transaction.atomic():
        jobs = list(
            Job.objects.select_for_update(skip_locked=True)
            .filter(held)
            .order_by("due_at")
            .only("id", "message", "due_at")[:limit]
        )
        if not jobs:
            return 0
        Job.objects.filter(pk__in=[job.pk for job in jobs]).update(state="queued", queued_at=now)
    handed = 0
    for job in jobs:
        message = bytes(job.message)
        try:
            # A job not due yet goes back to the schedule when a worker takes it (its eta).
            huey.storage.enqueue(message, huey.deserialize_task(message).priority)
        except Exception:  # noqa: BLE001 - the queue is still away: next round
            Job.objects.filter(pk__in=[j.pk for j in jobs[handed:]]).update(state="waiting")
            logger.warning("Queue unreachable: %d jobs wait in the ledger", len(jobs) - handed)
            break
        handed += 1
    if handed:
        logger.warning("Job ledger: %d jobs handed to the queue again", handed)
    return handed


def once_task(huey=None, **options):
    """A job whose database effect happens once: it runs in one transaction with its ledger
    mark, so that a consumer killed midway leaves nothing (the job runs again) and a second
    delivery of a job done is skipped. For jobs whose effect is in the database only: an email
    sent or a file written inside would not be undone. Options are huey's (`retries`…); `huey`
    is the project's queue unless given (tests)."""

    def decorator(fn):
        @functools.wraps(fn)
        def run(*args, task=None, **kwargs):
            return run_once(wrapper.huey, task, fn, args, kwargs)

        if huey is None:
            from huey.contrib.djhuey import db_task

            wrapper = db_task(context=True, **options)(run)
        else:
            wrapper = huey.task(context=True, **options)(run)
        wrapper.call_local = fn
        return wrapper

    return decorator


def run_once(huey, task, fn, args, kwargs):
    if task is None or not huey.recorded(task):
        return fn(*args, **kwargs)
    Job, _ = _ledger()
    with transaction.atomic():
        # The row stays locked until the effect commits: another delivery skips it meanwhile.
        job = (
            Job.objects.select_for_update(skip_locked=True).filter(pk=task.id).only("state").first()
        )
        if job is None or job.state in ("done", "failed"):
            return None
        value = fn(*args, **kwargs)
        Job.objects.filter(pk=task.id).update(
            state="done", finished_at=timezone.now(), lease_until=None
        )
    return value


def forget_finished_jobs(done_after_days=2, failed_after_days=30):
    """Delete the ledger's finished jobs once a second delivery can no longer come."""
    Job, _ = _ledger()
    now = timezone.now()
    return Job.objects.filter(
        Q(state="done", finished_at__lt=now - datetime.timedelta(days=done_after_days))
        | Q(state="failed", finished_at__lt=now - datetime.timedelta(days=failed_after_days))
    ).delete()[0]
