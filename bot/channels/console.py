"""`tanyakota chat`: the same conversation in a terminal, on the configured database.

Reads stdin line by line (typed or piped), prints the bot's replies with options numbered,
and before each prompt prints status messages queued for the terminal resident (e.g. after an
admin changed the status of a complaint filed here). Lines of the form `lokasi: -0.95, 100.35`
share a location and `foto: PATH` attaches a JPEG/PNG file, so the whole /lapor flow works here.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import re
import sys
from pathlib import Path
from typing import TextIO

from bot.channels.common import sniff_image, store_photo
from bot.core import build_core, start_core, stop_core
from bot.delivery import take_messages
from bot.settings import Settings
from handlers.messages import InboundMessage, Location, Photo, Reply, numbered
from handlers.messages import reply_from_payload

log = logging.getLogger(__name__)

CHANNEL = "console"
USER = "terminal"
MAX_PHOTO = 5 * 1024 * 1024
_LOCATION = re.compile(r"^lokasi:\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$", re.I)
_PHOTO = re.compile(r"^foto:\s*(.+)$", re.I)


def render(reply: Reply, *, tty: bool) -> str:
    """Return a reply as terminal text: bold in ANSI on a terminal, options as numbered lines."""
    text = reply.text
    text = re.sub(r"\*\*(.+?)\*\*", "\033[1m\\1\033[0m" if tty else "\\1", text, flags=re.S)
    if reply.options:
        text += "\n" + numbered(reply.options)
    if reply.request == "location":
        text += "\n(ketik  lokasi: LINTANG, BUJUR  atau alamatnya)"
    elif reply.request == "photo":
        text += "\n(ketik  foto: /path/ke/foto.jpg  atau  lewati)"
    return text


async def _message(line: str, media_dir: Path) -> InboundMessage | str:
    """Return the InboundMessage for a typed line, or a local error to print."""
    if m := _LOCATION.match(line):
        return InboundMessage(channel=CHANNEL, user_id=USER, location=Location(float(m[1]), float(m[2])))
    if m := _PHOTO.match(line):
        try:
            data = Path(m[1].strip()).expanduser().read_bytes()
        except OSError as exc:
            return f"Foto tidak dapat dibaca: {exc}"
        kind = sniff_image(data)
        if kind is None or len(data) > MAX_PHOTO:
            return "Hanya foto JPEG atau PNG (maksimal 5 MB) yang dapat dikirim."
        relative = await store_photo(media_dir, CHANNEL, data, kind[0])
        return InboundMessage(channel=CHANNEL, user_id=USER, photo=Photo(relative, kind[1]))
    return InboundMessage(channel=CHANNEL, user_id=USER, text=line)


async def chat(settings: Settings, stdin: TextIO, stdout: TextIO) -> int:
    """Talk to the bot until end of input (Ctrl-D) or "keluar"."""
    # One person at a keyboard (or a piped script) is not a flood.
    core = build_core(dataclasses.replace(settings, rate_limit_per_minute=100_000))
    await start_core(core, out=stdout)
    tty = stdout.isatty() and stdin.isatty()
    loop = asyncio.get_running_loop()

    def show(text: str) -> None:
        print(text, file=stdout, flush=True)

    try:
        if tty:
            show("Tanya Kota — ketik pesan Anda (keluar: Ctrl-D atau 'keluar').\n")
        for reply in await core.dispatcher.handle(InboundMessage(channel=CHANNEL, user_id=USER, text="/start")):
            show("Bot: " + render(reply, tty=tty) + "\n")
        while True:
            for payload in await take_messages(core.db, CHANNEL, USER):
                show("Bot (pemberitahuan): " + render(reply_from_payload(payload), tty=tty) + "\n")
            if tty:
                print("Anda: ", end="", file=stdout, flush=True)
            line = await loop.run_in_executor(None, stdin.readline)
            if not line:
                break
            line = line.rstrip("\n")
            if line.strip().lower() in ("keluar", "exit", "quit"):
                break
            if not line.strip():
                continue
            msg = await _message(line.strip(), settings.media_dir)
            if isinstance(msg, str):
                show(msg)
                continue
            for reply in await core.dispatcher.handle(msg):
                show("Bot: " + render(reply, tty=tty) + "\n")
    finally:
        await stop_core(core)
    return 0


def run(settings: Settings) -> int:
    """Run the terminal chat on the process's stdin/stdout."""
    return asyncio.run(chat(settings, sys.stdin, sys.stdout))
