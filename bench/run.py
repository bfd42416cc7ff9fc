"""`make bench`: Cercles under load, page by page, at several scales.

For each scale (S, then M by default) it prepares a synthetic network (kept between runs while
the migrations are unchanged), serves the app with gunicorn in production settings (DEBUG off),
and drives every page with wrk from a separate process: a few connections, a fixed duration,
several repetitions, the median kept. A bare Django view that renders a small template without
touching the database runs on the same server as the ceiling. Queries per request are counted
in-process with Django's test client on the same database.

Environment: BENCH_SCALES ("S M"), BENCH_DURATION (seconds per repetition, 5), BENCH_REPS (3),
BENCH_CONNECTIONS (4), BENCH_WORKERS (gunicorn workers, 3), BENCH_OUTPUT (write RESULTS.md and
results.json: "1", default; "0" for smoke runs), BENCH_REUSE (scales whose results an interrupted
run left in var/bench are kept, e.g. "S").
"""

import datetime
import hashlib
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
CACHE = ROOT / "var" / "bench"
PORT = int(os.environ.get("BENCH_PORT", "8700"))
DURATION = int(os.environ.get("BENCH_DURATION", "5"))
REPS = int(os.environ.get("BENCH_REPS", "3"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "4"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "3"))
SCALES = os.environ.get("BENCH_SCALES", "S M").split()
WRITE_OUTPUT = os.environ.get("BENCH_OUTPUT", "1") == "1"
# Scales whose results of an earlier, interrupted run are kept (var/bench/result-<scale>.json).
REUSE = os.environ.get("BENCH_REUSE", "").split()
LUA = Path(__file__).resolve().parent / "report.lua"


def services_answer():
    postgres = subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1"], check=False).returncode == 0
    try:
        import redis

        redis.Redis(host="127.0.0.1", socket_connect_timeout=1).ping()
        has_redis = True
    except Exception:  # noqa: BLE001 - no Redis means the embedded profile
        has_redis = False
    return postgres and has_redis


def environment_for(scale, production_services):
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": "bench-" + "k" * 60,
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "BENCH_BARE_VIEW": "true",
        "CONN_MAX_AGE": "600",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "LOG_LEVEL": "ERROR",
        # The load comes from one address: the per-person limits against abuse would answer 429.
        "RATE_LIMIT_POSTING": "1000000/m",
        "RATE_LIMIT_INVITATIONS": "1000000/m",
        "RATE_LIMIT_SEARCH": "1000000/m",
        "API_RATE_TOKEN": "1000000/m",
        "API_RATE_SESSION": "1000000/m",
        "API_RATE_VISITOR": "1000000/m",
    }
    if production_services:
        env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/cercles_bench_{scale.lower()}"
        env["REDIS_URL"] = "redis://127.0.0.1:6379/11"
    else:
        env["DATABASE_URL"] = f"sqlite:///{CACHE / f'bench-{scale}.sqlite3'}"
        env.pop("REDIS_URL", None)
    return env


def migrations_fingerprint():
    files = sorted(ROOT.glob("cercles/*/migrations/*.py"))
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    for part in ("generate.py", "generate_more.py"):
        digest.update((ROOT / "bench" / part).read_bytes())
    return digest.hexdigest()[:16]


def prepare_data(scale, env, production_services):
    """Build the scale's database once; reuse it while migrations and generator are unchanged."""
    CACHE.mkdir(parents=True, exist_ok=True)
    stamp = CACHE / f"{'pg' if production_services else 'sqlite'}-{scale}.stamp"
    fingerprint = migrations_fingerprint()
    if stamp.exists() and stamp.read_text() == fingerprint:
        print(f"  reusing the scale {scale} data set")
        return
    if production_services:
        name = env["DATABASE_URL"].rsplit("/", 1)[1]
        for sql in (f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}"):
            subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c", sql],
                           check=True)  # fmt: skip
    else:
        Path(env["DATABASE_URL"].removeprefix("sqlite:///")).unlink(missing_ok=True)
    subprocess.run([PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env,
                   check=True)  # fmt: skip
    started = time.monotonic()
    subprocess.run([PYTHON, "manage.py", "seed_bench", "--scale", scale], cwd=ROOT, env=env,
                   check=True)  # fmt: skip
    print(f"  scale {scale} generated in {time.monotonic() - started:.0f} s")
    stamp.write_text(fingerprint)


def start_server(env):
    server = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "config.wsgi", "--bind", f"127.0.0.1:{PORT}",
         "--workers", str(WORKERS), "--log-level", "warning"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=2):
                return server
        except OSError:
            time.sleep(0.3)
    server.kill()
    raise SystemExit("the benchmark server did not start")


def wrk(path, cookie):
    command = ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{DURATION}s", "-s", str(LUA),
               f"http://127.0.0.1:{PORT}{path}"]  # fmt: skip
    if cookie:
        command[1:1] = ["-H", f"Cookie: sessionid={cookie}"]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("{"))
    return json.loads(line)


def measure(page, cookie):
    runs = [wrk(page["path"], cookie) for _ in range(REPS)]
    if any(run["errors"] or run["non2xx"] for run in runs):
        raise SystemExit(f"{page['name']}: errors or non-2xx answers under load: {runs}")
    median = statistics.median
    return {
        "rps": median(run["rps"] for run in runs),
        "p50_ms": median(run["p50"] for run in runs) / 1000,
        "p95_ms": median(run["p95"] for run in runs) / 1000,
        "p99_ms": median(run["p99"] for run in runs) / 1000,
    }


def run_scale(scale, production_services):
    env = environment_for(scale, production_services)
    prepare_data(scale, env, production_services)
    # The in-process part (sessions, query counts) uses the same database as the server.
    os.environ.update({k: v for k, v in env.items() if k in (
        "DATABASE_URL", "REDIS_URL", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "BENCH_BARE_VIEW",
        "DJANGO_SETTINGS_MODULE") or k.startswith(("RATE_LIMIT_", "API_RATE_"))})  # fmt: skip
    if not production_services:
        os.environ.pop("REDIS_URL", None)
    else:
        # What an earlier run remembered (pages, community facts, limits' counters) is forgotten.
        import redis

        redis.Redis.from_url(env["REDIS_URL"]).flushdb()
    from bench.pages import LARGE_SCAN_ROWS, count_queries, explain_queries, pages_and_sessions

    pages, cookies = pages_and_sessions()
    server = start_server(env)
    results = []
    try:
        bare = measure({"name": "bare", "path": "/bench/bare"}, None)
        print(
            f"  {'bare view (ceiling)':<40} {bare['rps']:8.0f} req/s  p95 {bare['p95_ms']:6.1f} ms"
        )
        for page in pages:
            cookie = cookies.get(page["who"])
            numbers = measure(page, cookie)
            results.append({
                **{k: page[k] for k in ("name", "path", "who")},
                **numbers,
                "queries": count_queries(page["path"], cookie),
                "ratio_to_bare": numbers["rps"] / bare["rps"],
                **(explain_queries(page["path"], cookie) if production_services else {}),
            })  # fmt: skip
            print(
                f"  {page['name']:<32} {numbers['rps']:8.0f} req/s  "
                f"p95 {numbers['p95_ms']:6.1f} ms  {results[-1]['queries']:>3} queries"
            )
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    from bench.mailing import measure_mailings

    mailings = measure_mailings(env)
    from bench.reporting import measure_reporting

    reporting = measure_reporting(env)
    from bench.search import measure_search

    return {
        "bare": bare,
        "pages": results,
        "large_scan_rows": LARGE_SCAN_ROWS,
        "mailings": mailings,
        "reporting": reporting,
        "search": measure_search(scale),
    }


def machine():
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        memory_kb = int(Path("/proc/meminfo").read_text().split()[1])
    except OSError:
        memory_kb = 0
    return f"{os.cpu_count()} cores ({cpu}), {memory_kb / 1024 / 1024:.0f} GiB RAM"


def commit():
    return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                          text=True, check=False).stdout.strip()  # fmt: skip


def write_results(report):
    (ROOT / "bench" / "results.json").write_text(json.dumps(report, indent=2) + "\n")
    lines = [
        "# Benchmark results",
        "",
        f"- Date: {report['date']}",
        f"- Commit: {report['commit']}",
        f"- Machine: {report['machine']}",
        f"- Database: {report['database']}",
        f"- Load: wrk, {CONNECTIONS} connections, {DURATION} s × {REPS} repetitions (median); "
        f"gunicorn with {WORKERS} workers, DEBUG off",
        "",
    ]
    scales = report["scales"]
    # Each larger scale against the one below it: M against S, L against M (issue 20: L within
    # 1.5× of M).
    below = {"M": "S", "L": "M"}
    for scale, data in scales.items():
        base = below.get(scale) if below.get(scale) in scales else None
        compare = base is not None
        lines += [
            f"## Scale {scale}",
            "",
            f"Bare view (ceiling): {data['bare']['rps']:.0f} req/s, "
            f"p95 {data['bare']['p95_ms']:.1f} ms",
            "",
            "| page | as | req/s | p50 ms | p95 ms | p99 ms | queries | × bare |"
            + (f" time {scale}/{base} |" if compare else ""),
            "|---|---|---:|---:|---:|---:|---:|---:|" + ("---:|" if compare else ""),
        ]  # fmt: skip
        small = {p["name"]: p for p in scales.get(base, {}).get("pages", [])} if compare else {}
        for page in data["pages"]:
            row = (f"| {page['name']} | {page['who']} | {page['rps']:.0f} | {page['p50_ms']:.1f} "
                   f"| {page['p95_ms']:.1f} | {page['p99_ms']:.1f} | {page['queries']} "
                   f"| {page['ratio_to_bare']:.0%} |")  # fmt: skip
            if page["name"] in small:
                row += f" {page['p50_ms'] / max(small[page['name']]['p50_ms'], 0.001):.2f} |"
            lines.append(row)
        lines.append("")
        if any("large_scans" in page for page in data["pages"]):
            lines += [
                f"Query plans at scale {scale} (EXPLAIN ANALYZE of every SELECT of the page): "
                f"the slowest query, and any sequential scan of more than "
                f"{data['large_scan_rows']} rows.",
                "",
                "| page | slowest query ms | large sequential scans |",
                "|---|---:|---|",
            ]
            lines += [
                f"| {page['name']} | {page['slowest_query_ms']:.2f} | "
                f"{', '.join(page['large_scans']) or 'none'} |"
                for page in data["pages"]
            ]
            lines.append("")
    lines += mailing_lines(scales)
    from bench.reporting import reporting_lines

    lines += reporting_lines(scales)
    from bench.search import search_lines

    lines += search_lines(scales)
    notes = ROOT / "bench" / "NOTES.md"
    if notes.exists():
        lines += [notes.read_text()]
    (ROOT / "bench" / "RESULTS.md").write_text("\n".join(lines) + "\n")


def mailing_lines(scales):
    """The mailings' figures (bench/mailing.py), one row per scale."""
    rows = [(scale, data["mailings"]) for scale, data in scales.items() if "mailings" in data]
    if not rows:
        return []
    lines = [
        "## Mailings",
        "",
        "The newsletter to every member with a confirmed address, sent by the job queue "
        "(one consumer, 2 threads, no rate limit) to a local SMTP sink; the consumer is killed "
        "(SIGKILL) after about 30 % and another started. Messages per second from the first "
        "message to the last, the restart included.",
        "",
        "| scale | recipients | received | messages/s | killed after | duplicates "
        "| interrupted (in flight at the kill) | draft compiled in |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for scale, m in rows:
        n = m["newsletter"]
        lines.append(
            f"| {scale} | {n['recipients']} | {n['received']} | {n['messages_per_second']:.0f} "
            f"| {n['killed_after']} | {n['duplicates']} | {n['interrupted']} "
            f"| {n['compile_draft_seconds'] * 1000:.0f} ms |"
        )
    lines += [
        "",
        "The daily digest of every member, composed and sent in-process a batch of 200 people "
        "at a time (every person reading four groups daily, over a window of a year so that "
        "everyone has news). Queries per batch stay the same whatever the batch holds.",
        "",
        "| scale | people | batches | queries per batch (min–max) | digests sent "
        "| digests/s | duplicates |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for scale, m in rows:
        d = m["digests"]
        lines.append(
            f"| {scale} | {d['people']} | {d['batches']} | {d['queries_per_batch_min']}–"
            f"{d['queries_per_batch_max']} | {d['digests_sent']} | {d['digests_per_second']:.0f} "
            f"| {d['duplicates']} |"
        )
    return lines + [""]


def main():
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install wrk")
    production_services = services_answer()
    database = "PostgreSQL + Redis" if production_services else "SQLite + local-memory cache"
    print(f"Benchmarks on {database}; scales {' '.join(SCALES)}")
    CACHE.mkdir(parents=True, exist_ok=True)
    subprocess.run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT,
                   check=True)  # fmt: skip
    sys.path.insert(0, str(ROOT))
    report = {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "commit": commit(),
        "machine": machine(),
        "database": database,
        "scales": {},
    }
    for scale in SCALES:
        # One process per scale: Django's settings (the database) are read once per process.
        print(f"Scale {scale}")
        output = CACHE / f"result-{scale}.json"
        if scale in REUSE and output.exists():  # measured by an earlier run of this commit
            print(f"  reusing the results of {output.name}")
            report["scales"][scale] = json.loads(output.read_text())
            continue
        subprocess.run([PYTHON, __file__, "--one", scale, str(output),
                        "1" if production_services else "0"], cwd=ROOT, check=True)  # fmt: skip
        report["scales"][scale] = json.loads(output.read_text())
    if WRITE_OUTPUT:
        write_results(report)
        print("Written to bench/RESULTS.md and bench/results.json")


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--one":
        sys.path.insert(0, str(ROOT))
        _, _, scale_name, output_path, on_services = sys.argv
        result = run_scale(scale_name, on_services == "1")
        Path(output_path).write_text(json.dumps(result))
    else:
        main()
