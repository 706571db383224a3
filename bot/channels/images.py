"""Images shown to people other than the one who sent them."""
from __future__ import annotations

import io

from PIL import Image


def strip_metadata(content: bytes, mime: str) -> bytes:
    """Re-encode an image without EXIF (GPS, device): a photo once exposed an anonymous reporter."""
    with Image.open(io.BytesIO(content)) as img:
        out = io.BytesIO()
        # Pillow writes no EXIF unless asked to; PNG text chunks are not copied either.
        img.save(out, format={"image/png": "PNG", "image/webp": "WEBP"}.get(mime, "JPEG"))
        return out.getvalue()
