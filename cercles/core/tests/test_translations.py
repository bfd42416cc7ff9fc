"""The French catalog is the default language: it must be complete, current and not fuzzy."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib

BASE_DIR = Path(__file__).resolve().parents[3]
FRENCH_PO = BASE_DIR / "locale" / "fr" / "LC_MESSAGES" / "django.po"


def _key(entry):
    return (entry.msgctxt, entry.msgid)


def test_french_catalog_has_no_missing_or_fuzzy_translation():
    catalog = polib.pofile(str(FRENCH_PO))
    untranslated = [e.msgid for e in catalog.untranslated_entries()]
    fuzzy = [e.msgid for e in catalog.fuzzy_entries()]
    assert not untranslated, f"untranslated French strings: {untranslated}"
    assert not fuzzy, f"fuzzy French strings: {fuzzy}"


def test_french_catalog_covers_every_string_of_the_source(tmp_path):
    """Extract the strings again from a copy of the source: none may be missing from the catalog."""
    copy = tmp_path / "src"
    ignore = shutil.ignore_patterns("__pycache__", "tests", "*.mo")
    for name in ("cercles", "config", "locale"):
        shutil.copytree(BASE_DIR / name, copy / name, ignore=ignore)
    shutil.copy(BASE_DIR / "manage.py", copy / "manage.py")
    env = {**os.environ, "CERCLES_VAR_DIR": str(tmp_path / "var"), "PYTHONPATH": str(copy)}
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests of the same run
    env.pop("REDIS_URL", None)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "fr", "--no-obsolete", "-v", "0"],
        cwd=copy,
        env=env,
        check=True,
        timeout=300,
    )
    extracted = polib.pofile(str(copy / "locale" / "fr" / "LC_MESSAGES" / "django.po"))
    committed = {_key(e): e for e in polib.pofile(str(FRENCH_PO)) if not e.obsolete}
    missing = [
        e.msgid
        for e in extracted
        if not e.obsolete and (_key(e) not in committed or not committed[_key(e)].translated())
    ]
    assert not missing, f"strings without a French translation (run `make messages`): {missing}"
