"""Test helpers: uploads that pass (or fail) the content checks, and library content."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from cercles.communities.models import ProductionKind

from .. import services
from ..models import Audience

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


def pdf_upload(name="guide.pdf", content=PDF_BYTES):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def png_upload(name="carte.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (30, 120, 200)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def make_note(author, community, title="Carnet de terrain", body="Premier jet.", **kwargs):
    return services.create_note(author, community, title=title, body=body, **kwargs)


def make_file(author, community, title="Guide", upload=None, **kwargs):
    return services.add_file(
        author, community, title=title, upload=upload or pdf_upload(), **kwargs
    )


def make_link(author, community, title="Portail ODD", url="https://odd.example.org/", **kwargs):
    return services.add_link(author, community, title=title, url=url, **kwargs)


def make_production(author, community, **fields):
    fields = {
        "title": "Guide des comités de l'eau",
        "kind": ProductionKind.PUBLICATION,
        "audience": Audience.TERRITORY,
        **fields,
    }
    return services.create_production(author, community, **fields)
