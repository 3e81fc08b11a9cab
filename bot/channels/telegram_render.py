"""Render the core's `Reply` objects as Telegram messages.

Texts are escaped for Telegram's HTML parse mode before the core's only markup, `**bold**`, becomes
`<b>…</b>`, so nothing a resident or an FAQ author typed can inject markup. Options become inline
keyboards (the option's value is the callback data, at most 64 bytes); a location request becomes a
reply keyboard with a "share location" button. Texts longer than Telegram's limits are split on
paragraph, line or word boundaries (the core's `split_text`).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)

from bot.channels.common import split_utf16, utf16_len
from handlers.messages import Option, Reply

MAX_TEXT = 4096  # Telegram counts UTF-16 code units after entity parsing
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64
INDEX_PREFIX = "#n:"  # callback data for an option whose value is too long: "#n:2" means "typed 2"
LOCATION_LABEL = "📍 Kirim lokasi"
SKIP_LABEL = "Lewati"

_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*", re.S)

Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove


@dataclass(frozen=True)
class Outgoing:
    """One Bot API call: sendMessage (text) or sendPhoto (photo with an optional caption)."""

    method: Literal["sendMessage", "sendPhoto"]
    text: str  # Telegram HTML
    markup: Markup | None = None
    photo: Path | None = None
    # The markup as the Bot API's JSON when render made it (an inline keyboard): sendMessage sends this,
    # PTB's generic conversion of the objects took ~20 µs a message. Equal to markup.to_dict().
    markup_json: dict[str, Any] | None = field(default=None, compare=False)


def to_html(text: str) -> str:
    """Escape text for Telegram HTML and turn the core's **bold** into <b>bold</b>."""
    return _BOLD.sub(r"<b>\1</b>", html.escape(text, quote=False))


def split_for_telegram(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Split core text into parts Telegram accepts (it counts UTF-16 units, so emoji count twice)."""
    return split_utf16(text, limit)


def callback_data(option: Option, index: int) -> str:
    """Return the option's value, or an index reference when the value does not fit 64 bytes."""
    if 0 < len(option.value.encode()) <= MAX_CALLBACK_DATA and not option.value.startswith(INDEX_PREFIX):
        return option.value
    return f"{INDEX_PREFIX}{index}"


def inline_keyboard(options: tuple[Option, ...]) -> InlineKeyboardMarkup | None:
    """Lay options out as inline buttons: short labels side by side, longer ones one per row."""
    rows = _inline_rows(options)
    if not rows:
        return None
    return InlineKeyboardMarkup([[InlineKeyboardButton(label, callback_data=data) for label, data in row]
                                 for row in rows])


def inline_keyboard_json(options: tuple[Option, ...]) -> dict[str, Any] | None:
    """Return `inline_keyboard(options)` as the Bot API's JSON (what its `to_dict()` gives)."""
    rows = _inline_rows(options)
    if not rows:
        return None
    return {"inline_keyboard": [[{"text": label, "callback_data": data} for label, data in row] for row in rows]}


def _inline_rows(options: tuple[Option, ...]) -> list[list[tuple[str, str]]]:
    """Return the rows of (label, callback data): short labels side by side, longer ones one per row."""
    if not options:
        return []
    buttons = [(o.label[:64], callback_data(o, i)) for i, o in enumerate(options, 1)]
    longest = max(len(o.label) for o in options)
    if longest <= 4 or (len(options) <= 3 and longest <= 14):
        return [buttons]
    return [[b] for b in buttons]


def location_keyboard(options: tuple[Option, ...]) -> ReplyKeyboardMarkup:
    """Ask for a location with Telegram's share button; the options (or "Lewati") as typed answers."""
    labels = [o.label for o in options] or [SKIP_LABEL]
    rows = [[KeyboardButton(LOCATION_LABEL, request_location=True)]]
    rows += [[KeyboardButton(label)] for label in labels]
    return ReplyKeyboardMarkup(rows, resize_keyboard=True, one_time_keyboard=True,
                               input_field_placeholder="Kirim lokasi atau tulis alamat")


def render(reply: Reply, media_dir: Path | None = None) -> list[Outgoing]:
    """Render one Reply as the Bot API calls that show it; the keyboard rides on the last one."""
    markup_json = None
    if reply.request == "location":
        markup: Markup | None = location_keyboard(reply.options)
    else:
        markup = inline_keyboard(reply.options)
        markup_json = inline_keyboard_json(reply.options)
    out: list[Outgoing] = []
    texts = split_for_telegram(reply.text) if reply.text.strip() else []
    photo = _media_file(reply.photo, media_dir)
    if photo is not None:
        caption = ""
        if texts and utf16_len(texts[0]) <= MAX_CAPTION and len(texts) == 1:
            caption = texts.pop(0)
        out.append(Outgoing("sendPhoto", to_html(caption), photo=photo))
    out.extend(Outgoing("sendMessage", to_html(t)) for t in texts)
    if not out:  # Telegram refuses empty messages; a keyboard still needs a message to ride on
        out.append(Outgoing("sendMessage", "…"))
    last = out[-1]
    out[-1] = Outgoing(last.method, last.text, markup, last.photo, markup_json)
    return out


def _media_file(path: str | None, media_dir: Path | None) -> Path | None:
    """Resolve a media-folder path, refusing anything that escapes the folder."""
    if not path or media_dir is None:
        return None
    base = media_dir.resolve()
    full = (base / path).resolve()
    if base not in full.parents or not full.is_file():
        return None
    return full


def with_keyboard_removed(outs: list[Outgoing]) -> tuple[list[Outgoing], bool]:
    """Clear a reply keyboard left from an earlier step (the location step's share button).

    The ReplyKeyboardRemove rides on the first message without a keyboard of its own; returns
    the messages and whether the removal is still to be placed (every message had a keyboard).
    """
    outs = list(outs)
    for i, out in enumerate(outs):
        if out.markup is None:
            outs[i] = Outgoing(out.method, out.text, ReplyKeyboardRemove(), out.photo)
            return outs, False
    return outs, True


def chosen_label(markup: InlineKeyboardMarkup | None, data: str) -> str | None:
    """Return the label of the inline button whose callback data is `data`."""
    for row in (markup.inline_keyboard if markup else ()):
        for button in row:
            if button.callback_data == data:
                return button.text
    return None
