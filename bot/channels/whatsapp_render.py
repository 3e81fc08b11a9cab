"""Render the core's `Reply` objects as WhatsApp Cloud API message bodies, within every limit.

- Text: the core's `**bold**` becomes WhatsApp's `*bold*`. WhatsApp has no escape character, so
  formatting a resident or an FAQ author typed by accident (`*kata*`, `_kata_`, `~kata~`,
  `` `kata` ``) is neutralised by swapping the opening marker of each pair that WhatsApp would
  format for a look-alike (∗ ˍ ∼ ˋ). Lone markers ("*123#" USSD codes, "5 * 3") and links stay
  exactly as written. Texts over 4,096 characters are split at paragraph, line or word breaks.
- Options: at most 3 → reply buttons (titles ≤ 20 characters, shortened at a word; ids = option
  values); at most 10 → a list message (row titles ≤ 24, the rest of a long label in the row's
  description ≤ 72); more → numbered lines (the core accepts "2" or the label typed).
- A location request → an interactive `location_request_message` (WhatsApp's "Send location"
  button); a photo request → the text with a hint to use the 📎 attachment button.

`render` validates every body it returns (`validate`), raising `RenderError` on a broken limit, so
a bug shows up in tests rather than as a 400 from Meta.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from bot.channels.common import split_utf16, utf16_len
from handlers.messages import Option, Reply, numbered

MAX_TEXT = 4096
MAX_INTERACTIVE_BODY = 1024  # reply buttons and location requests
MAX_LIST_BODY = 4096
MAX_BUTTONS = 3
MAX_BUTTON_TITLE = 20
MAX_BUTTON_ID = 256
MAX_ROWS = 10
MAX_ROW_TITLE = 24
MAX_ROW_DESCRIPTION = 72
MAX_ROW_ID = 200
MAX_LIST_BUTTON = 20
MAX_SECTION_TITLE = 24
LIST_BUTTON = "Lihat pilihan"
SECTION_TITLE = "Pilihan"
CHOOSE = "Silakan pilih:"
PHOTO_HINT = "📎 Tekan tombol lampiran, lalu pilih Kamera atau Galeri."

log = logging.getLogger(__name__)

_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*", re.S)
_URL = re.compile(r"(?:https?://|www\.)\S+", re.I)
_LOOKALIKE = {"*": "∗", "_": "ˍ", "~": "∼", "`": "ˋ"}


def _pair(marker: str) -> re.Pattern[str]:
    # A pair WhatsApp formats: the opener not inside a word and followed by a non-space, the closer
    # preceded by a non-space and not followed by a word character, on one line.
    m = re.escape(marker)
    return re.compile(rf"(?<!\w){m}(?=[^\s{m}])[^\n]*?(?<=[^\s{m}]){m}(?!\w)")


_PAIRS = [(marker, _pair(marker)) for marker in ("```", "*", "_", "~", "`")]


class RenderError(ValueError):
    """A message body breaks one of WhatsApp's limits."""


def neutralise(text: str) -> str:
    """Stop WhatsApp from formatting text that was not meant as formatting; links stay untouched."""
    out: list[str] = []
    last = 0
    for url in _URL.finditer(text):
        out.append(_neutralise_plain(text[last:url.start()]))
        out.append(url.group(0))
        last = url.end()
    out.append(_neutralise_plain(text[last:]))
    return "".join(out)


def _neutralise_plain(text: str) -> str:
    for marker, pattern in _PAIRS:
        for _ in range(8):  # a swapped opener can expose a new pair; settle in a few rounds
            changed = pattern.sub(lambda m, k=marker: _LOOKALIKE[k[0]] * len(k) + m.group(0)[len(k):], text)
            if changed == text:
                break
            text = changed
    return text


def to_whatsapp(text: str) -> str:
    """Convert core text to WhatsApp text: **bold** → *bold*, everything else shown as typed."""
    out: list[str] = []
    last = 0
    for bold in _BOLD.finditer(text):
        out.append(neutralise(text[last:bold.start()]))
        out.append(f"*{neutralise(bold.group(1))}*")
        last = bold.end()
    out.append(neutralise(text[last:]))
    return "".join(out)


def shorten(label: str, limit: int) -> str:
    """Shorten a label to `limit` characters at a word boundary, ending with "…"."""
    label = " ".join(label.split())
    if len(label) <= limit:
        return label
    cut = label[: limit - 1]
    if label[limit - 1] != " " and " " in cut[limit // 2:]:  # do not end inside a word
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,.;:-/") + "…"


def split_label(label: str) -> tuple[str, str | None]:
    """Split a long label into a row title (≤ 24) and a description holding the rest (≤ 72)."""
    label = " ".join(label.split())
    if len(label) <= MAX_ROW_TITLE:
        return label, None
    title = shorten(label, MAX_ROW_TITLE)
    rest = label[len(title) - 1:].lstrip(" ,.;:-/")
    return title, shorten(rest, MAX_ROW_DESCRIPTION) if rest else None


def text_body(text: str) -> dict[str, Any]:
    return {"type": "text", "text": {"body": text, "preview_url": False}}


def buttons_body(text: str, options: tuple[Option, ...]) -> dict[str, Any]:
    """Return reply buttons: titles shortened to 20 characters, numbered if shortening made twins."""
    titles = [shorten(o.label, MAX_BUTTON_TITLE) for o in options]
    if len(set(titles)) < len(titles):
        titles = [shorten(f"{i}. {o.label}", MAX_BUTTON_TITLE) for i, o in enumerate(options, 1)]
    buttons = [{"type": "reply", "reply": {"id": o.value, "title": t}} for o, t in zip(options, titles, strict=True)]
    return {"type": "interactive",
            "interactive": {"type": "button", "body": {"text": text or CHOOSE}, "action": {"buttons": buttons}}}


def list_body(text: str, options: tuple[Option, ...]) -> dict[str, Any]:
    """Return a list message: one section, a row per option."""
    rows = []
    for option in options:
        title, description = split_label(option.label)
        row = {"id": option.value, "title": title}
        if description:
            row["description"] = description
        rows.append(row)
    return {"type": "interactive",
            "interactive": {"type": "list", "body": {"text": text or CHOOSE},
                            "action": {"button": LIST_BUTTON, "sections": [{"title": SECTION_TITLE, "rows": rows}]}}}


def location_request_body(text: str) -> dict[str, Any]:
    return {"type": "interactive",
            "interactive": {"type": "location_request_message", "body": {"text": text},
                            "action": {"name": "send_location"}}}


def template_body(name: str, language: str, params: list[str]) -> dict[str, Any]:
    """Return a template message with text parameters for its body."""
    components = [{"type": "body", "parameters": [{"type": "text", "text": p} for p in params]}] if params else []
    return {"type": "template",
            "template": {"name": name, "language": {"code": language}, "components": components}}


def template_param(value: Any, limit: int = 300) -> str:
    """Make a template parameter: one line, no runs of spaces, never empty (Meta rejects those)."""
    text = " ".join(str(value or "").split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text or "-"


def _parts(text: str, last_limit: int) -> list[str]:
    """Split raw core text so every part fits a text message and the last one `last_limit`."""
    parts = split_utf16(text, MAX_TEXT) if text.strip() else []
    if parts and utf16_len(parts[-1]) > last_limit:
        # Keep the end that fits the last message with it; the rest goes before it as text.
        last = parts.pop()
        pieces = split_utf16(last, last_limit)
        at = last.rfind(pieces[-1])
        if at < 0:  # a bold run was closed and reopened: keep the pieces as they are
            return parts + pieces
        head = last[:at].rstrip()
        parts += [head, pieces[-1]] if head else [pieces[-1]]
    return parts


def render(reply: Reply) -> list[dict[str, Any]]:
    """Render one Reply as the message bodies that show it; options ride on the last one."""
    options = reply.options
    text = reply.text
    if reply.request == "photo":
        text = f"{text}\n\n{PHOTO_HINT}" if text.strip() else PHOTO_HINT
    if reply.request == "location":
        missing = [o.label for o in options if o.label.lower() not in text.lower()]
        if missing:  # the button cannot carry options; name those the text does not mention
            text = f"{text}\n\nAtau ketik: " + " / ".join(missing)
        parts = _parts(text, MAX_INTERACTIVE_BODY) or ["Kirim lokasi Anda."]
        bodies = [text_body(to_whatsapp(p)) for p in parts[:-1]] + [location_request_body(to_whatsapp(parts[-1]))]
    elif options and len(options) <= MAX_BUTTONS:
        parts = _parts(text, MAX_INTERACTIVE_BODY) or [""]
        bodies = [text_body(to_whatsapp(p)) for p in parts[:-1]] + [buttons_body(to_whatsapp(parts[-1]), options)]
    elif options and len(options) <= MAX_ROWS:
        parts = _parts(text, MAX_LIST_BODY) or [""]
        bodies = [text_body(to_whatsapp(p)) for p in parts[:-1]] + [list_body(to_whatsapp(parts[-1]), options)]
    else:
        full = f"{text}\n\n{numbered(options)}" if options else text
        bodies = [text_body(to_whatsapp(p)) for p in _parts(full, MAX_TEXT)]
    if not bodies:
        bodies = [text_body("…")]
    for body in bodies:
        validate(body)
    return bodies


def fallback(reply: Reply) -> list[dict[str, Any]]:
    """Render a Reply as plain text only (options numbered): used if a richer body was refused."""
    full = f"{reply.text}\n\n{numbered(reply.options)}" if reply.options else reply.text
    return [text_body(to_whatsapp(p)) for p in _parts(full, MAX_TEXT)] or [text_body("…")]


def render_safely(reply: Reply) -> list[dict[str, Any]]:
    """Render a Reply; should a limit still be broken (a bug), send it as plain text instead."""
    try:
        return render(reply)
    except RenderError:
        log.exception("reply could not be rendered within WhatsApp's limits; sending it as text")
        return fallback(reply)


def _check(ok: bool, what: str) -> None:
    if not ok:
        raise RenderError(what)


def _length(value: Any, limit: int, what: str, *, required: bool = True) -> None:
    if value is None and not required:
        return
    _check(isinstance(value, str) and (0 < len(value) or not required), f"{what} is missing or empty")
    _check(utf16_len(value) <= limit, f"{what} is longer than {limit} characters: {value[:40]!r}…")


def validate(body: dict[str, Any]) -> None:
    """Raise RenderError when a message body breaks a WhatsApp limit."""
    kind = body.get("type")
    if kind == "text":
        _length(body["text"].get("body"), MAX_TEXT, "text body")
    elif kind == "template":
        _length(body["template"].get("name"), 512, "template name")
        for component in body["template"].get("components", []):
            for param in component.get("parameters", []):
                _length(param.get("text"), 1024, "template parameter")
                _check(not re.search(r"[\n\t]| {5,}", param["text"]), "template parameter has a newline, tab "
                       "or more than 4 spaces in a row")
    elif kind == "interactive":
        _validate_interactive(body["interactive"])
    else:
        raise RenderError(f"unknown message type {kind!r}")


def _validate_interactive(inter: dict[str, Any]) -> None:
    kind = inter.get("type")
    body = (inter.get("body") or {}).get("text")
    action = inter.get("action") or {}
    if kind == "button":
        _length(body, MAX_INTERACTIVE_BODY, "button message body")
        buttons = action.get("buttons") or []
        _check(1 <= len(buttons) <= MAX_BUTTONS, f"{len(buttons)} buttons (1 to {MAX_BUTTONS} allowed)")
        ids = [b["reply"]["id"] for b in buttons]
        titles = [b["reply"]["title"] for b in buttons]
        _check(len(set(ids)) == len(ids), "button ids are not unique")
        _check(len(set(titles)) == len(titles), "button titles are not unique")
        for button_id, title in zip(ids, titles, strict=True):
            _length(button_id, MAX_BUTTON_ID, "button id")
            _length(title, MAX_BUTTON_TITLE, "button title")
    elif kind == "list":
        _length(body, MAX_LIST_BODY, "list message body")
        _length(action.get("button"), MAX_LIST_BUTTON, "list button text")
        sections = action.get("sections") or []
        rows = [row for section in sections for row in section.get("rows") or []]
        _check(1 <= len(sections) <= MAX_ROWS, f"{len(sections)} sections (1 to {MAX_ROWS} allowed)")
        _check(1 <= len(rows) <= MAX_ROWS, f"{len(rows)} rows (1 to {MAX_ROWS} allowed)")
        ids = [row.get("id") for row in rows]
        _check(len(set(ids)) == len(ids), "row ids are not unique")
        for section in sections:
            _length(section.get("title"), MAX_SECTION_TITLE, "section title", required=len(sections) > 1)
        for row in rows:
            _length(row.get("id"), MAX_ROW_ID, "row id")
            _length(row.get("title"), MAX_ROW_TITLE, "row title")
            _length(row.get("description"), MAX_ROW_DESCRIPTION, "row description", required=False)
    elif kind == "location_request_message":
        _length(body, MAX_INTERACTIVE_BODY, "location request body")
        _check(action.get("name") == "send_location", "location request action must be send_location")
    else:
        raise RenderError(f"unknown interactive type {kind!r}")
