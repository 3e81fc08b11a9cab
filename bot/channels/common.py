"""Helpers shared by the messaging channels (Telegram, WhatsApp): text limits and stored photos.

- `utf16_len` / `split_utf16`: Telegram and WhatsApp cap a message at 4,096 characters; counting
  UTF-16 code units (an emoji counts twice) keeps us under the limit whichever way they count.
- `sniff_image` / `store_photo`: a resident's photo is accepted only when its bytes are a JPEG or
  PNG, and is kept in the media folder under a random name, so the OPD can see it later without
  depending on the messaging service.
"""

from __future__ import annotations

import asyncio
import secrets
from pathlib import Path

from handlers.textsplit import split_text

IMAGE_TYPES = ((b"\xff\xd8\xff", ".jpg", "image/jpeg"), (b"\x89PNG\r\n\x1a\n", ".png", "image/png"))


def utf16_len(text: str) -> int:
    """Return the length in UTF-16 code units (what Telegram counts)."""
    return len(text.encode("utf-16-le")) // 2


def split_utf16(text: str, limit: int) -> list[str]:
    """Split core text into parts of at most `limit` UTF-16 units, at natural boundaries."""
    parts = split_text(text, limit)
    if all(utf16_len(p) <= limit for p in parts):
        return parts
    return [q for p in parts for q in (split_text(p, limit // 2) if utf16_len(p) > limit else [p])]


def sniff_image(data: bytes) -> tuple[str, str] | None:
    """Return (suffix, mime type) when the bytes are a JPEG or PNG image, else None."""
    for magic, suffix, mime in IMAGE_TYPES:
        if data.startswith(magic):
            return suffix, mime
    return None


def write_file(path: Path, data: bytes) -> None:
    """Write bytes, creating the folder first (run in a thread)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


async def store_photo(media_dir: Path, subdir: str, data: bytes, suffix: str) -> str:
    """Keep a photo under a random name in the media folder; return its media-folder path."""
    relative = f"{subdir}/{secrets.token_hex(16)}{suffix}"
    await asyncio.to_thread(write_file, media_dir / relative, data)
    return relative
