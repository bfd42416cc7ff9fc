"""The text of uploaded files, for search: PDF with pypdf, office documents (Word, OpenDocument,
PowerPoint) from their XML. Read by a job, once per uploaded file, then kept."""

import io
import re
import zipfile

from django.db import transaction

from .models import ExtractedText

MAX_PAGES = 200
MAX_CHARS = 100_000
XML_TAG = re.compile(rb"<[^>]+>")
OFFICE_PARTS = {
    ".docx": re.compile(r"word/(document|header\d*|footer\d*)\.xml"),
    ".pptx": re.compile(r"ppt/slides/slide\d+\.xml"),
    ".odt": re.compile(r"content\.xml"),
    ".odp": re.compile(r"content\.xml"),
}


def extracted_text(kind_key, obj):
    """The text read from the object's file, or "" while the job has not read it yet."""
    name = obj.file.name
    known = ExtractedText.objects.filter(kind=kind_key, object_id=obj.pk).first()
    if known is not None and known.file_name == name:
        return known.text
    if can_extract(name):
        from .tasks import extract_file_text

        transaction.on_commit(lambda: extract_file_text(kind_key, obj.pk))
    return ""


def can_extract(name):
    lower = name.lower()
    return lower.endswith(".pdf") or any(lower.endswith(ext) for ext in OFFICE_PARTS)


def read_pdf(data):
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    parts, size = [], 0
    for page in reader.pages[:MAX_PAGES]:
        piece = page.extract_text() or ""
        parts.append(piece)
        size += len(piece)
        if size > MAX_CHARS:
            break
    return "\n".join(parts)


def read_office(data, pattern):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = []
        for name in sorted(archive.namelist()):
            if pattern.fullmatch(name):
                xml = archive.read(name)[: MAX_CHARS * 20]
                parts.append(XML_TAG.sub(b" ", xml).decode("utf-8", "replace"))
    return re.sub(r"\s+", " ", " ".join(parts))


def read_text(name, data):
    """The words of a file; "" for a file that cannot be read (damaged, encrypted, unknown)."""
    lower = name.lower()
    try:
        if lower.endswith(".pdf"):
            return read_pdf(data)[:MAX_CHARS]
        for extension, pattern in OFFICE_PARTS.items():
            if lower.endswith(extension):
                return read_office(data, pattern)[:MAX_CHARS]
    except Exception:  # noqa: BLE001 - a file people uploaded may be broken in any way
        return ""
    return ""


def extract(kind, obj):
    """Read the object's file, keep its text, and reindex the object with it."""
    from .indexing import index_objects

    name = obj.file.name
    if not name or not can_extract(name):
        return ""
    try:
        with obj.file.open("rb") as file:
            data = file.read()
    except (FileNotFoundError, OSError):
        return ""
    text = read_text(name, data).replace("\x00", " ")
    ExtractedText.objects.update_or_create(
        kind=kind.key, object_id=obj.pk, defaults={"file_name": name, "text": text}
    )
    index_objects(kind, [obj])
    return text
