"""Scale-out check: two web processes and two job consumers on one PostgreSQL and one Redis.

Proves that the production profile holds when Cercles runs on several processes (or machines):
a write through one web process is read through the other, a session opened on one is valid on
the other, and jobs are spread over both consumers, each run exactly once.

Usage: .venv/bin/python bench/scaleout.py   (needs PostgreSQL on 127.0.0.1:5432 and Redis)
"""

import http.cookiejar
import os
import re
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
DATABASE = "cercles_scaleout"
PORTS = (8601, 8602)
JOBS = 40

ENV = {
    **os.environ,
    "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DATABASE}",
    "REDIS_URL": os.environ.get("SCALEOUT_REDIS_URL", "redis://127.0.0.1:6379/9"),
    "DEBUG": "false",
    "SECRET_KEY": "scale-out-check-" + "x" * 50,
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "HUEY_IMMEDIATE": "false",
    "CERCLES_VAR_DIR": "/tmp/cercles-scaleout",
    "DJANGO_SETTINGS_MODULE": "config.settings",
}


def run(*args):
    subprocess.run(args, cwd=ROOT, env=ENV, check=True)


def reset_database():
    subprocess.run(
        [
            "psql",
            "-h",
            "127.0.0.1",
            "-U",
            "postgres",
            "-q",
            "-c",
            f"DROP DATABASE IF EXISTS {DATABASE}",
        ],
        check=True,
    )
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c", f"CREATE DATABASE {DATABASE}"],
        check=True,
    )
    run(PYTHON, "manage.py", "migrate", "--noinput", "-v", "0")
    run(PYTHON, "manage.py", "collectstatic", "--noinput", "-v", "0")


def start_processes():
    processes = []
    for port in PORTS:
        processes.append(
            subprocess.Popen(
                [
                    str(ROOT / ".venv" / "bin" / "gunicorn"),
                    "config.wsgi",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    "2",
                    "--log-level",
                    "warning",
                ],
                cwd=ROOT,
                env=ENV,
            )
        )
    for _ in PORTS:
        processes.append(
            subprocess.Popen(
                [PYTHON, "manage.py", "run_huey", "--workers", "2", "--quiet"], cwd=ROOT, env=ENV
            )
        )
    for port in PORTS:
        wait_for(f"http://127.0.0.1:{port}/healthz")
    return processes


def wait_for(url, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"{url} did not answer within {timeout} s")


class Browser:
    """Just enough of a browser: cookies shared across both web processes, CSRF tokens."""

    def __init__(self):
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def get(self, url):
        with self.opener.open(url, timeout=10) as response:
            return response.read().decode()

    def post(self, url, data):
        html = self.get(url)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": token, **data}, doseq=True).encode()
        request = urllib.request.Request(url, data=body, headers={"Referer": url})
        with self.opener.open(request, timeout=10) as response:
            return response.read().decode()


def setup_django():
    os.environ.update(ENV)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def main():
    reset_database()
    setup_django()
    from allauth.account.models import EmailAddress

    from cercles.accounts.models import User

    email = "scaleout@example.org"
    person = User.objects.create_user(
        username="scaleout", email=email, password="un-mot-de-passe-42", display_name="Avant"
    )
    EmailAddress.objects.create(user=person, email=email, verified=True, primary=True)

    processes = start_processes()
    failures = []
    try:
        first, second = (f"http://127.0.0.1:{port}" for port in PORTS)
        browser = Browser()
        browser.post(f"{first}/accounts/login/", {"login": email, "password": "un-mot-de-passe-42"})
        # A session opened on the first process is valid on the second one.
        with browser.opener.open(f"{second}/accounts/profile/", timeout=10) as response:
            if "/accounts/login/" in response.geturl():
                failures.append("the session opened on process 1 is not valid on process 2")
        # A write through the second process is read through the first one.
        name = f"Après {uuid.uuid4().hex[:6]}"
        browser.post(
            f"{second}/accounts/profile/",
            {
                "display_name": name,
                "language": "fr",
                "timezone": "Africa/Dakar",
            },
        )
        if name not in browser.get(f"{first}/people/scaleout/"):
            failures.append("a profile saved through process 2 is not shown by process 1")

        # Jobs are spread over both consumers and each runs once.
        import redis
        from django.conf import settings

        from cercles.core.tasks import probe_job

        key = f"scaleout:{uuid.uuid4().hex}"
        client = redis.Redis.from_url(settings.REDIS_URL)
        for marker in range(JOBS):
            probe_job(key, marker)
        deadline = time.monotonic() + 60
        while client.llen(key) < JOBS and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(1)  # a job run twice would show up now
        runs = [entry.decode().split(":") for entry in client.lrange(key, 0, -1)]
        client.delete(key)
        markers = sorted(int(marker) for marker, _ in runs)
        consumers = {pid for _, pid in runs}
        if markers != list(range(JOBS)):
            failures.append(f"jobs not run exactly once: {len(markers)} runs for {JOBS} jobs")
        if len(consumers) < 2:
            failures.append(f"jobs ran on {len(consumers)} consumer(s), expected both")
        print(
            f"scale-out: {len(markers)} runs of {JOBS} jobs over {len(consumers)} consumers; "
            "session and data shared by 2 web processes"
        )
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
    if failures:
        print("scale-out check FAILED:\n- " + "\n- ".join(failures))
        raise SystemExit(1)
    print("scale-out check passed")


if __name__ == "__main__":
    main()
