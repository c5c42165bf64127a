"""Logos drawn for the tests with Pillow: a stand-in for the Daily Caller News Foundation's
logo (not the newswire's own file, which the tests cannot ship: a dark blue field with a
white "DCNF" and a red bar beneath, as its logo is laid out) and other newswires' and
partners' logos in the same spirit, and the variants republishers make of a logo."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw, ImageFont, ImageOps


def _font(size: int):
    return ImageFont.load_default(size=size)


def dcnf_logo(width: int = 400) -> Image.Image:
    height = width * 2 // 5
    picture = Image.new("RGB", (width, height), (12, 35, 64))
    draw = ImageDraw.Draw(picture)
    draw.text((width * 0.08, height * 0.12), "DCNF", fill="white", font=_font(height // 2))
    draw.rectangle((width * 0.08, height * 0.78, width * 0.92, height * 0.86), fill=(200, 16, 46))
    draw.text(
        (width * 0.62, height * 0.2), "NEWS\nFOUNDATION", fill="white", font=_font(height // 9)
    )
    return picture


def other_logos() -> dict[str, Image.Image]:
    """Logos that are not DCNF's: other newswires' shapes and generic partner marks."""
    found: dict[str, Image.Image] = {}
    specs = [
        ("propublica-like", (0, 0, 0), "white", "ProPublica", (255, 255, 255)),
        ("conversation-like", (255, 255, 255), (200, 20, 20), "The Conversation", None),
        ("kff-like", (255, 255, 255), (0, 90, 160), "KFF Health News", (0, 90, 160)),
        ("partner-gazette", (240, 240, 230), (20, 20, 20), "The Valley Gazette", None),
        ("partner-red", (200, 16, 46), "white", "RIVER TIMES", None),
        ("partner-blue-dcnf-colours", (12, 35, 64), "white", "HILL POST", (200, 16, 46)),
    ]
    for name, background, ink, text, bar in specs:
        picture = Image.new("RGB", (400, 160), background)
        draw = ImageDraw.Draw(picture)
        draw.text((24, 40), text, fill=ink, font=_font(44))
        if bar:
            draw.rectangle((24, 120, 376, 132), fill=bar)
        found[name] = picture
    circle = Image.new("RGB", (300, 300), "white")
    ImageDraw.Draw(circle).ellipse((30, 30, 270, 270), fill=(12, 35, 64))
    found["partner-circle"] = circle
    return found


def encoded(picture: Image.Image, kind: str = "PNG", **options) -> bytes:
    buffer = io.BytesIO()
    picture.save(buffer, kind, **options)
    return buffer.getvalue()


def variants(picture: Image.Image) -> dict[str, bytes]:
    """What republishers' CMSs make of a logo."""
    w, h = picture.size
    padded = ImageOps.expand(picture, border=40, fill=(230, 240, 250))
    return {
        "resized-small": encoded(picture.resize((w // 3, h // 3))),
        "resized-large": encoded(picture.resize((w * 2, h * 2))),
        "cropped": encoded(picture.crop((3, 3, w - 3, h - 3))),
        "jpeg-q40": encoded(picture, "JPEG", quality=40),
        "greyscale": encoded(picture.convert("L")),
        "padded": encoded(padded),
        "webp": encoded(picture, "WEBP", quality=60),
        "padded-jpeg": encoded(padded.resize((w // 2 + 40, h // 2 + 40)), "JPEG", quality=60),
    }


def recoloured(picture: Image.Image) -> Image.Image:
    """The logo in a partner's house colours: the same drawing, other inks."""
    return ImageOps.colorize(picture.convert("L"), black=(20, 60, 30), white=(250, 245, 220))


# The stand-in drawn as SVG, as a newswire ships its logo for the web.
DCNF_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="160" viewBox="0 0 400 160">'
    '<rect width="400" height="160" fill="#0c2340"/>'
    '<rect x="32" y="125" width="336" height="13" fill="#c8102e"/>'
    '<text x="32" y="90" font-size="80" fill="white" font-family="sans-serif">DCNF</text></svg>'
)
