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
from PIL import Image, UnidentifiedImageError

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# A larger image is refused before it is decoded (a "decompression bomb"); a JPEG is decoded at a
# fraction of its size (below), so a phone's 48 MP photo passes.
MAX_PIXELS = 40_000_000
MAX_JPEG_PIXELS = 120_000_000
LONGEST_SIDE = 1600
ORIENTATION = 0x0112  # the EXIF orientation tag, and how to undo each of its values
TRANSPOSITIONS = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
LOGO_SIDE = 400
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}


@dataclass
class Reencoded:
    content: ContentFile
    width: int
    height: int


def reencode_photo(uploaded) -> Reencoded:
    """The uploaded file as a clean JPEG of at most ``LONGEST_SIDE`` pixels a side, or a
    ValidationError that says what is wrong with it."""
    return _reencode(uploaded, side=LONGEST_SIDE, mode="RGB", format="JPEG", quality=85)


def reencode_logo(uploaded) -> Reencoded:
    """A logo as a clean PNG (its transparency kept) of at most ``LOGO_SIDE`` pixels a side."""
    return _reencode(uploaded, side=LOGO_SIDE, mode="RGBA", format="PNG")


def _reencode(uploaded, *, side: int, mode: str, **save) -> Reencoded:
    pixels = _upright_pixels(uploaded, mode=mode)
    pixels.thumbnail((side, side), Image.Resampling.LANCZOS)
    clean = Image.new(mode, pixels.size)  # a new image: nothing of the old one's info comes along
    clean.paste(pixels)
    buffer = io.BytesIO()
    clean.save(buffer, optimize=True, **save)
    return Reencoded(ContentFile(buffer.getvalue()), clean.width, clean.height)


def _orientation(image) -> int | None:
    """The EXIF orientation, or None: a malformed EXIF (dropped anyway) is no reason to refuse."""
    try:
        return image.getexif().get(ORIENTATION)
    except Exception:
        return None


def _upright_pixels(uploaded, *, mode: str) -> Image.Image:
    """The uploaded image's pixels, turned upright by its orientation tag, in ``mode``."""
    if uploaded.size > MAX_UPLOAD_BYTES:
        raise ValidationError(_("An image may weigh at most 10 MB."), code="too_large")
    try:
        uploaded.seek(0)
        with Image.open(uploaded) as probe:
            if probe.format not in ACCEPTED_FORMATS:
                raise ValidationError(_("Send an image as JPEG, PNG or WebP."), code="format")
            limit = MAX_JPEG_PIXELS if probe.format == "JPEG" else MAX_PIXELS
            if probe.width * probe.height > limit:
                raise ValidationError(_("This image has too many pixels; send a smaller one."), code="too_many_pixels")
            probe.verify()  # a truncated or corrupt file fails here
        uploaded.seek(0)
        with Image.open(uploaded) as image:
            # A large JPEG is decoded at a fraction of its size (a 48 MP photo does not need 48 MP
            # of memory to become 1,600 px); other formats are halved in steps once decoded.
            image.draft("RGB", (LONGEST_SIDE, LONGEST_SIDE))
            image.load()
            factor = max(1, min(image.size) // (2 * LONGEST_SIDE))
            pixels = image.convert(mode).reduce(factor) if factor > 1 else image
            orientation = _orientation(image)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        raise ValidationError(_("This file is not an image that can be read."), code="unreadable") from error
    # Turned upright by the orientation tag alone: the rest of the EXIF (which may be malformed, and
    # is dropped anyway) is never parsed again.
    if orientation in TRANSPOSITIONS:
        pixels = pixels.transpose(TRANSPOSITIONS[orientation])
    return pixels.convert(mode)
