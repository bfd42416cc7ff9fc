"""Back-up and restore: the round trip is exact (every table's rows, every file's checksum) on
the engine the suite runs on (SQLite by default, PostgreSQL in CI's second run)."""

import hashlib
import io
import json
import sqlite3
import tarfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from cercles.accounts.tests.factories import UserFactory
from cercles.communities.tests.factories import CommunityFactory, add_member
from cercles.core.backups import (
    BackupError,
    create_backup,
    media_files,
    restore_backup,
)
from cercles.discussions import services as discussions
from cercles.discussions.tests.factories import pdf_upload, start_thread
from cercles.library.tests.factories import make_file, png_upload


def _pg_params(settings_dict, name=None):
    params = {"dbname": name or settings_dict["NAME"]}
    for key, param in (("HOST", "host"), ("PORT", "port"), ("USER", "user"),
                       ("PASSWORD", "password")):  # fmt: skip
        if settings_dict.get(key):
            params[param] = settings_dict[key]
    return params


def table_rows(settings_dict, tables):
    """{table: sorted rows} read straight from the database, without Django."""
    if connection.vendor == "sqlite":
        db = sqlite3.connect(settings_dict["NAME"], uri=settings_dict["NAME"].startswith("file:"))
        read = lambda table: db.execute(f'SELECT * FROM "{table}"').fetchall()  # noqa: E731
    else:
        import psycopg

        db = psycopg.connect(**_pg_params(settings_dict))
        read = lambda table: db.execute(f'SELECT * FROM "{table}"').fetchall()  # noqa: E731
    try:
        return {table: sorted(read(table), key=repr) for table in tables}
    finally:
        db.close()


def checksums(root):
    return {
        relative: hashlib.sha256(path.read_bytes()).hexdigest()
        for relative, path in media_files(root)
    }


@pytest.fixture
def target(tmp_path):
    """An empty database of the same engine as the suite's, dropped afterwards."""
    source = connection.settings_dict
    if connection.vendor == "sqlite":
        yield {**source, "NAME": str(tmp_path / "restored.sqlite3")}
        return
    import psycopg

    name = f"{source['NAME']}_restored"[:63]
    admin = psycopg.connect(**_pg_params(source, "postgres"), autocommit=True)
    admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield {**source, "NAME": name}
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.fixture
def network(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    lead = UserFactory(display_name="Aïssata Koné", bio="Ingénieure de l'eau — « terrain »")
    community = CommunityFactory(lead=lead, title="Eau et assainissement au Sahel")
    member = add_member(community).user
    thread = start_thread(community, member, body="Les forages tombent en panne 🙁")
    discussions.reply(lead, thread, body="Voici notre guide", uploads=[pdf_upload()])
    make_file(lead, community, title="Carte", upload=png_upload())
    return Path(settings.MEDIA_ROOT)


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_round_trip_is_exact(network, target, tmp_path):
    archive = create_backup(tmp_path / "backups")
    assert archive.name.startswith("cercles-backup-") and archive.name.endswith(".tar.gz")
    restored_media = tmp_path / "restored-media"
    result = restore_backup(archive, settings_dict=target, media_root=restored_media)
    assert result.manifest["engine"] == (
        "sqlite" if connection.vendor == "sqlite" else "postgresql"
    )
    assert result.manifest["version"]
    tables = connection.introspection.table_names()
    assert "communities_community" in tables and "discussions_post" in tables
    source = table_rows(connection.settings_dict, tables)
    restored = table_rows(target, tables)
    assert {t: len(rows) for t, rows in restored.items()} == {
        t: len(rows) for t, rows in source.items()
    }
    for table in tables:
        assert restored[table] == source[table], table
    assert sum(len(rows) for rows in source.values()) > 50
    files = checksums(network)
    assert len(files) >= 2
    assert checksums(restored_media) == files
    assert result.files == len(files)


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_that_is_not_empty(network, target, tmp_path):
    archive = create_backup(tmp_path / "backups")
    restore_backup(archive, settings_dict=target, media_root=tmp_path / "first")
    with pytest.raises(BackupError, match="not empty"):
        restore_backup(archive, settings_dict=target, media_root=tmp_path / "second")
    assert not (tmp_path / "second").exists()  # nothing applied
    # Forced, it replaces what is there, and the media folder that was there is kept aside.
    result = restore_backup(archive, settings_dict=target, media_root=tmp_path / "first",
                            force=True)  # fmt: skip
    assert result.set_aside and Path(result.set_aside).is_dir()


@pytest.mark.django_db(transaction=True)
def test_damaged_archives_are_refused_before_anything_changes(network, target, tmp_path):
    archive = create_backup(tmp_path / "backups")
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(damaged, "w:gz") as copy:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name.startswith("media/"):
                data = data[:-1] + b"!"
            member.size = len(data)
            copy.addfile(member, io.BytesIO(data))
    with pytest.raises(BackupError, match="damaged"):
        restore_backup(damaged, settings_dict=target, media_root=tmp_path / "restored")
    assert not (tmp_path / "restored").exists()
    with pytest.raises(CommandError, match="not a readable"):
        call_command("restore", str(tmp_path / "nothing.tar.gz"))
    not_tar = tmp_path / "notes.txt"
    not_tar.write_text("hello")
    with pytest.raises(CommandError, match="not a readable"):
        call_command("restore", str(not_tar))


@pytest.mark.django_db(transaction=True)
def test_archive_holds_a_manifest_with_checksums(network, tmp_path):
    out = io.StringIO()
    call_command("backup", output=str(tmp_path / "backups"), stdout=out)
    assert "Backup written" in out.getvalue()
    archive = next((tmp_path / "backups").glob("*.tar.gz"))
    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())
        names = tar.getnames()
    assert manifest["application"] == "cercles" and manifest["format"] == 1
    assert manifest["database"]["file"] in names
    assert all(f"media/{path}" in names for path in manifest["media"])
    assert not any(name.startswith("media/exports/") for name in names)


@pytest.mark.django_db
def test_restore_refuses_an_in_memory_database(tmp_path):
    with pytest.raises(BackupError):
        restore_backup(
            tmp_path / "x.tar.gz",
            settings_dict={"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"},
        )
