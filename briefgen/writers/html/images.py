"""The cover's logo, inside the page as a data URI, as large as the PDF draws it."""

from __future__ import annotations

import base64
from pathlib import Path

from briefgen.writers.html.markup import start_tag
from briefgen.writers.html.styles import number

_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg"}  # what the input accepts as a logo


def logo_image(path: str, alt: str, largest: tuple[float, float], base: float) -> str:
    """An ``img`` of the logo scaled to fit ``largest`` (points), keeping its shape.

    ``alt`` is what the logo shows (the tree's; empty marks it as decoration); ``base``
    is the size of a ``rem`` in points.
    """
    from PIL import Image

    data = Path(path).read_bytes()
    with Image.open(path) as image:
        width, height = image.size
        kind = _TYPES.get(image.format or "", "application/octet-stream")
    scale = min(largest[0] / width, largest[1] / height)
    source = f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}"
    return start_tag(
        "img",
        {
            "class": "logo",
            "src": source,
            "alt": alt,
            "width": str(width),
            "height": str(height),
            "style": f"width:{number(width * scale / base)}rem",
        },
    )
