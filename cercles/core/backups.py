"""Back-up and restore: one archive holding the database, the media files and a manifest.

The database is dumped with `pg_dump` on PostgreSQL and with SQLite's online backup API on
SQLite: both read a consistent snapshot while the site keeps running. The manifest records the
application's version, the engine and the SHA-256 of every file, and a restore checks all of them
before it changes anything. A restore goes into an empty database (and an empty media folder)
unless forced; on PostgreSQL it runs in one transaction, so that a failing restore applies
nothing.
"""

import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.utils import timezone

FORMAT = 1
MANIFEST = "manifest.json"
# Transient files are not backed up: exports are rebuilt on request.
SKIPPED_MEDIA_DIRS = {"exports"}
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A back-up or restore that cannot be done, with a message for the operator."""


def app_version():
    try:
        return metadata.version("cercles")
    except metadata.PackageNotFoundError:
        return "unknown"


def engine_of(settings_dict):
    engine = settings_dict["ENGINE"]
    if "sqlite" in engine:
        return "sqlite"
    if "postgresql" in engine:
        return "postgresql"
    raise BackupError(f"Unsupported database engine: {engine}")


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        while chunk := file.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def media_files(media_root):
    """(relative path, absolute path) of every media file worth keeping, in a stable order."""
    root = Path(media_root)
    if not root.is_dir():
        return
    for directory, subdirs, files in os.walk(root):
        relative_dir = Path(directory).relative_to(root)
        if relative_dir == Path("."):
            subdirs[:] = [d for d in subdirs if d not in SKIPPED_MEDIA_DIRS]
        subdirs.sort()
        for name in sorted(files):
            if name.endswith(".part"):
                continue
            yield (relative_dir / name).as_posix(), Path(directory) / name


def _pg_environment(settings_dict):
    env = dict(os.environ)
    for key, variable in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"),
                          ("PASSWORD", "PGPASSWORD")):  # fmt: skip
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    return env


def _run(command, settings_dict):
    try:
        result = subprocess.run(
            command, env=_pg_environment(settings_dict), capture_output=True, text=True
        )
    except FileNotFoundError:
        raise BackupError(
            f"{command[0]} is missing: install the PostgreSQL client (apt-get install "
            "postgresql-client)."
        ) from None
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[-2000:]}")
    return result


def dump_database(alias, target):
    """Write a consistent copy of the database to `target`; returns the engine's name."""
    connection = connections[alias]
    engine = engine_of(connection.settings_dict)
    if engine == "sqlite":
        connection.ensure_connection()
        destination = sqlite3.connect(target)
        try:
            connection.connection.backup(destination)
        finally:
            destination.close()
    else:
        _run(
            ["pg_dump", "--format=custom", "--no-owner", "--no-privileges",
             f"--file={target}", f"--dbname={connection.settings_dict['NAME']}"],
            connection.settings_dict,
        )  # fmt: skip
    return engine


class _HashingReader:
    def __init__(self, file):
        self.file = file
        self.digest = hashlib.sha256()

    def read(self, size=-1):
        data = self.file.read(size)
        self.digest.update(data)
        return data


def create_backup(destination, *, alias="default", media_root=None):
    """Write one archive (a .tar.gz) of the database and the media files; returns its path.

    `destination` is a folder (the archive gets a dated name) or a file name ending in .tar.gz.
    """
    media_root = media_root or settings.MEDIA_ROOT
    destination = Path(destination)
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    if not destination.name.endswith((".tar.gz", ".tgz", ".tar")):
        destination.mkdir(parents=True, exist_ok=True)
        path = destination / f"cercles-backup-{stamp}.tar.gz"
    else:
        destination.parent.mkdir(parents=True, exist_ok=True)
        path = destination
    partial = path.with_name(path.name + ".part")
    with tempfile.TemporaryDirectory() as work:
        engine = engine_of(connections[alias].settings_dict)
        database_name = "database.sqlite3" if engine == "sqlite" else "database.pgdump"
        database_path = Path(work) / database_name
        dump_database(alias, database_path)
        manifest = {
            "format": FORMAT,
            "application": "cercles",
            "version": app_version(),
            "created_at": timezone.now().isoformat(),
            "engine": engine,
            "database": {
                "file": database_name,
                "sha256": sha256_of(database_path),
                "size": database_path.stat().st_size,
            },
            "media": {},
        }
        try:
            with tarfile.open(partial, "w:gz") as archive:
                archive.add(database_path, arcname=database_name)
                for relative, absolute in media_files(media_root):
                    info = archive.gettarinfo(absolute, arcname=f"media/{relative}")
                    with open(absolute, "rb") as file:
                        reader = _HashingReader(file)
                        archive.addfile(info, reader)
                    manifest["media"][relative] = {
                        "sha256": reader.digest.hexdigest(),
                        "size": info.size,
                    }
                data = json.dumps(manifest, indent=2).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size = len(data)
                info.mtime = int(timezone.now().timestamp())
                archive.addfile(info, fileobj=_BytesReader(data))
            os.replace(partial, path)
        finally:
            if partial.exists():
                partial.unlink()
    return path


class _BytesReader:
    def __init__(self, data):
        self.data, self.position = data, 0

    def read(self, size=-1):
        end = len(self.data) if size is None or size < 0 else self.position + size
        chunk = self.data[self.position : end]
        self.position += len(chunk)
        return chunk


# --- restore ----------------------------------------------------------------------------------


def database_tables(settings_dict):
    """The tables already in the target database (empty list for a new one)."""
    engine = engine_of(settings_dict)
    if engine == "sqlite":
        name = str(settings_dict["NAME"])
        if name == ":memory:" or "mode=memory" in name:
            raise BackupError("An in-memory SQLite database cannot be restored into.")
        if not os.path.exists(name) or os.path.getsize(name) == 0:
            return []
        with sqlite3.connect(name) as db:
            rows = db.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            ).fetchall()
        return [row[0] for row in rows]
    result = _run(
        ["psql", "--no-psqlrc", "--tuples-only", "--no-align",
         f"--dbname={settings_dict['NAME']}",
         "--command=SELECT tablename FROM pg_tables WHERE schemaname = 'public'"],
        settings_dict,
    )  # fmt: skip
    return [line for line in result.stdout.splitlines() if line.strip()]


@dataclass
class RestoreResult:
    manifest: dict
    files: int
    set_aside: str = ""


def _read_archive(archive_path, work):
    """Extract and check the archive; returns its manifest. Raises BackupError on any doubt."""
    try:
        with tarfile.open(archive_path, "r:*") as archive:
            # The "data" filter refuses absolute paths, "..", links out of the folder, devices.
            archive.extractall(work, filter="data")
    except (tarfile.TarError, OSError, EOFError) as error:
        raise BackupError(f"This file is not a readable Cercles backup: {error}") from None
    manifest_path = Path(work) / MANIFEST
    try:
        manifest = json.loads(manifest_path.read_text())
    except (OSError, ValueError):
        raise BackupError("The archive has no readable manifest.json.") from None
    if manifest.get("application") != "cercles" or manifest.get("format") != FORMAT:
        raise BackupError("The archive is not a Cercles backup of a known format.")
    database = manifest["database"]
    database_path = Path(work) / database["file"]
    if not database_path.is_file() or sha256_of(database_path) != database["sha256"]:
        raise BackupError("The database copy in the archive is damaged (checksum mismatch).")
    media_dir = Path(work) / "media"
    found = {relative for relative, _path in media_files(media_dir)}
    expected = set(manifest["media"])
    if found != expected:
        raise BackupError(
            "The media files in the archive do not match its manifest "
            f"({len(expected - found)} missing, {len(found - expected)} unexpected)."
        )
    for relative, entry in manifest["media"].items():
        if sha256_of(media_dir / relative) != entry["sha256"]:
            raise BackupError(f"The file {relative} in the archive is damaged (checksum mismatch).")
    return manifest


def _restore_database(manifest, database_path, settings_dict, *, force):
    engine = engine_of(settings_dict)
    if engine == "sqlite":
        target = Path(settings_dict["NAME"])
        target.parent.mkdir(parents=True, exist_ok=True)
        staged = target.with_name(target.name + ".restoring")
        shutil.copyfile(database_path, staged)
        for suffix in ("-wal", "-shm"):
            leftover = target.with_name(target.name + suffix)
            if leftover.exists():
                leftover.unlink()
        os.replace(staged, target)
    else:
        command = ["pg_restore", "--no-owner", "--no-privileges", "--single-transaction",
                   "--exit-on-error", f"--dbname={settings_dict['NAME']}"]  # fmt: skip
        if force:
            command += ["--clean", "--if-exists"]
        _run([*command, str(database_path)], settings_dict)


def restore_backup(archive_path, *, settings_dict=None, media_root=None, force=False):
    """Restore an archive into an empty database and media folder (or over them with force).

    Everything is checked first (manifest, checksums, engine, emptiness); the media files are
    staged next to the media folder and swapped in only once the database is restored.
    """
    if settings_dict is None:
        settings_dict = connections["default"].settings_dict
    media_root = Path(media_root or settings.MEDIA_ROOT)
    media_root.parent.mkdir(parents=True, exist_ok=True)
    engine = engine_of(settings_dict)
    work = tempfile.mkdtemp(prefix=".restore-", dir=media_root.parent)
    try:
        manifest = _read_archive(archive_path, work)
        if manifest["engine"] != engine:
            raise BackupError(
                f"This archive holds a {manifest['engine']} database: restore it into a "
                f"{manifest['engine']} database, not {engine}."
            )
        tables = database_tables(settings_dict)
        existing_media = any(True for _ in media_files(media_root))
        if not force and tables:
            raise BackupError(
                f"The database is not empty ({len(tables)} tables): restore into an empty "
                "database, or add --force to replace its content."
            )
        if not force and existing_media:
            raise BackupError(
                f"The media folder {media_root} is not empty: restore into an empty folder, or "
                "add --force to replace it."
            )
        if force and engine == "sqlite":
            # Replacing the file replaces everything: close what reads it first.
            connections.close_all()
        _restore_database(
            manifest, Path(work) / manifest["database"]["file"], settings_dict, force=force
        )
        set_aside = ""
        staged_media = Path(work) / "media"
        staged_media.mkdir(exist_ok=True)
        if media_root.exists():
            kept = [
                media_root / name for name in SKIPPED_MEDIA_DIRS if (media_root / name).exists()
            ]
            if existing_media or kept:
                stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
                set_aside = str(media_root.with_name(f"{media_root.name}.before-restore-{stamp}"))
                os.replace(media_root, set_aside)
            else:
                shutil.rmtree(media_root)
        os.replace(staged_media, media_root)
        return RestoreResult(manifest=manifest, files=len(manifest["media"]), set_aside=set_aside)
    finally:
        shutil.rmtree(work, ignore_errors=True)
