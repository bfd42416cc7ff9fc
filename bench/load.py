"""`make load`: the load run of issue 19 (deliverable 6) — 50 people at once for 5 minutes on
the production set-up (gunicorn, DEBUG off, Redis for cache, sessions and jobs, a job consumer)
at scale M, through locust (bench/locustfile.py): reading the catalogue and threads, replying,
answering meetings and surveys, searching. Passes with 0 errors; records p95 per page.

The database is a copy of the benchmark's scale M (`createdb -T cercles_bench_m`), never the
benchmark's own: LOAD_DATABASE (cercles_fault_load), made when missing, from scale M when
nobody is connected to it, else generated at LOAD_SCALE (S). Redis database LOAD_REDIS_DB (13).

Environment: LOAD_USERS (50), LOAD_SECONDS (300), LOAD_WORKERS (gunicorn workers, 3),
LOAD_NOTES (1: write the figures into bench/NOTES.md, section "Load run (issue 19)").
"""

import csv
import datetime
import functools
import json
import os
import random
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
os.environ["BENCH_PORT"] = os.environ.get("LOAD_PORT", "8741")
sys.path.insert(0, str(ROOT))

from bench import run as bench_run  # noqa: E402

DATABASE = os.environ.get("LOAD_DATABASE", "cercles_fault_load")
REDIS_DB = os.environ.get("LOAD_REDIS_DB", "13")
USERS = int(os.environ.get("LOAD_USERS", "50"))
SECONDS = int(os.environ.get("LOAD_SECONDS", "300"))
WORKERS = int(os.environ.get("LOAD_WORKERS", "3"))
OUT = ROOT / "var" / "load"
NOTES = ROOT / "bench" / "NOTES.md"
SECTION = "## Load run (issue 19)"
WORDS = ["eau", "formation", "santé", "forage", "atelier", "comité", "agriculture", "guide"]


def psql(sql, database="postgres"):
    return subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", database, "-Atq", "-c", sql],
        capture_output=True, text=True, check=False,
    )  # fmt: skip


def stop(process):
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()


def ensure_database(env):
    if psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE}'").stdout.strip() != "1":
        copied = psql(f"CREATE DATABASE {DATABASE} TEMPLATE cercles_bench_m")
        if copied.returncode == 0:
            print(f"  {DATABASE}: a copy of scale M")
        else:
            scale = os.environ.get("LOAD_SCALE", "S")
            print(f"  scale M could not be copied ({copied.stderr.strip()}): generating {scale}")
            psql(f"CREATE DATABASE {DATABASE}")
            subprocess.run([PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"],
                                     cwd=ROOT, env=env, check=True)  # fmt: skip
            subprocess.run([PYTHON, "manage.py", "seed_bench", "--scale", scale], cwd=ROOT,
                           env=env, check=True)  # fmt: skip
    subprocess.run([PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env,
                   check=True)  # fmt: skip


def load_env():
    env = bench_run.environment_for("M", production_services=True)
    env.update(
        {
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DATABASE}",
            "REDIS_URL": f"redis://127.0.0.1:6379/{REDIS_DB}",
            "EMAIL_URL": "dummymail://",
            "HUEY_IMMEDIATE": "false",
            "CERCLES_VAR_DIR": str(OUT / "var"),
            "MEDIA_ROOT": str(OUT / "media"),
        }
    )
    return env


def plan(env):
    """Who the people are and which pages each may use (written for bench/locustfile.py)."""
    os.environ.update(env)
    import django

    django.setup()
    from django.utils import timezone

    from bench.pages import session_for
    from cercles.communities.models import Membership, MembershipStatus
    from cercles.discussions.models import Thread
    from cercles.meetings.models import Meeting
    from cercles.surveys.forms import field_name
    from cercles.surveys.models import QuestionKind, Status, Survey

    def survey_fields(survey):
        fields = {}
        for question in survey.questions.all():
            if question.kind == QuestionKind.SCALE:
                fields[field_name(question)] = "4"
            elif question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
                fields[field_name(question)] = question.labelled_choices()[0][0]
            else:
                fields[field_name(question)] = "Des échanges concrets entre comités."
        return fields

    def open_survey_in(community):
        """The data set's surveys are closed: each community of the run gets one open (in this
        copy of the database), as its lead would through the pages."""
        if Survey.objects.filter(community=community, status=Status.OPEN).exists():
            return
        from django.core.exceptions import PermissionDenied, ValidationError

        from cercles.surveys import services
        from cercles.surveys.models import Question

        questions = [
            Question(kind=QuestionKind.SCALE, text="Ces échanges vous sont-ils utiles ?",
                     required=True),
            Question(kind=QuestionKind.TEXT, text="Une idée pour la suite ?", required=False),
        ]  # fmt: skip
        today = timezone.localdate()
        try:
            survey = services.create_survey(
                community.lead, community, questions=questions, title="Point d'étape",
                opens_on=today, closes_on=today + datetime.timedelta(days=60),
            )  # fmt: skip
            services.open_survey(community.lead, survey)
        except (PermissionDenied, ValidationError) as error:
            print(f"  no survey opened in {community.slug}: {error}")

    chooser = random.Random(19)
    opened = set()
    memberships = list(
        Membership.objects.filter(status=MembershipStatus.ACTIVE, user__is_active=True,
                                  user__is_coordinator=False, user__is_staff=False)
        .select_related("user", "community").order_by("pk")
    )  # fmt: skip
    chooser.shuffle(memberships)
    people, seen = [], set()
    now = timezone.now()
    for membership in memberships:
        person, community = membership.user, membership.community
        if person.pk in seen or len(people) >= USERS:
            continue
        threads = [
            t for t in Thread.objects.filter(community=community).order_by("-pk")[:5]
            if person.has_perm("discussions.reply", t)
        ]  # fmt: skip
        if not threads:
            continue
        meetings = [
            m for m in Meeting.objects.filter(community=community, starts_at__gt=now)
            .order_by("starts_at")[:3] if person.has_perm("meetings.rsvp", m)
        ]  # fmt: skip
        if community.pk not in opened:
            opened.add(community.pk)
            open_survey_in(community)
        surveys = [
            s for s in Survey.objects.filter(community=community, status=Status.OPEN)[:2]
            if person.has_perm("surveys.answer_survey", s)
        ]  # fmt: skip
        seen.add(person.pk)
        people.append({
            "session": session_for(person),
            "thread_lists": [f"{community.get_absolute_url()}discussions/"],
            "threads": [{"path": t.get_absolute_url(), "reply": f"{t.get_absolute_url()}reply"}
                        for t in threads],
            "meetings": [{"path": m.get_absolute_url(), "rsvp": f"{m.get_absolute_url()}rsvp/"}
                         for m in meetings],
            "surveys": [{"path": s.get_absolute_url(), "answer": f"{s.get_absolute_url()}answer/",
                         "fields": survey_fields(s)} for s in surveys],
        })  # fmt: skip
    if len(people) < USERS:
        raise SystemExit(f"only {len(people)} people of the data set fit the journeys")
    from cercles.accounts.models import User
    from cercles.communities.models import Community
    from cercles.discussions.models import Post

    size = {
        "people": User.objects.count(),
        "communities": Community.objects.count(),
        "posts": Post.objects.count(),
    }
    return {"people": people, "words": WORDS, "size": size}


def read_stats(prefix):
    rows = list(csv.DictReader(open(f"{prefix}_stats.csv")))  # noqa: SIM115
    pages = []
    for row in rows:
        pages.append({
            "name": row["Name"],
            "method": row["Type"],
            "requests": int(row["Request Count"]),
            "failures": int(row["Failure Count"]),
            "rps": float(row["Requests/s"]),
            "p50_ms": float(row["50%"] or 0),
            "p95_ms": float(row["95%"] or 0),
            "p99_ms": float(row["99%"] or 0),
            "max_ms": float(row["Max Response Time"] or 0),
        })  # fmt: skip
    return pages


def notes_section(report):
    total = next(p for p in report["pages"] if p["name"] == "Aggregated")
    fill = functools.partial(textwrap.fill, width=100, break_on_hyphens=False)
    lines = [
        SECTION,
        "",
        fill(
            f"`make load` (bench/load.py, bench/locustfile.py), {report['date']}, commit "
            f"{report['commit']}: {report['users']} people signed in at once for "
            f"{report['seconds'] // 60} minutes (locust, 1 to 3 s between two clicks) on the "
            f"production set-up — gunicorn with {report['workers']} workers, DEBUG off, Redis for "
            "cache, sessions and jobs, one job consumer — on a copy of the benchmark's scale M "
            f"({report['size']['people']} people, {report['size']['communities']} communities, "
            f"{report['size']['posts']} posts at the start). Each person is a member of a "
            "community: the catalogue, the home page, their community's threads, a reply, an "
            "answer to a coming meeting, a survey's answers, a search. The machine's 2 cores also "
            "ran locust."
        ),
        "",
        f"**{total['requests']} requests, {total['failures']} errors**, "
        f"{total['rps']:.1f} requests/s; p95 over all {total['p95_ms']:.0f} ms.",
        "",
        "| page | requests | errors | p50 ms | p95 ms | p99 ms | max ms |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for page in report["pages"]:
        if page["name"] == "Aggregated":
            continue
        lines.append(
            f"| {page['name']} | {page['requests']} | {page['failures']} | {page['p50_ms']:.0f} "
            f"| {page['p95_ms']:.0f} | {page['p99_ms']:.0f} | {page['max_ms']:.0f} |"
        )
    jobs = report.get("jobs")
    if jobs:
        lines += ["", fill(
            f"Jobs: the posts queued {jobs['queued']} (emails of notifications to the threads' "
            f"followers); the one consumer (2 threads) had run {jobs['done']} when the run "
            "ended — it falls behind under this load, the rest waits in the queue and the "
            "ledger (none is lost). Production would run more consumers."
        )]  # fmt: skip
    lines += [
        "",
        fill(
            "A post (reply, RSVP, survey answers) counts with the page it leads to (the redirect "
            "is followed); the page read first for its form counts under the page's name."
        ),
        "",
    ]
    return "\n".join(lines)


def write_notes(report):
    text = NOTES.read_text() if NOTES.exists() else ""
    section = notes_section(report)
    if SECTION in text:
        before, _, rest = text.partition(SECTION)
        after = rest[rest.find("\n## ") + 1 :] if "\n## " in rest else ""
        text = before + section + ("\n" + after if after else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    NOTES.write_text(text)


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    env = load_env()
    print(f"Load run: {USERS} people, {SECONDS} s, database {DATABASE}")
    ensure_database(env)
    import redis

    redis.Redis.from_url(env["REDIS_URL"]).flushdb()
    # Jobs an earlier run left in the ledger would be handed over during this one: forgotten.
    psql("DELETE FROM core_job WHERE state IN ('queued', 'waiting', 'running')", DATABASE)
    started = datetime.datetime.now(datetime.UTC).isoformat()
    plan_file = OUT / "plan.json"
    journeys = plan(env)
    plan_file.write_text(json.dumps(journeys))
    bench_run.WORKERS = WORKERS
    server = bench_run.start_server(env)
    consumer = subprocess.Popen(
        [PYTHON, "manage.py", "run_huey", "--workers", "2"], cwd=ROOT, env=env,
        stdout=open(OUT / "consumer.log", "wb"), stderr=subprocess.STDOUT,  # noqa: SIM115
    )  # fmt: skip
    prefix = OUT / "locust"
    try:
        subprocess.run(
            [str(ROOT / ".venv" / "bin" / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"),
             "--headless", "--users", str(USERS), "--spawn-rate", "10", "--run-time",
             f"{SECONDS}s", "--host", f"http://127.0.0.1:{bench_run.PORT}", "--csv", str(prefix),
             "--only-summary", "--loglevel", "WARNING"],
            env={**os.environ, "LOAD_PLAN": str(plan_file)}, check=False,
        )  # fmt: skip
    finally:
        stop(consumer)
        stop(server)
    pages = read_stats(prefix)
    queued, done = psql(
        "SELECT count(*), count(*) FILTER (WHERE state = 'done') FROM core_job "
        f"WHERE created_at >= '{started}'", DATABASE
    ).stdout.strip().split("|")  # fmt: skip
    report = {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "commit": bench_run.commit(),
        "users": USERS,
        "seconds": SECONDS,
        "workers": WORKERS,
        "size": journeys["size"],
        "jobs": {"queued": int(queued), "done": int(done)},
        "pages": pages,
    }
    (OUT / "report.json").write_text(json.dumps(report, indent=2) + "\n")
    total = next(p for p in pages if p["name"] == "Aggregated")
    for page in pages:
        print(f"  {page['name']:<24} {page['requests']:>6} requests  {page['failures']} errors  "
              f"p95 {page['p95_ms']:6.0f} ms")  # fmt: skip
    if os.environ.get("LOAD_NOTES", "1") == "1":
        write_notes(report)
        print("Figures written to bench/NOTES.md (section 'Load run (issue 19)')")
    if total["failures"] or not total["requests"]:
        print(f"load run FAILED: {total['failures']} errors")
        return 1
    print(f"load run passed: {total['requests']} requests, 0 errors")
    return 0


if __name__ == "__main__":
    sys.exit(main())
