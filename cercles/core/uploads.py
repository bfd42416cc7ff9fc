"""Files people upload: type checked by content (not by name), size-limited, served as downloads.

Uploaded files are never served by the web server directly: a view checks the permission, then
returns the file with `protected_download`.
"""

import os

import puremagic
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

TEXT = "text"
ZIP_OFFICE = {".docx", ".xlsx", ".pptx", ".zip", ".odt", ".ods", ".odp"}

# Extension of the file's name → what its content must be recognised as.
ALLOWED_KINDS = {
    ".pdf": {".pdf"},
    ".png": {".png"},
    ".jpg": {".jpg", ".jpeg"},
    ".jpeg": {".jpg", ".jpeg"},
    ".gif": {".gif"},
    ".webp": {".webp"},
    ".docx": ZIP_OFFICE,
    ".xlsx": ZIP_OFFICE,
    ".pptx": ZIP_OFFICE,
    ".odt": ZIP_OFFICE,
    ".ods": ZIP_OFFICE,
    ".odp": ZIP_OFFICE,
    ".doc": {".doc", ".xls", ".ppt", ".msi"},
    ".xls": {".doc", ".xls", ".ppt", ".msi"},
    ".ppt": {".doc", ".xls", ".ppt", ".msi"},
    ".txt": TEXT,
    ".csv": TEXT,
    ".md": TEXT,
}
CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".txt": "text/plain; charset=utf-8",
    ".csv": "text/csv; charset=utf-8",
    ".md": "text/markdown; charset=utf-8",
}


def allowed_extensions_label():
    return ", ".join(sorted(ext.lstrip(".") for ext in ALLOWED_KINDS))


def _looks_like_text(head):
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character cut at the end of the sample is still text.
        return error.start >= len(head) - 3
    return True


def validate_upload(upload, *, max_bytes=None):
    """Check an uploaded file; return its extension or raise ValidationError (in the user's
    language). The name's extension must match what the content really is."""
    max_bytes = max_bytes or settings.UPLOAD_MAX_BYTES
    if upload.size > max_bytes:
        raise ValidationError(
            _("This file is %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(max_bytes)},
            code="too_large",
        )
    if upload.size == 0:
        raise ValidationError(_("This file is empty."), code="empty")
    extension = os.path.splitext(upload.name)[1].lower()
    expected = ALLOWED_KINDS.get(extension)
    if expected is None:
        raise ValidationError(
            _("This kind of file is not accepted. Accepted: %(kinds)s.")
            % {"kinds": allowed_extensions_label()},
            code="kind",
        )
    upload.seek(0)
    head = upload.read(64 * 1024)
    upload.seek(0)
    if expected == TEXT:
        matches = _looks_like_text(head)
    else:
        try:
            found = {m.extension.lower() for m in puremagic.magic_string(head)}
        except puremagic.PureError:
            found = set()
        matches = bool(found & expected)
    if not matches:
        raise ValidationError(
            _("The content of this file does not match its name (%(extension)s).")
            % {"extension": extension},
            code="mismatch",
        )
    return extension


def protected_download(field_file, filename=None):
    """A download response for a stored file, to be returned only after a permission check."""
    try:
        handle = field_file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    name = filename or os.path.basename(field_file.name)
    extension = os.path.splitext(name)[1].lower()
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=name,
        content_type=CONTENT_TYPES.get(extension, "application/octet-stream"),
    )
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response
