"""ZIP archives written to disk a piece at a time (exports, personal data).

An `ArchiveWriter` streams every entry into the ZIP file: texts, JSON lists and CSV tables are
encoded row by row and files are copied in chunks, so that the memory used does not grow with
the size of what is exported. `build_archive` runs a filling function for a `GeneratedArchive`
row and stores the result under MEDIA_ROOT/exports/, served only through views that check
permissions.
"""

import csv
import datetime
import io
import json
import logging
import os
import posixpath
import uuid
import zipfile

from django.apps import apps
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.http import FileResponse
from django.utils import timezone
from django.utils.text import get_valid_filename

from .models import ArchiveStatus, GeneratedArchive

logger = logging.getLogger(__name__)

ARCHIVE_LIFETIME = datetime.timedelta(days=7)
COPY_CHUNK = 256 * 1024
# Spreadsheet programs run a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """A CSV cell that a spreadsheet shows as text, never runs as a formula."""
    if value is None:
        return ""
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def safe_name(text, default="item"):
    """A file name made of the given text, safe in a ZIP on every system."""
    name = get_valid_filename(str(text).replace("/", "-").strip())[:80] if text else ""
    return name or default


class ArchiveWriter:
    def __init__(self, path):
        self.zip = zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True)
        self.names = set()
        self.missing = []
        self.stamp = timezone.localtime().timetuple()[:6]

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def close(self):
        self.zip.close()

    def _unique(self, name):
        name = posixpath.normpath(name).lstrip("/")
        base, extension = posixpath.splitext(name)
        candidate, n = name, 2
        while candidate in self.names:
            candidate = f"{base}-{n}{extension}"
            n += 1
        self.names.add(candidate)
        return candidate

    def _open(self, name):
        info = zipfile.ZipInfo(self._unique(name), date_time=self.stamp)
        info.compress_type = zipfile.ZIP_DEFLATED
        return self.zip.open(info, "w", force_zip64=True)

    def text(self, name, text):
        with self._open(name) as out:
            out.write(text.encode("utf-8"))

    def lines(self, name, chunks):
        """A text entry written from an iterable of strings."""
        with self._open(name) as out:
            for chunk in chunks:
                out.write(chunk.encode("utf-8"))

    def json(self, name, data):
        self.text(name, json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2))

    def json_list(self, name, items):
        """A JSON array written one element at a time."""

        def chunks():
            yield "["
            for n, item in enumerate(items):
                yield ("," if n else "") + "\n  "
                yield json.dumps(item, cls=DjangoJSONEncoder, ensure_ascii=False)
            yield "\n]\n"

        self.lines(name, chunks())

    def csv(self, name, header, rows):
        with self._open(name) as out:
            text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
            text.write("\ufeff")  # spreadsheet programs then read the file as UTF-8
            writer = csv.writer(text)
            writer.writerow(header)
            for row in rows:
                writer.writerow([safe_cell(value) for value in row])
            text.flush()
            text.detach()

    def file(self, name, field_file):
        """Copy a stored file into the archive; a file missing from storage is listed instead."""
        try:
            source = field_file.storage.open(field_file.name, "rb")
        except (FileNotFoundError, OSError):
            self.missing.append(name)
            return None
        with source, self._open(name) as out:
            while chunk := source.read(COPY_CHUNK):
                out.write(chunk)
        return name


def build_archive(archive, fill, *, filename):
    """Write `archive` (a GeneratedArchive row) with `fill(writer)`, then mark it ready.

    The ZIP is written next to its final place and renamed once complete: a failure leaves no
    half-written file behind and marks the archive failed.
    """
    storage = archive.file.storage
    name = f"exports/{uuid.uuid4().hex}/{safe_name(filename, 'export.zip')}"
    path = storage.path(name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    partial = path + ".part"
    try:
        with ArchiveWriter(partial) as writer:
            fill(writer)
        os.replace(partial, path)
    except Exception:
        logger.exception("archive %s could not be built", archive)
        for leftover in (partial, path):
            if os.path.exists(leftover):
                os.remove(leftover)
        archive.status = ArchiveStatus.FAILED
        archive.finished_at = timezone.now()
        archive.save(update_fields=["status", "finished_at"])
        raise
    archive.file.name = name
    archive.size = os.path.getsize(path)
    archive.status = ArchiveStatus.READY
    archive.finished_at = timezone.now()
    archive.expires_at = archive.finished_at + ARCHIVE_LIFETIME
    archive.save(update_fields=["file", "size", "status", "finished_at", "expires_at"])
    return archive


def archive_response(archive, filename):
    response = FileResponse(
        archive.file.open("rb"),
        as_attachment=True,
        filename=filename,
        content_type="application/zip",
    )
    response["Cache-Control"] = "private, no-store"
    return response


def archive_models():
    return [model for model in apps.get_models() if issubclass(model, GeneratedArchive)]


def delete_archive_file(archive):
    if archive.file:
        storage, name = archive.file.storage, archive.file.name
        transaction.on_commit(lambda: _delete_quietly(storage, name))


def _delete_quietly(storage, name):
    try:
        storage.delete(name)
        directory = os.path.dirname(storage.path(name))
        if os.path.isdir(directory) and not os.listdir(directory):
            os.rmdir(directory)
    except OSError:
        logger.warning("could not delete the archive file %s", name)


def forget_expired_archives(now=None):
    """Delete the files of every archive past its expiry; returns how many were."""
    now = now or timezone.now()
    forgotten = 0
    for model in archive_models():
        for archive in model.objects.filter(status=ArchiveStatus.READY, expires_at__lte=now):
            with transaction.atomic():
                delete_archive_file(archive)
                archive.status = ArchiveStatus.EXPIRED
                archive.file = ""
                archive.save(update_fields=["status", "file"])
            forgotten += 1
    return forgotten
