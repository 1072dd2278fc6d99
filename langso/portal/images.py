"""Uploaded photos made fit for phones: checked, turned upright, shrunk, stripped of
EXIF (which can carry the place a photo was taken) and saved as JPEG and WebP."""

import io
from dataclasses import dataclass
from typing import IO

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

try:  # phone photos from iPhones come as HEIC
    from pillow_heif import register_heif_opener

    register_heif_opener()
except ImportError:  # pragma: no cover
    pass

MAX_BYTES = 15 * 1024 * 1024
MAX_PIXELS = 40_000_000
WIDTH = 1200


@dataclass
class Prepared:
    jpeg: bytes
    webp: bytes
    width: int
    height: int


def prepare_photo(upload: IO[bytes], *, width: int = WIDTH) -> Prepared:
    """JPEG and WebP versions of an uploaded photo at most `width` wide, without EXIF.

    Raises ValidationError for anything that is not a photo Pillow can read.
    """
    upload.seek(0, io.SEEK_END)
    size = upload.tell()
    upload.seek(0)
    if size > MAX_BYTES:
        raise ValidationError(_("The photo is too large (at most 15 MB)."))
    try:
        with Image.open(upload) as probe:
            if probe.width * probe.height > MAX_PIXELS:
                raise ValidationError(_("The photo has too many pixels."))
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as opened:
            image = ImageOps.exif_transpose(opened).convert("RGB")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise ValidationError(_("This file is not a photo.")) from error
    finally:
        upload.seek(0)
    if image.width > width:
        image = image.resize(
            (width, round(image.height * width / image.width)), Image.Resampling.LANCZOS
        )
    jpeg, webp = io.BytesIO(), io.BytesIO()
    # Saved without `exif=`: nothing of the original's metadata is written.
    image.save(jpeg, "JPEG", quality=80, optimize=True, progressive=True)
    image.save(webp, "WEBP", quality=75, method=4)
    return Prepared(jpeg.getvalue(), webp.getvalue(), image.width, image.height)
