"""Replies about FAQ entries that several question handlers build: an entry's answer with its 👍/👎 buttons, and the
buttons that offer an entry (cut to fit Telegram's limits)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from handlers import texts
from handlers.context import Turn
from handlers.messages import Option, Reply
from knowledge.kb import Faq

MAX_VALUE_BYTES = 64  # Telegram's callback data limit
LABEL_CHARS = 60
# An answer saying "report it here" ("ketik /lapor", "melalui layanan pengaduan ini").
POINTS_TO_REPORTING = re.compile(r"/lapor\b|pengaduan ini\b", re.I)


def option_label(question: str) -> str:
    """Return an option label: the FAQ question, cut at a word to fit a button."""
    if len(question) <= LABEL_CHARS:
        return question
    return question[: LABEL_CHARS - 1].rsplit(" ", 1)[0].rstrip(" ,.;:") + "…"


def option_value(prefix: str, key: str, suffix: str = "") -> str:
    """Return a button's value ("faq:KEY"), or "faq:~" when the key does not fit (the state knows it)."""
    value = f"{prefix}:{key}{suffix}"
    return value if len(value.encode()) <= MAX_VALUE_BYTES else f"{prefix}:~{suffix}"


def faq_options(faqs: Iterable[Faq]) -> tuple[Option, ...]:
    """Return the buttons that offer entries ("did you mean"), each answering its entry when pressed."""
    return tuple(Option(option_label(f.question), option_value("faq", f.id)) for f in faqs)


def answer_reply(turn: Turn, faq: Faq) -> Reply:
    """Return an FAQ's answer with its source OPD and the 👍/👎 question; an answer that tells the
    resident to report through this service also offers the complaint flow as a button."""
    opd = turn.kb.opd(faq.opd)
    parts = [faq.answer.strip()]
    if opd:
        parts.append(texts.source_line(opd))
    parts.append(texts.HELPFUL)
    options = (Option(texts.HELPFUL_YES, option_value("fb", faq.id, ":up")),
               Option(texts.HELPFUL_NO, option_value("fb", faq.id, ":down")))
    if POINTS_TO_REPORTING.search(faq.answer):
        options += (Option(texts.REPORT.label, option_value("report", faq.id)),)
    return Reply("\n\n".join(parts), options=options, kind="answer")


def again(faq: Faq) -> Option:
    """The button that shows an entry's answer again."""
    return Option(texts.SEE_ANSWER_AGAIN, option_value("faq", faq.id))


def or_this(faq: Faq | None) -> Option | None:
    """The button offering another entry a follow-up may have meant ("Atau: …")."""
    return Option(option_label(f"Atau: {faq.question}"), option_value("faq", faq.id)) if faq is not None else None
