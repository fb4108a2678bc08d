"""Photos as the portal keeps them: never the file that was sent.

A photo from a phone carries where it was taken (EXIF GPS), when, and on what; a published photo
of the people a project serves must carry none of it. Each upload is opened with Pillow, turned
upright by its orientation tag, resized, and written again as a new JPEG from its pixels only:
no EXIF, no XMP, no ICC profile, no comment survives.
"""

import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a larger image is refused before it is decoded (a "decompression bomb")
LONGEST_SIDE = 1600
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}


@dataclass
class Photo:
    content: ContentFile
    width: int
    height: int


def reencode_photo(uploaded) -> Photo:
    """The uploaded file as a clean JPEG of at most ``LONGEST_SIDE`` pixels a side, or a
    ValidationError that says what is wrong with it."""
    if uploaded.size > MAX_UPLOAD_BYTES:
        raise ValidationError(_("A photo may weigh at most 10 MB."), code="too_large")
    try:
        uploaded.seek(0)
        with Image.open(uploaded) as probe:
            if probe.format not in ACCEPTED_FORMATS:
                raise ValidationError(_("Send a photo as JPEG, PNG or WebP."), code="format")
            if probe.width * probe.height > MAX_PIXELS:
                raise ValidationError(_("This photo has too many pixels; send a smaller one."), code="too_many_pixels")
            probe.verify()  # a truncated or corrupt file fails here
        uploaded.seek(0)
        with Image.open(uploaded) as image:
            upright = ImageOps.exif_transpose(image)
            pixels = upright.convert("RGB")
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as error:
        raise ValidationError(_("This file is not a photo that can be read."), code="unreadable") from error
    pixels.thumbnail((LONGEST_SIDE, LONGEST_SIDE), Image.Resampling.LANCZOS)
    clean = Image.new("RGB", pixels.size)  # a new image: nothing of the old one's info comes along
    clean.paste(pixels)
    buffer = io.BytesIO()
    clean.save(buffer, format="JPEG", quality=85, optimize=True)
    return Photo(ContentFile(buffer.getvalue()), clean.width, clean.height)
