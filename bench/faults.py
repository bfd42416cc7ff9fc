"""Faults (issue 19, deliverable 5): Cercles served by gunicorn with its job consumers, while
what it stands on fails.

1. postgres — PostgreSQL stopped for a few seconds under load, then started again: requests
   meanwhile get the 503 page with `Retry-After` quickly, none hangs, service resumes by itself,
   and jobs queued before and during the outage each run once after it.
2. redis — Redis killed (its memory lost) and started again empty: pages, sessions and posting
   keep working uncached meanwhile; jobs queued before (lost with Redis) and during (waiting in
   the ledger) each run once after it.
3. consumer — a job consumer SIGKILLed mid-job: the job is held by nobody but the ledger, runs
   again on another consumer, and its effect happens once.
4. sqlite — the embedded default (SQLite, its job queue in a SQLite file): 4 people posting
   replies and 16 reading pages at once on 4 web processes, with a consumer: no "database is
   locked" and no server error reaches anyone.

PostgreSQL and Redis are private instances that the script starts on ports of their own
(FAULT_PG_PORT 5439, FAULT_REDIS_PORT 6391) and removes at the end: the machine's shared ones
are never stopped. Exits non-zero when a promise is broken; prints the figures and writes them
to var/faults.json.

Usage: .venv/bin/python bench/faults.py [postgres redis consumer sqlite]   (all by default)
"""

import http.cookiejar
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
WORK = Path(os.environ.get("FAULT_DIR", "/tmp/cercles-faults"))
PG_PORT = int(os.environ.get("FAULT_PG_PORT", "5439"))
REDIS_PORT = int(os.environ.get("FAULT_REDIS_PORT", "6391"))
os.environ["BENCH_PORT"] = os.environ.get("FAULT_WEB_PORT", "8731")
sys.path.insert(0, str(ROOT))

from bench import run as bench_run  # noqa: E402
from bench.scaleout import wait_for  # noqa: E402

BASE = f"http://127.0.0.1:{bench_run.PORT}"
UNAVAILABLE_TEXT = "momentanément indisponible"
# Seconds after which a request counts as hung.
HUNG = 10
DATABASE = "cercles_fault"


def fault_env(**extra):
    env = bench_run.environment_for("S", production_services=False)
    env.update(
        {
            "CERCLES_VAR_DIR": str(WORK / "var"),
            "MEDIA_ROOT": str(WORK / "media"),
            "LOG_LEVEL": "CRITICAL",
            "HUEY_IMMEDIATE": "false",
            "DATABASE_CONNECT_TIMEOUT": "2",
            # The ledger's delays, shortened so that each fault takes seconds.
            "JOB_SWEEP_SECONDS": "2",
            "JOB_RETRY_SECONDS": "2",
            "JOB_LEASE_SECONDS": "8",
            "JOB_REQUEUE_AFTER_SECONDS": "8",
            "MFA_REQUIRED_FOR_COORDINATORS": "false",
        }
    )
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    env.update(extra)
    return env


# --- Private services ------------------------------------------------------------------------


class PrivatePostgres:
    """A PostgreSQL cluster of the script's own (initdb), on its own port and socket folder."""

    def __init__(self, port):
        self.port = port
        self.folder = WORK / "pg"
        self.data = self.folder / "data"
        versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
        if not versions:
            raise SystemExit("PostgreSQL's server programs are missing (/usr/lib/postgresql)")
        self.bin = versions[-1].parent
        self.as_owner = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def _run(self, *args, check=True):
        return subprocess.run(
            [*self.as_owner, *map(str, args)], check=check, capture_output=True, text=True
        )

    def __enter__(self):
        if (self.data / "postmaster.pid").exists():  # left running by an interrupted run
            self.stop("immediate")
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True, exist_ok=True)
        if self.as_owner:
            shutil.chown(self.folder, "postgres", "postgres")
        self._run(self.bin / "initdb", "-D", self.data, "-A", "trust", "-U", "postgres",
                  "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")  # fmt: skip
        self.start()
        return self

    def start(self):
        options = (
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=60"
        )
        self._run(self.bin / "pg_ctl", "-D", self.data, "-l", self.folder / "log", "-w",
                  "-o", options, "start")  # fmt: skip

    def stop(self, mode="fast"):
        self._run(self.bin / "pg_ctl", "-D", self.data, "-m", mode, "-w", "stop", check=False)

    def psql(self, sql):
        subprocess.run(["psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-q",
                        "-c", sql], check=True)  # fmt: skip

    def __exit__(self, *exc):
        self.stop("immediate")
        shutil.rmtree(self.folder, ignore_errors=True)


class PrivateRedis:
    """A redis-server of the script's own, killed (its memory lost) and started again at will."""

    def __init__(self, port):
        self.port = port
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(WORK)],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        import redis

        client = redis.Redis(port=self.port)
        for _ in range(50):
            try:
                client.ping()
                return
            except redis.ConnectionError:
                time.sleep(0.1)
        raise SystemExit(f"the private Redis on port {self.port} did not start")

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        if self.process.poll() is None:
            self.kill()


# --- The application's processes -------------------------------------------------------------


def manage(env, *args):
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def start_web(env, workers, name):
    """gunicorn as bench/run.py serves it, its log (an error's traceback) in a file."""
    log = open(WORK / f"{name}-web.log", "ab")  # noqa: SIM115 - closed with the process
    server = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "config.wsgi", "--bind",
         f"127.0.0.1:{bench_run.PORT}", "--workers", str(workers), "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    wait_for(f"{BASE}/healthz")
    return server


def start_consumer(env, workers=2, name="consumer"):
    log = open(WORK / f"{name}.log", "ab")  # noqa: SIM115 - closed with the process
    return subprocess.Popen(
        [PYTHON, "manage.py", "run_huey", "--workers", str(workers)],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip


def stop(process, sig=signal.SIGTERM):
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def setup_django(env):
    os.environ.update(env)
    import django

    django.setup()
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("tasks")  # as the consumer does: every job's name is known here too


# --- The people and their requests -----------------------------------------------------------


def make_world(readers=16, writers=4):
    """A running community, its thread, and signed-in sessions of its members."""
    from bench.pages import session_for
    from cercles.accounts.tests.factories import UserFactory
    from cercles.communities.tests.factories import CommunityFactory, add_member
    from cercles.discussions.tests.factories import start_thread

    lead = UserFactory(username="fault-lead", email="fault-lead@example.org", password="!")
    community = CommunityFactory(lead=lead, title="Pannes et reprises", slug="pannes")
    people = []
    for n in range(readers + writers):
        person = UserFactory(
            username=f"fault-{n}", email=f"fault-{n}@example.org", password="!",
            display_name=f"Personne {n}",
        )  # fmt: skip
        add_member(community, user=person)
        people.append(person)
    thread = start_thread(community, lead, title="Retours d'expérience")
    return {
        "community": community.get_absolute_url(),
        "thread": thread.get_absolute_url(),
        "reply": f"{thread.get_absolute_url()}reply",
        "sessions": [session_for(person) for person in people],
        "names": [person.display_name for person in people],
    }


class Visitor:
    """One person's browser: their session cookie, the CSRF cookie, every answer timed."""

    def __init__(self, session_key):
        self.cookies = http.cookiejar.CookieJar()
        self.cookies.set_cookie(http.cookiejar.Cookie(
            0, "sessionid", session_key, None, False, "127.0.0.1", False, False, "/", True,
            False, None, False, None, None, {}))  # fmt: skip
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def request(self, path, data=None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(BASE + path, data=body, headers={"Referer": BASE + path})
        started = time.monotonic()
        answer = {"path": path, "method": "POST" if data else "GET", "at": started}
        try:
            with self.opener.open(req, timeout=HUNG + 5) as response:
                answer.update(status=response.status, body=response.read().decode(),
                              retry_after=response.headers.get("Retry-After"))  # fmt: skip
        except urllib.error.HTTPError as error:
            answer.update(status=error.code, body=error.read().decode(errors="replace"),
                          retry_after=error.headers.get("Retry-After"))  # fmt: skip
        except OSError as error:  # refused, reset, timed out
            answer.update(status=0, body=str(error), retry_after=None)
        answer["seconds"] = time.monotonic() - started
        return answer

    def reply(self, world, text):
        page = self.request(world["thread"])
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page["body"])
        if page["status"] != 200 or token is None:
            return page
        return self.request(world["reply"], {"csrfmiddlewaretoken": token.group(1), "body": text})


class Load:
    """People in threads, each repeating their journey until stopped; every answer kept."""

    def __init__(self):
        self.answers = []
        self.replies = []
        self.stopping = threading.Event()
        self.lock = threading.Lock()
        self.threads = []

    def start(self, world, readers, writers):
        pages = [world["thread"], world["community"], "/communities/", "/notifications/"]
        for n in range(readers + writers):
            visitor = Visitor(world["sessions"][n])
            writing = n >= readers
            thread = threading.Thread(
                target=self._journey, args=(visitor, world, pages, writing, n), daemon=True
            )
            thread.start()
            self.threads.append(thread)

    def _journey(self, visitor, world, pages, writing, n):
        count = 0
        while not self.stopping.is_set():
            count += 1
            if writing:
                text = f"Réponse {n}-{count} : le comité a remis la pompe en marche."
                answer = visitor.reply(world, text)
                posted = answer["method"] == "POST" and answer["status"] == 200
                if posted and text in answer["body"]:
                    with self.lock:
                        self.replies.append(text)
            else:
                answer = visitor.request(pages[count % len(pages)])
            with self.lock:
                self.answers.append(answer)
            if answer["status"] != 200:
                time.sleep(0.2)  # as a person would, before trying again

    def stop(self):
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=HUNG + 10)


def percentile(values, share):
    values = sorted(values)
    return values[min(len(values) - 1, int(share * len(values)))] if values else 0.0


def describe(answers):
    statuses = {}
    for answer in answers:
        statuses[answer["status"]] = statuses.get(answer["status"], 0) + 1
    seconds = [a["seconds"] for a in answers]
    return {
        "requests": len(answers),
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "p95_ms": round(percentile(seconds, 0.95) * 1000),
        "max_ms": round(max(seconds, default=0) * 1000),
    }


# --- Jobs ----------------------------------------------------------------------------------


def probe(marker, seconds=0.0, delay=None):
    from cercles.core.tasks import record_probe

    if delay:
        return record_probe.schedule(args=(marker, seconds), delay=delay)
    return record_probe(marker, seconds)


def probe_runs(prefix):
    """{marker: how many times its effect happened} for the probe jobs whose marker starts so."""
    from django.db import close_old_connections

    from cercles.core.models import AuditEvent

    close_old_connections()
    runs = {}
    for details in AuditEvent.objects.filter(
        action="core.job_probe", details__marker__startswith=prefix
    ).values_list("details", flat=True):
        runs[details["marker"]] = runs.get(details["marker"], 0) + 1
    return runs


def wait_for_probes(markers, timeout):
    prefix = os.path.commonprefix(markers)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            runs = probe_runs(prefix)
        except Exception:  # noqa: BLE001 - the database may still be coming back
            runs = {}
        if all(marker in runs for marker in markers):
            time.sleep(1.5)  # a second run would show up now
            return probe_runs(prefix)
        time.sleep(0.3)
    return probe_runs(prefix)


def check_once(markers, runs, failures, what):
    missing = [m for m in markers if m not in runs]
    twice = [m for m in markers if runs.get(m, 0) > 1]
    if missing:
        failures.append(f"{what}: {len(missing)} of {len(markers)} jobs never ran ({missing[:3]})")
    if twice:
        failures.append(f"{what}: {len(twice)} jobs ran more than once ({twice[:3]})")
    return len(markers) - len(missing) - len(twice)


# --- 1. PostgreSQL restarted under load ----------------------------------------------------


def fault_postgres(env, pg, world):
    failures = []
    web = start_web(env, workers=2, name="postgres")
    consumer = start_consumer(env, name="postgres-consumer")
    load = Load()
    try:
        load.start(world, readers=5, writers=1)
        time.sleep(4)
        before = [f"pg-before-{n}" for n in range(6)]
        for marker in before:
            probe(marker, seconds=2)  # two of them are running when the database stops
        time.sleep(1.5)
        down_at = time.monotonic()
        pg.stop("fast")
        during = [f"pg-during-{n}" for n in range(6)]
        for marker in during:
            probe(marker)  # the ledger cannot record them: handed to Redis all the same
        time.sleep(max(0, 5 - (time.monotonic() - down_at)))
        pg.start()
        up_at = time.monotonic()
        time.sleep(12)
    finally:
        load.stop()
    runs = wait_for_probes(before + during, timeout=60)
    stop(consumer)
    stop(web)

    answers = load.answers
    outage = [a for a in answers if down_at <= a["at"] <= up_at]
    unavailable = [a for a in answers if a["status"] == 503]
    wrong = [a for a in answers if a["status"] not in (200, 503)]
    unclear = [
        a for a in unavailable if a["retry_after"] != "30" or UNAVAILABLE_TEXT not in a["body"]
    ]
    hung = [a for a in answers if a["seconds"] >= HUNG]
    after_ok = [a["at"] for a in answers if a["at"] > up_at and a["status"] == 200]
    resumed_after = (min(after_ok) - up_at) if after_ok else None
    late_errors = [a for a in answers if a["at"] > up_at + 3 and a["status"] != 200]
    if wrong:
        failures.append(f"answers other than 200 or 503: {describe(wrong)['statuses']}")
    if not unavailable:
        failures.append("no request met the outage (the load did not cover it)")
    if unclear:
        failures.append(f"{len(unclear)} 503 answers without the page or Retry-After")
    if hung:
        failures.append(f"{len(hung)} requests took {HUNG} s or more")
    if resumed_after is None or late_errors:
        failures.append(f"service did not resume by itself ({len(late_errors)} errors after)")
    once = check_once(before + during, runs, failures, "jobs around the outage")
    figures = {
        "load": describe(answers),
        "during_outage": describe(outage),
        "outage_seconds": round(up_at - down_at, 1),
        "answers_503": len(unavailable),
        "resumed_after_seconds": round(resumed_after, 2) if resumed_after is not None else None,
        "jobs": len(before + during),
        "jobs_run_once": once,
        "replies_posted": len(load.replies),
    }
    print(
        f"postgres: {figures['load']['requests']} requests by 6 people, database away "
        f"{figures['outage_seconds']} s: {len(unavailable)} answered the 503 page "
        f"(Retry-After 30), slowest {figures['during_outage']['max_ms']} ms during the outage, "
        f"0 hung; pages again {figures['resumed_after_seconds']} s after it came back; "
        f"{once}/{len(before + during)} jobs queued before and during it ran once"
    )
    return failures, figures


# --- 2. Redis lost --------------------------------------------------------------------------


def fault_redis(env, redis_server, world):
    from cercles.core.models import Job
    from cercles.discussions.models import Post

    failures = []
    web = start_web(env, workers=2, name="redis")
    consumer = start_consumer(env, name="redis-consumer")
    visitor = Visitor(world["sessions"][0])
    name = world["names"][0]
    try:
        for path in (world["thread"], world["community"]):
            visitor.request(path)  # remembered in Redis's cache and session store
        lost = [f"redis-lost-{n}" for n in range(4)]
        for marker in lost:
            probe(marker, delay=3)  # in Redis's schedule when it dies
        time.sleep(1)
        redis_server.kill()
        down_at = time.monotonic()
        pages = []
        for path in [world["thread"], world["community"], "/communities/", "/"] * 3:
            pages.append(visitor.request(path))
        text = "Pendant que Redis était perdu : la réponse est bien enregistrée."
        posted = visitor.reply(world, text)
        during = [f"redis-during-{n}" for n in range(4)]
        for marker in during:
            probe(marker)
        waiting = Job.objects.filter(state="waiting").count()
        time.sleep(max(0, 6 - (time.monotonic() - down_at)))
        redis_server.start()
        up_at = time.monotonic()
        runs = wait_for_probes(lost + during, timeout=60)
        ran_after = time.monotonic() - up_at
        left = Job.objects.filter(state__in=["queued", "waiting", "running"]).count()
    finally:
        stop(consumer)
        stop(web)
    bad_pages = [p for p in pages if p["status"] != 200]
    signed_out = [p for p in pages if p["status"] == 200 and name not in p["body"]]
    if bad_pages:
        failures.append(f"pages without Redis: {describe(bad_pages)['statuses']}")
    if signed_out:
        failures.append(f"{len(signed_out)} pages without Redis showed the person signed out")
    if posted["status"] != 200 or text not in posted["body"]:
        failures.append(f"a reply posted without Redis answered {posted['status']}")
    if not Post.objects.filter(body=text).exists():
        failures.append("the reply posted without Redis was not saved")
    if waiting < len(during):
        failures.append(f"only {waiting} jobs waited in the ledger while Redis was away")
    once = check_once(lost + during, runs, failures, "jobs lost with Redis or queued without it")
    if left:
        failures.append(f"{left} jobs still unfinished in the ledger after Redis came back")
    figures = {
        "pages_without_redis": describe(pages),
        "reply_without_redis": posted["status"],
        "jobs_waiting_in_ledger": waiting,
        "jobs": len(lost + during),
        "jobs_run_once": once,
        "all_ran_seconds_after_return": round(ran_after, 1),
    }
    print(
        f"redis: without Redis {len(pages)} pages answered "
        f"{figures['pages_without_redis']['statuses']} signed in (slowest "
        f"{figures['pages_without_redis']['max_ms']} ms), a reply posted and saved, "
        f"{waiting} jobs waited in the ledger; Redis back empty: {once}/{len(lost + during)} jobs "
        f"(lost with it, or queued without it) ran once, all within {ran_after:.1f} s"
    )
    return failures, figures


# --- 3. A consumer killed mid-job -----------------------------------------------------------


def fault_consumer(env, world):
    from huey.contrib.djhuey import HUEY

    from cercles.core.models import Job

    failures = []
    first = start_consumer(env, name="killed-consumer")
    long = probe("kill-long", seconds=4)
    markers = ["kill-long"] + [f"kill-short-{n}" for n in range(10)]
    for marker in markers[1:]:
        probe(marker, seconds=0.3)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if Job.objects.filter(pk=long.id, state="running").exists():
            break
        time.sleep(0.1)
    time.sleep(1.5)  # well inside the long job's transaction
    first.send_signal(signal.SIGKILL)
    first.wait()
    killed_at = time.monotonic()
    # What Redis still holds of the long job once its consumer is dead: nothing.
    held_by_queue = any(long.id == task.id for task in HUEY.pending() + HUEY.scheduled())
    second = start_consumer(env, name="second-consumer")
    try:
        runs = wait_for_probes(markers, timeout=60)
        again_after = time.monotonic() - killed_at
    finally:
        stop(second)
    job = Job.objects.get(pk=long.id)
    if held_by_queue:
        failures.append("the queue still held the job taken by the killed consumer")
    if job.attempts < 2:
        failures.append(f"the killed job was taken {job.attempts} time(s): never run again")
    once = check_once(markers, runs, failures, "jobs around the kill")
    figures = {
        "jobs": len(markers),
        "jobs_run_once": once,
        "killed_job_attempts": job.attempts,
        "killed_job_in_queue_after_kill": held_by_queue,
        "all_ran_seconds_after_kill": round(again_after, 1),
    }
    print(
        f"consumer: SIGKILL in the middle of a job (its transaction open): Redis no longer held "
        f"it; the ledger handed it over again when its lease ran out, taken "
        f"{job.attempts} times, effect once; {once}/{len(markers)} jobs ran once, all within "
        f"{again_after:.1f} s of the kill"
    )
    return failures, figures


# --- 4. SQLite with 4 writers and 16 readers --------------------------------------------------


def fault_sqlite(env, world):
    from cercles.discussions.models import Post

    failures = []
    web = start_web(env, workers=4, name="sqlite")
    consumer = start_consumer(env, name="sqlite-consumer")
    load = Load()
    try:
        load.start(world, readers=16, writers=4)
        time.sleep(float(os.environ.get("FAULT_SQLITE_SECONDS", "20")))
    finally:
        load.stop()
        stop(consumer)
        stop(web)
    answers = load.answers
    errors = [a for a in answers if a["status"] != 200]
    locked = [a for a in answers if "database is locked" in a["body"]]
    log = (WORK / "sqlite-consumer.log").read_text(errors="replace")
    posts = [a for a in answers if a["method"] == "POST"]
    saved = Post.objects.filter(body__in=load.replies).count()
    if errors:
        failures.append(f"answers other than 200: {describe(errors)['statuses']}")
    log += (WORK / "sqlite-web.log").read_text(errors="replace")
    if locked or "database is locked" in log:
        failures.append(f"'database is locked' reached {len(locked)} answers or the consumer")
    if not posts or saved != len(load.replies):
        failures.append(f"{len(load.replies)} replies posted, {saved} saved")
    figures = {
        "load": describe(answers),
        "posts": describe(posts),
        "replies_saved": saved,
    }
    print(
        f"sqlite: 16 readers and 4 writers for 20 s on 4 web processes and a consumer: "
        f"{len(answers)} requests, {figures['load']['statuses']}, {saved} replies saved, "
        f"p95 {figures['load']['p95_ms']} ms (posts p95 {figures['posts']['p95_ms']} ms), "
        f"0 'database is locked'"
    )
    return failures, figures


# --- Running them -----------------------------------------------------------------------------


def on_services(faults):
    """Faults 1 to 3: a private PostgreSQL and a private Redis."""
    env = fault_env(
        DATABASE_URL=f"postgres://postgres@127.0.0.1:{PG_PORT}/{DATABASE}",
        REDIS_URL=f"redis://127.0.0.1:{REDIS_PORT}/0",
    )
    results = {}
    with PrivatePostgres(PG_PORT) as pg, PrivateRedis(REDIS_PORT) as redis_server:
        pg.psql(f"CREATE DATABASE {DATABASE}")
        manage(env, "migrate", "--noinput", "-v", "0")
        setup_django(env)
        world = make_world(readers=5, writers=1)
        if "postgres" in faults:
            results["postgres"] = fault_postgres(env, pg, world)
        if "redis" in faults:
            results["redis"] = fault_redis(env, redis_server, world)
        if "consumer" in faults:
            results["consumer"] = fault_consumer(env, world)
    return results


def on_sqlite():
    """Fault 4: the embedded default, SQLite files under the script's folder."""
    env = fault_env()
    manage(env, "migrate", "--noinput", "-v", "0")
    setup_django(env)
    world = make_world(readers=16, writers=4)
    return {"sqlite": fault_sqlite(env, world)}


def main(faults):
    started = time.monotonic()
    outputs = []
    for part, names in (("services", ["postgres", "redis", "consumer"]), ("sqlite", ["sqlite"])):
        chosen = [name for name in names if name in faults]
        if not chosen:
            continue
        WORK.mkdir(parents=True, exist_ok=True)
        output = WORK / f"{part}.json"
        # One process per part: Django reads its database settings once per process.
        status = subprocess.run([PYTHON, __file__, "--part", part, str(output), *chosen],
                                cwd=ROOT).returncode  # fmt: skip
        if status != 0 or not output.exists():
            print(f"!! faults ({part}) stopped with exit status {status}")
            return 1
        outputs.append(json.loads(output.read_text()))
    results = {k: v for output in outputs for k, v in output.items()}
    failures = [f"{name}: {failure}" for name, (fails, _) in results.items() for failure in fails]
    report = {name: figures for name, (_, figures) in results.items()}
    report["seconds"] = round(time.monotonic() - started)
    (ROOT / "var").mkdir(exist_ok=True)
    (ROOT / "var" / "faults.json").write_text(json.dumps(report, indent=2) + "\n")
    if failures:
        print("faults FAILED:\n- " + "\n- ".join(failures))
        print(f"(the logs of the web processes and consumers are in {WORK}/*/)")
        return 1
    print(f"faults passed: {', '.join(results)} in {report['seconds']} s")
    return 0


def run_part(part, output, faults):
    global WORK
    WORK = WORK / part  # the part's files and its processes' logs, kept until the next run
    for log in WORK.glob("*.log"):
        log.unlink()
    WORK.mkdir(parents=True, exist_ok=True)
    results = on_services(faults) if part == "services" else on_sqlite()
    Path(output).write_text(json.dumps(results))
    shutil.rmtree(WORK / "var", ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) > 3 and sys.argv[1] == "--part":
        run_part(sys.argv[2], sys.argv[3], sys.argv[4:])
    else:
        chosen = sys.argv[1:] or ["postgres", "redis", "consumer", "sqlite"]
        sys.exit(main(chosen))
