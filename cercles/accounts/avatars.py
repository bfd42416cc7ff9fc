"""Avatar images: checked by content (not by name), size-limited, re-encoded without metadata."""

import io
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_PIXELS = 40_000_000


def reencode_avatar(upload):
    """Return a square JPEG ContentFile made from an uploaded image, or raise ValidationError."""
    if upload.size > settings.AVATAR_MAX_BYTES:
        raise ValidationError(
            _("This image is %(size)s; the limit is %(limit)s.")
            % {
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(settings.AVATAR_MAX_BYTES),
            },
            code="too_large",
        )
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            if image.width * image.height > MAX_PIXELS:
                raise ValidationError(_("This image has too many pixels."), code="too_large")
            image = ImageOps.exif_transpose(image).convert("RGB")
            size = settings.AVATAR_SIZE_PX
            image = ImageOps.fit(image, (size, size), Image.Resampling.LANCZOS)
            output = io.BytesIO()
            image.save(output, format="JPEG", quality=85, optimize=True)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(
            _("This file is not an image we can read. Use a JPEG, PNG, GIF or WebP picture."),
            code="invalid_image",
        ) from None
    return ContentFile(output.getvalue(), name=f"{uuid.uuid4().hex}.jpg")
