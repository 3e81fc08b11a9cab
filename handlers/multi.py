"""Several questions in one message: "gmn cara bikin ktp? trus syarat akta lahir apa? sama bayar pbb dmn?".

The matcher reads a message as one question (in a long one, the asking sentence weighs most), so
such a message got one answer and the other questions were silently dropped. `question_parts`
splits a message at its question marks (or, with fewer than two, at a "dan" before an asking word);
`answered_questions` returns the entries that answer them, when at least
two parts, each a question of its own (enough content words), are answered confidently by
different entries. Anything less is left to the usual single match.
"""

from __future__ import annotations

import re
from typing import Any

from knowledge.kb import Faq

MAX_ANSWERS = 3
MIN_WORDS = 3  # a part shorter than this ("lapor kemana?") leans on the rest of the message
# A part is answered on its own only when the matcher is this sure: a fragment has no context, and a
# chatty one ("udh makan blm?") can look like an entry ("bantuan makanan"). Over the 1,208 dev and devsituations
# questions (35 with two question marks, nearly all one matter asked twice) none splits at 0.75-0.85.
PART_SCORE = 0.8
_PARTS = re.compile(r"[^?]+\?")
# Words that join a question to the one before ("trus syarat akta apa?"): they are not part of it.
_JOINER = re.compile(r"^(?:(?:trus|terus|trs|lalu|sama|sm|dan|dn|juga|jg|kalau|kalo|klo|kl|then|and|also|"
                     r"plus|satu\s+lagi|1\s+lagi|oh\s+ya|oiya|oya|btw)\b[\s,]*)+", re.IGNORECASE)
# What announces the questions ("min mau tanya 2 hal: 1) …") and numbers them ("1)", "2.", "a)"): not part of one.
_PREAMBLE = re.compile(r"^[^?:]*\b(?:tanya|nanya|bertanya|menanyakan|ask)\b[^?:]*:\s*", re.IGNORECASE)
_NUMBER = re.compile(r"^(?:\d{1,2}|[a-e])[).]\s+", re.IGNORECASE)
# Without question marks, a second question joined by "dan" and opening with an asking word: "syarat KK baru
# dan cara daftar bpjs gratis".
_JOINED = re.compile(r"\s+(?:dan|dn|sama|sm|terus|trus|lalu|serta|and)\s+(?=(?:syarat\w*|cara\w*|biaya\w*|bagaimana|"
                     r"gimana|gmn|di\s*mana|dmn|ke\s*mana|kmn|kapan|berapa|brp|jam\s+buka|how|where|what)\b)",
                     re.IGNORECASE)


# Questions numbered in the line without question marks ("1) jadwal angkut sampah kapan 2) cara daftar SD"):
# the numbers must run 1, 2, 3 … for the message to be cut at them.
_INLINE_NUMBER = re.compile(r"(?:^|\s)([1-9])[).]\s+")


def numbered(text: str) -> list[str]:
    """Return the parts of a message numbered 1, 2 … in the line, or [] when it is not numbered so."""
    numbers = [int(n) for n in _INLINE_NUMBER.findall(text)]
    if len(numbers) < 2 or numbers != list(range(1, len(numbers) + 1)):
        return []
    return [p for p in _INLINE_NUMBER.split(text)[::2] if p.strip()]


def question_parts(text: str) -> list[str]:
    """Return the separate questions of a message (each ending in "?", numbered 1, 2 … in the line, or joined
    by "dan" before an asking word), each long enough to stand alone."""
    text = _PREAMBLE.sub("", text.strip())
    pieces = _PARTS.findall(text) if text.count("?") >= 2 else numbered(text) or _JOINED.split(text)
    parts = [_JOINER.sub("", _NUMBER.sub("", p.strip(" ?\n\t.,"))) for p in pieces]
    parts = [p for p in parts if len(p.split()) >= MIN_WORDS]
    return parts if len(parts) >= 2 else []


def answered_questions(parts: list[str], matcher: Any, *, at_least: int = 2) -> list[Faq]:
    """Return the entries answering a message's separate questions (`question_parts`), `at_least` of them
    (one for questions the resident numbered: they asked several, each gets its own answer or is said to
    be unanswered), else []."""
    found: list[Faq] = []
    for part in parts:
        match = matcher.match(part)
        if match.decision == "answer" and match.faq is not None and match.faq not in found \
                and match.score >= PART_SCORE:
            found.append(match.faq)
    return found[:MAX_ANSWERS] if len(found) >= at_least else []
