"""Settings read from the environment (issue 11: links in emails follow the port served)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def site_url(**variables):
    environment = {k: v for k, v in os.environ.items() if k not in ("PORT", "SITE_URL")}
    environment.update(variables, DJANGO_SETTINGS_MODULE="config.settings")
    code = "from django.conf import settings; print(settings.SITE_URL)"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def test_site_url_follows_the_port_make_run_serves():
    assert site_url() == "http://127.0.0.1:8000"
    assert site_url(PORT="8042") == "http://127.0.0.1:8042"
    assert site_url(PORT="8042", SITE_URL="https://cercles.example.org") == (
        "https://cercles.example.org"
    )


def test_bin_run_exports_the_port_to_the_job_consumer():
    script = (ROOT / "bin" / "run").read_text()
    assert "export PORT" in script
