"""The cover logo an administrator uploads: only a real, small PNG or JPEG is accepted (the product ships
none). Checked on upload (admin form) and again before printing."""

import io

from django.utils.translation import gettext as _
from PIL import Image

from provinces.uploads import Refused, check_image

MAX_LOGO_BYTES = 2 * 1024 * 1024
MAX_LOGO_PIXELS = 4000  # per side: a cover logo is printed about 6 cm wide
TYPES = {"PNG": (".png", "image/png"), "JPEG": (".jpg", "image/jpeg")}


class LogoRefused(Exception):
    """The file cannot be a cover logo. The message is for the administrator."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


def check_logo(content: bytes) -> str:
    """Return the content type of an acceptable logo, or raise LogoRefused saying why."""
    if len(content) > MAX_LOGO_BYTES:
        raise LogoRefused(
            _("The logo is too large (at most %(mb)s MB). Save a smaller PNG or JPEG.") % {"mb": 2}
        )
    not_image = _("The logo must be a PNG or JPEG image.")
    try:
        with Image.open(io.BytesIO(content)) as image:
            kind, size = image.format, image.size
    except Exception:  # Pillow raises many kinds (and DecompressionBombError) on a damaged or hostile file
        raise LogoRefused(not_image) from None
    if kind not in TYPES:
        raise LogoRefused(not_image)
    if max(size) > MAX_LOGO_PIXELS:
        raise LogoRefused(
            _("The logo is too large (at most %(px)s pixels a side).") % {"px": MAX_LOGO_PIXELS}
        )
    extension, content_type = TYPES[kind]
    try:
        check_image(content, extension)
    except Refused as exc:
        raise LogoRefused(exc.message) from None
    return content_type
