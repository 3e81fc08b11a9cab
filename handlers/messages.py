"""The one language of the conversation core: what channels send in and what they render.

Channels convert whatever arrives (a Telegram update, a WhatsApp notification, a web-chat POST,
a terminal line) into a frozen `InboundMessage` and render the `Reply` objects the core returns.
Nothing here knows about any channel library.

Reply texts use a tiny, channel-neutral markup: `**bold**` and plain lines. Channels escape
everything else for their own format (Telegram HTML, WhatsApp, HTML for the web chat).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal

from rapidfuzz.distance import Levenshtein

COMMANDS = ("start", "bantuan", "lapor", "status", "batal")
# Slash commands in English, or the menu, read as ours; any other slash word is UNKNOWN_COMMAND.
_SLASH_ALIASES = {"help": "bantuan", "cancel": "batal", "menu": "start", "mulai": "start", "report": "lapor"}
UNKNOWN_COMMAND = "unknown"
_YES_WORDS = frozenset({"ya", "y", "iya", "iy", "iyaa", "yes", "ok", "oke", "okay", "benar", "betul", "bener", "yup",
                        "yep", "iyo", "yo", "sip", "boleh", "setuju", "lanjut"})
_NO_WORDS = frozenset({"tidak", "tdk", "gak", "ga", "nggak", "ngga", "enggak", "engga", "no", "ndak", "indak", "jangan",
                       "gak jadi", "ga jadi", "tidak jadi", "nope"})
# The command word may be followed by punctuation: "lapor, ada anjing liar di komplek", "lapor: parkir liar …".
_COMMAND_RE = re.compile(r"^/?([A-Za-z]+)(?:@\w+)?(?:[\s,:;.!-]+(.*))?$", re.S)


@dataclass(frozen=True)
class Location:
    latitude: float
    longitude: float
    address: str | None = None


@dataclass(frozen=True)
class Photo:
    """A photo the channel has already stored in the media folder."""

    path: str  # relative to the media folder
    mime: str = "image/jpeg"
    caption: str | None = None


@dataclass(eq=False)
class Claim:
    """A message's exactly-once record, to be written in the same commit as the turn that handles it.

    A channel that cannot ask the sender to deliver again after a crash (WhatsApp, polling) records a
    message before handling it (knowledge.records.inbound). A webhook that answers only once the turn
    is committed can instead hand the core a Claim: the turn's commit inserts the record with the
    turn's own writes and sets `new` (True: first time; False: seen before, so the turn is discarded
    and nothing of it is written or sent). `new` stays None when no commit took the claim (a rate-
    limited or failed turn): the channel records the message itself.

    The turn also stores its replies in the record (`payload`: the resident's id and the replies as
    outbox payloads), which stays "answered" until the channel has sent them and marks it done: if
    the process dies in between, the replies are sent from the record (knowledge.records.inbound).
    """

    channel: str
    message_id: str
    new: bool | None = None
    payload: dict[str, Any] | None = None


@dataclass(frozen=True)
class InboundMessage:
    channel: str  # "telegram" | "whatsapp" | "web" | "console" | "test"
    user_id: str  # the resident's id within that channel
    text: str = ""
    option: str | None = None  # value of an option the resident chose (button press)
    location: Location | None = None
    photo: Photo | None = None
    phone: str | None = None  # a shared contact's phone number
    display_name: str | None = None
    message_id: str | None = None  # the channel's id for deduplication
    # e.g. "voice", "sticker": something the bot cannot read; "photo": a photo the channel could not
    # receive (download failed, not a JPEG/PNG, too large), its caption (if any) in `text`
    unsupported: str | None = None
    claim: Claim | None = field(default=None, compare=False)  # see Claim

    @property
    def command(self) -> tuple[str, str] | None:
        """Return (command, argument) when the text is a command, with or without '/'.

        "/status PDG-ABC123" and "status PDG-ABC123" both give ("status", "PDG-ABC123").
        Words without '/' count only when they are the whole first word and a known command.
        """
        text = self.text.strip()
        m = _COMMAND_RE.match(text)
        if not m:
            return None
        name = m.group(1).lower()
        if name not in COMMANDS:
            if not text.startswith("/"):
                return None
            name = _SLASH_ALIASES.get(name) or nearest_command(name) or UNKNOWN_COMMAND
            if name == UNKNOWN_COMMAND:  # "/xyz" alone: said so, with the commands there are; with words
                return (name, m.group(1)) if not m.group(2) else None  # after it, the words are read
        return name, (m.group(2) or "").strip()


def nearest_command(name: str) -> str | None:
    """Return the one command a mistyped slash command stands for ("lapr", "stats", "bantu", "laporan"), else
    None: a command it starts or that starts it (three letters at least), else one a letter away (two for
    longer commands)."""
    if len(name) < 3:
        return None
    for close in ({c for c in COMMANDS if c.startswith(name) or name.startswith(c)},  # "stat", "laporan"
                  {c for c in COMMANDS if Levenshtein.distance(name, c, score_cutoff=2) <= (1 if len(c) <= 5 else 2)}):
        if close:
            return close.pop() if len(close) == 1 else None
    return None


@dataclass(frozen=True)
class Option:
    label: str
    value: str  # short, stable; at most 64 bytes so it fits Telegram callback data


@dataclass(frozen=True)
class Reply:
    text: str
    options: tuple[Option, ...] = ()
    request: Literal["location", "photo"] | None = None  # ask the channel for a location or photo
    photo: str | None = None  # media-folder path of a photo to send
    kind: str = field(default="text", compare=False)  # e.g. "answer", "feedback": for channels' layout choices


def numbered(options: tuple[Option, ...] | list[Option]) -> str:
    """Render options as numbered lines for channels without buttons."""
    return "\n".join(f"{i}. {o.label}" for i, o in enumerate(options, 1))


# An option's number said in words: "no 1", "nomor 2", "pilihan 3", "yg pertama", "yang ke-2", "kedua".
_NUMBERED = re.compile(r"^(?:(?:no|nomor|nmr|nomer|pilihan|pilih|opsi|option|yg|yang|ke|#)\b[\s.:#-]*)*"
                       r"(?:ke[\s-]*)?(\d{1,2}|\w+)$")
_ORDINALS = {"pertama": 1, "kesatu": 1, "satu": 1, "kedua": 2, "dua": 2, "ketiga": 3, "tiga": 3, "keempat": 4,
             "empat": 4, "kelima": 5, "lima": 5, "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5}


def _option_number(text: str) -> int | None:
    """Return the number a typed answer gives an option by ("2", "no 2", "yg kedua"), else None."""
    if text.isdigit():
        return int(text)
    m = _NUMBERED.match(text)
    if not m or m.group(0) == m.group(1) and not m.group(1) in _ORDINALS:
        return None
    said = m.group(1)
    return int(said) if said.isdigit() else _ORDINALS.get(said)


def pick_option(text: str, options: tuple[Option, ...] | list[Option]) -> Option | None:
    """Return the option a typed answer selects: its number (also in words: "no 2", "yg kedua"), its
    label or its value."""
    t = " ".join(text.strip().lower().split()).rstrip(".…")
    if not t:
        return None
    number = _option_number(t)
    if number is not None:
        return options[number - 1] if 1 <= number <= len(options) else None
    labelled = pick_label(text, options)
    if labelled is not None:
        return labelled
    # A yes/no question's buttons read "Ya, …" and "Tidak, …": a plain "iya" or "gak" answers it.
    head = "ya," if t in _YES_WORDS else "tidak," if t in _NO_WORDS else None
    if head is not None:
        hits = [o for o in options if o.label.lower().startswith(head)]
        if len(hits) == 1:
            return hits[0]
    # ... and "iya batalkan" answers "Ya, batalkan": the label's words after its yes or no, typed after one's own
    first, _, rest = t.replace(",", " ").partition(" ")
    head = "ya," if first in _YES_WORDS else "tidak," if first in _NO_WORDS else None
    if head is not None and rest.strip():
        hits = [o for o in options if o.label.lower().startswith(head)
                and " ".join(o.label.lower()[len(head):].split()) == " ".join(rest.split())]
        if len(hits) == 1:
            return hits[0]
    return None


def pick_label(text: str, options: tuple[Option, ...] | list[Option]) -> Option | None:
    """Return the option whose label (or value) a typed answer repeats, else None."""
    t = " ".join(text.strip().lower().split()).rstrip(".…")
    if not t:
        return None
    for o in options:  # a label cut to fit a button ends in "..." or "…", which the typed text lost above
        if t in (o.label.lower().rstrip(".…"), o.value.lower()):
            return o
    # Labels may start with an emoji ("👍 Ya"); accept the words without it.
    for o in options:
        words = re.sub(r"[^\w\s-]", "", o.label.lower()).strip()
        if words and t == words:
            return o
    return None


def reply_to_payload(reply: Reply) -> dict[str, Any]:
    """Return a Reply as the JSON payload stored in the outbox."""
    return {
        "text": reply.text,
        "options": [{"label": o.label, "value": o.value} for o in reply.options],
        "photo": reply.photo,
        "request": reply.request,
        "kind": reply.kind,
    }


def reply_from_payload(payload: dict[str, Any]) -> Reply:
    """Return the Reply stored in an outbox payload (extra keys such as "template" are ignored)."""
    options = tuple(Option(label=str(o["label"]), value=str(o["value"])) for o in payload.get("options") or ())
    return Reply(text=payload.get("text") or "", options=options, request=payload.get("request"),
                 photo=payload.get("photo"), kind=payload.get("kind") or "text")
