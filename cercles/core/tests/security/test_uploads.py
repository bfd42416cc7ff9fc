"""Uploads (issue 19, deliverable 4), tried as an attacker would.

core/tests/test_uploads.py checks the content-by-name rules one by one; here: HTML and SVG never
get in (by name or disguised), names never choose where a file lands, downloads are attachments
that a browser will not sniff or run, nothing is reachable by guessing under /media/, and
avatars are re-encoded (metadata gone, polyglots and decompression bombs refused).
"""

import io
import os

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from cercles.accounts.avatars import reencode_avatar
from cercles.communities.tests.factories import CommunityFactory, add_member
from cercles.core.uploads import validate_upload
from cercles.discussions.tests.factories import PDF_BYTES
from cercles.library.tests.factories import make_file

HTML = b"<!doctype html><html><script>alert(document.cookie)</script></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script></svg>'


def upload(name, content):
    return SimpleUploadedFile(name, content)


def png(size=(64, 64), **save):
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format="PNG", **save)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "name, content",
    [
        ("page.html", HTML), ("page.htm", HTML), ("image.svg", SVG), ("page.xhtml", HTML),
        ("page.pdf", HTML), ("image.png", SVG), ("notes.txt.html", HTML),
        ("script.js", b"alert(1)"), ("polyglot.pdf", HTML + PDF_BYTES),
        ("page.PDF", HTML), ("archive.docx", HTML), ("a.png", b"GIF89a" + HTML),
    ],
)  # fmt: skip
def test_markup_never_gets_in(name, content):
    with pytest.raises(ValidationError):
        validate_upload(upload(name, content))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name",
    ["../../../../etc/passwd.pdf", "..\\..\\settings.pdf", "/etc/cron.d/x.pdf", "a/../../b.pdf",
     "%2e%2e%2fx.pdf", "x\x00.pdf", "CON.pdf", "." * 300 + ".pdf"],
)  # fmt: skip
def test_names_never_choose_where_a_file_lands(name):
    community = CommunityFactory()
    try:
        document = make_file(community.lead, community, upload=upload(name, PDF_BYTES))
    except ValidationError:
        return  # refused outright is fine too
    stored = os.path.realpath(document.file.path)
    assert stored.startswith(os.path.realpath(settings.MEDIA_ROOT) + os.sep)
    assert os.path.basename(stored) != os.path.basename(name)  # a random name of its own
    assert stored.endswith(".pdf")


@pytest.mark.django_db
def test_downloads_are_attachments_never_sniffed_nor_run(client):
    community = CommunityFactory()
    member = add_member(community).user
    document = make_file(community.lead, community, upload=upload("guide.pdf", PDF_BYTES))
    client.force_login(member)
    url = reverse("library:download_file", args=[community.slug, document.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert "sandbox" in response["Content-Security-Policy"]
    assert "private" in response["Cache-Control"]


@pytest.mark.django_db
def test_nothing_is_reachable_by_guessing_under_media(client, member):
    community = CommunityFactory()
    document = make_file(community.lead, community, upload=upload("guide.pdf", PDF_BYTES))
    stored = settings.MEDIA_URL + document.file.name
    for person in (None, member, community.lead):
        if person:
            client.force_login(person)
        assert client.get(stored).status_code in (302, 404)
        assert client.get(settings.MEDIA_URL).status_code in (302, 404)


def test_avatars_are_re_encoded_without_metadata():
    exif = Image.Exif()
    exif[0x8825] = {2: (48, 51, 24)}  # GPS latitude: where the picture was taken
    exif[0x010F] = "Appareil de Fatou"
    original = png(exif=exif.tobytes())
    result = reencode_avatar(upload("me.png", original)).read()
    image = Image.open(io.BytesIO(result))
    assert image.format == "JPEG"
    assert not image.getexif()
    assert b"Fatou" not in result


@pytest.mark.parametrize(
    "content",
    [
        png() + HTML,  # a PNG followed by a page: the re-encoded avatar keeps only the picture
        b"GIF89a" + HTML,  # a page disguised as a picture
        SVG,
    ],
)
def test_avatar_polyglots_are_refused_or_cleaned(content):
    try:
        result = reencode_avatar(upload("me.png", content)).read()
    except ValidationError:
        return
    assert b"<script" not in result and b"<html" not in result


def test_avatar_decompression_bombs_are_refused():
    buffer = io.BytesIO()
    Image.new("1", (12000, 12000)).save(buffer, format="PNG")  # 144 Mpx, a few kB
    assert len(buffer.getvalue()) < settings.AVATAR_MAX_BYTES
    with pytest.raises(ValidationError):
        reencode_avatar(upload("bomb.png", buffer.getvalue()))
