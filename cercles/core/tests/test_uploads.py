import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from cercles.core.uploads import validate_upload


def png():
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buffer, "PNG")
    return buffer.getvalue()


def docx():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("photo.png", png()),
        ("compte-rendu.pdf", b"%PDF-1.7\n1 0 obj\n"),
        ("notes.txt", "Réunion du comité de l’eau".encode()),
        ("membres.csv", b"nom;organisation\nAwa;Eau Vive\n"),
        ("guide.docx", docx()),
    ],
)
def test_accepts_files_whose_content_matches_their_name(name, content):
    assert validate_upload(SimpleUploadedFile(name, content)) == "." + name.rsplit(".", 1)[1]


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("rapport.pdf", png(), "mismatch"),
        ("image.png", b"%PDF-1.7\n", "mismatch"),
        ("notes.txt", png(), "mismatch"),
        ("script.exe", b"MZ\x90\x00", "kind"),
        ("page.html", b"<script>alert(1)</script>", "kind"),
        ("vide.pdf", b"", "empty"),
    ],
)
def test_refuses_lying_or_unknown_files(name, content, code):
    with pytest.raises(ValidationError) as error:
        validate_upload(SimpleUploadedFile(name, content))
    assert error.value.code == code


def test_refuses_files_over_the_limit():
    with pytest.raises(ValidationError) as error:
        validate_upload(SimpleUploadedFile("gros.pdf", b"%PDF-1.7\n" + b"0" * 2048), max_bytes=1024)
    assert error.value.code == "too_large"
