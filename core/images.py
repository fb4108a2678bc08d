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
LOGO_SIDE = 400
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}


@dataclass
class Photo:
    content: ContentFile
    width: int
    height: int


def reencode_photo(uploaded) -> Photo:
    """The uploaded file as a clean JPEG of at most ``LONGEST_SIDE`` pixels a side, or a
    ValidationError that says what is wrong with it."""
    pixels = _upright_pixels(uploaded, mode="RGB")
    pixels.thumbnail((LONGEST_SIDE, LONGEST_SIDE), Image.Resampling.LANCZOS)
    clean = Image.new("RGB", pixels.size)  # a new image: nothing of the old one's info comes along
    clean.paste(pixels)
    buffer = io.BytesIO()
    clean.save(buffer, format="JPEG", quality=85, optimize=True)
    return Photo(ContentFile(buffer.getvalue()), clean.width, clean.height)


def reencode_logo(uploaded) -> Photo:
    """A logo as a clean PNG (its transparency kept) of at most ``LOGO_SIDE`` pixels a side."""
    pixels = _upright_pixels(uploaded, mode="RGBA")
    pixels.thumbnail((LOGO_SIDE, LOGO_SIDE), Image.Resampling.LANCZOS)
    clean = Image.new("RGBA", pixels.size)
    clean.paste(pixels)
    buffer = io.BytesIO()
    clean.save(buffer, format="PNG", optimize=True)
    return Photo(ContentFile(buffer.getvalue()), clean.width, clean.height)


def _upright_pixels(uploaded, *, mode: str) -> Image.Image:
    """The uploaded image's pixels, turned upright by its orientation tag, in ``mode``."""
    if uploaded.size > MAX_UPLOAD_BYTES:
        raise ValidationError(_("An image may weigh at most 10 MB."), code="too_large")
    try:
        uploaded.seek(0)
        with Image.open(uploaded) as probe:
            if probe.format not in ACCEPTED_FORMATS:
                raise ValidationError(_("Send an image as JPEG, PNG or WebP."), code="format")
            if probe.width * probe.height > MAX_PIXELS:
                raise ValidationError(_("This image has too many pixels; send a smaller one."), code="too_many_pixels")
            probe.verify()  # a truncated or corrupt file fails here
        uploaded.seek(0)
        with Image.open(uploaded) as image:
            return ImageOps.exif_transpose(image).convert(mode)
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as error:
        raise ValidationError(_("This file is not an image that can be read."), code="unreadable") from error
