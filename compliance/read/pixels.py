"""Images read as pixels: a perceptual hash of each, to tell a newswire's logo by its look
whatever its file is called, and what an image that could not be read lacked.

The hash: imagehash's 64-bit pHash (on Pillow) of the image composited on white, and of its
drawing trimmed frame by frame (padding on a coloured background, then the logo's own field),
so that a padded, recompressed or recoloured copy shares a trim with the bare file. An SVG is
drawn by resvg first, with no file it may reference. Pillow, imagehash and resvg load only
when an image must be read.

Where images come from: a local page's images from disk, relative to the page; remote ones
only with `fetch` (check's `--fetch-images`, on in the audit), through the address-checked
fetcher, at most `max_bytes` each and `per_page` a page, cached on disk by URL (with the
ETag, asked again after `REVALIDATE_DAYS`), so that a partner's logo is fetched once across
pages and weeks.
"""

from __future__ import annotations

import hashlib
import io
import json
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

MAX_IMAGE_BYTES = 2 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a decompression bomb is refused before it is decoded
MAX_SVG_BYTES = 512 * 1024
SVG_WIDTH = 512
IMAGES_PER_PAGE = 12
REVALIDATE_DAYS = 30
_TRIMS = 3
_SAME_SHAPE = 1.6  # trims whose width/height ratios differ more are different shapes
_MIN_AREA = 64  # pixels: a trim that leaves less than this has cut into noise
_IMAGE_TYPES = ("image/png", "image/jpeg", "image/gif", "image/webp", "image/svg+xml")


@dataclass(frozen=True)
class Pixels:
    """What an image looks like: perceptual hashes of it and of its drawing trimmed frame by
    frame (the first is the whole image), and its size in pixels."""

    hashes: tuple[int, ...]
    width: int
    height: int
    aspects: tuple[float, ...] = ()  # width / height of each trim hashed

    @property
    def hash(self) -> int:
        return self.hashes[0]


def distance(a: int, b: int) -> int:
    """Hamming distance of two 64-bit hashes: 0 the same look, 32 unrelated."""
    return (a ^ b).bit_count()


def closeness(seen: Pixels, references: list[Pixels | int]) -> int:
    """The distance of an image to the nearest reference, over both one's trims of the same
    shape (a wide logo is never compared with a round mark's trim); 64 when none compares."""
    found = 64
    for reference in references:
        if isinstance(reference, int):  # a hash from a rule file: no shape known
            found = min([found, *(distance(h, reference) for h in seen.hashes)])
            continue
        for h, aspect in zip(seen.hashes, seen.aspects, strict=True):
            for r, other in zip(reference.hashes, reference.aspects, strict=True):
                if max(aspect, other) / min(aspect, other) <= _SAME_SHAPE:
                    found = min(found, distance(h, r))
    return found


def _svg(data: bytes) -> bool:
    head = data[:2048].lstrip().lower()
    return head.startswith(b"<svg") or (head.startswith(b"<?xml") and b"<svg" in head)


def rasterised(svg: bytes) -> bytes | str:
    """An SVG drawn as PNG by resvg, `SVG_WIDTH` pixels wide; it may reference no file."""
    import tempfile

    import resvg_py

    if len(svg) > MAX_SVG_BYTES:
        return f"an SVG over {MAX_SVG_BYTES // 1024:,} KiB"
    with tempfile.TemporaryDirectory(prefix="compliance-svg-") as nothing:
        try:
            return bytes(
                resvg_py.svg_to_bytes(
                    svg_string=svg.decode("utf-8", "replace"), width=SVG_WIDTH,
                    background="#ffffff", resources_dir=nothing,
                )
            )  # fmt: skip
        except (ValueError, OSError) as exc:
            return f"an SVG that cannot be drawn ({exc})"


def pixels_of(data: bytes) -> Pixels | str:
    """The Pixels of image bytes (PNG, JPEG, GIF, WebP, SVG), or why they cannot be read."""
    from PIL import Image, UnidentifiedImageError

    if _svg(data):
        drawn = rasterised(data)
        if isinstance(drawn, str):
            return drawn
        data = drawn

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with Image.open(io.BytesIO(data)) as opened:
            opened.seek(0)
            width, height = opened.size
            picture = opened.convert("RGBA")
    except (UnidentifiedImageError, Image.DecompressionBombError):
        return "not an image format Pillow reads (PNG, JPEG, GIF, WebP, SVG)"
    except (OSError, ValueError, SyntaxError) as exc:
        return f"a broken image ({exc})"
    hashes, aspects = _hashes(picture)
    return Pixels(hashes, width, height, aspects)


def _hashes(picture: Any) -> tuple[tuple[int, ...], tuple[float, ...]]:
    import imagehash
    from PIL import Image, ImageChops

    flat = Image.new("RGB", picture.size, (255, 255, 255))
    flat.paste(picture, mask=picture.getchannel("A"))
    # Trimmed frame by frame (padding, then the logo's own field), each trim hashed: a
    # padded copy and the bare file share a trim, whatever noise a recompression left.
    found = [int(str(imagehash.phash(flat.convert("L"))), 16)]
    aspects = [flat.width / max(flat.height, 1)]
    for _ in range(_TRIMS):
        border = Image.new("RGB", flat.size, flat.getpixel((0, 0)))
        box = ImageChops.difference(flat, border).convert("L").point(lambda v: 255 if v > 24 else 0)
        bounds = box.getbbox()
        if not bounds or (bounds[2] - bounds[0]) * (bounds[3] - bounds[1]) < _MIN_AREA:
            break
        if bounds == (0, 0, *flat.size):
            break
        flat = flat.crop(bounds)
        found.append(int(str(imagehash.phash(flat.convert("L"))), 16))
        aspects.append(flat.width / max(flat.height, 1))
    return tuple(found), tuple(aspects)


@lru_cache(maxsize=64)
def _reference(path: str, mtime: float) -> Pixels | str:
    return pixels_of(Path(path).read_bytes())


def reference_pixels(path: Path) -> Pixels | str:
    """A rule set's reference logo file, read once per process (again when it changes)."""
    try:
        return _reference(str(path), path.stat().st_mtime)
    except OSError as exc:
        return f"{path}: cannot read it: {exc.strerror or exc}"


@dataclass
class ImageReading:
    """How a check reads a page's images; picklable, so that checking workers get it."""

    fetch: bool = False
    allow_private: bool = False
    cache_dir: str | None = None  # default: the user's cache directory
    max_bytes: int = MAX_IMAGE_BYTES
    per_page: int = IMAGES_PER_PAGE
    delay: float = 0.0  # seconds between two requests to one host (the audit's --delay)
    obey_robots: bool = True
    _fetchers: dict[bool, Any] = field(default_factory=dict, init=False, compare=False)
    _read: dict[str, Pixels | str] = field(default_factory=dict, init=False, compare=False)

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_fetchers"] = {}  # a client does not cross processes
        return state

    def read(self, src: str, page_source: str, inline: str = "") -> Pixels | str:
        """The image `src` of the page read from `page_source` (an inline SVG: its markup),
        or why it was not read."""
        if inline:
            return pixels_of(inline.encode("utf-8"))
        key = f"{page_source}\n{src}" if "://" not in src else src
        if key not in self._read:
            self._read[key] = self._read_now(src, page_source)
        return self._read[key]

    def _read_now(self, src: str, page_source: str) -> Pixels | str:
        parts = urlsplit(src)
        if parts.scheme in ("http", "https"):
            if not self.fetch:
                return "not fetched (--fetch-images reads remote images)"
            # The page's own host may be private: the user named it (as with a redirect).
            same_host = urlsplit(page_source).netloc.lower() == parts.netloc.lower()
            data = self._fetched(src, same_host)
        elif parts.scheme in ("", "file") and src:
            data = self._local(unquote(parts.path), page_source)
        else:
            return f"an address the tool does not read ({parts.scheme}:)"
        return data if isinstance(data, str) else pixels_of(data)

    def _local(self, path: str, page_source: str) -> bytes | str:
        page = Path(page_source)
        if not page.is_file():
            return "a relative address on a page that is not a local file"
        target = (page.parent / path.lstrip("/")) if not Path(path).is_absolute() else Path(path)
        try:
            if target.stat().st_size > self.max_bytes:
                return f"over {self.max_bytes // 1024:,} KiB"
            return target.read_bytes()
        except OSError as exc:
            return f"not found beside the page ({exc.strerror or exc})"

    def _cache(self) -> Path:
        from compliance.common.cachedir import cache_root

        return Path(self.cache_dir) if self.cache_dir else cache_root() / "images"

    def _fetched(self, url: str, same_host: bool = False) -> bytes | str:
        from compliance.web.fetch import Fetcher, FetchPolicy
        from compliance.web.politeness import PoliteFetcher

        folder = self._cache()
        name = hashlib.sha256(url.encode()).hexdigest()[:32]
        body, meta = folder / f"{name}.bin", folder / f"{name}.json"
        known: dict[str, Any] = {}
        if body.exists() and meta.exists():
            try:
                known = json.loads(meta.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                known = {}
            if time.time() - known.get("read", 0) < REVALIDATE_DAYS * 86400:
                return body.read_bytes()
        private = self.allow_private or same_host
        if self._fetchers.get(private) is None:
            policy = FetchPolicy(allow_private=private, max_bytes=self.max_bytes)
            fetcher = PoliteFetcher(Fetcher(policy), 2, self.delay, self.obey_robots)
            self._fetchers[private] = fetcher
        got = self._fetchers[private].fetch(url, etag=known.get("etag"), accept=_IMAGE_TYPES)
        if got.not_modified and body.exists():
            data = body.read_bytes()
        elif got.ok and got.body is not None:
            data = got.body
        else:
            return f"could not be fetched ({got.error or got.status})"
        folder.mkdir(parents=True, exist_ok=True)
        body.write_bytes(data)
        meta.write_text(json.dumps({"url": url, "etag": got.etag, "read": time.time()}))
        return data
