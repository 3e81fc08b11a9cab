"""Ticket numbers residents quote: `CODE-XXXXXX`, random, easy to read aloud and type.

The alphabet leaves out I, L, O and U (mistaken for 1, 0 and V, and to avoid accidental
words); with 32 symbols, 6 characters give about a billion numbers per city.
"""

from __future__ import annotations

import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 6
TICKET_RE = re.compile(r"\b[A-Z]{2,5}-[0-9A-HJKMNP-TV-Z]{6}\b")
_CODE_RE = re.compile(r"^[A-Z]{2,5}$")
_LOOSE_RE = re.compile(r"\b([A-Za-z]{2,5})\s?-\s?([0-9A-Za-z]{6})\b")
_LOOKALIKE = str.maketrans("OIL", "011")


def new_ticket(code: str) -> str:
    """Return a fresh random ticket number for a city code such as "PDG"."""
    if not _CODE_RE.match(code):
        raise ValueError(f"city code must be 2-5 capital letters, got {code!r}")
    return f"{code}-{''.join(secrets.choice(ALPHABET) for _ in range(LENGTH))}"


def find_city_ticket(text: str, code: str) -> str | None:
    """Return the first ticket number with this city's code in a resident's text, however it is written:
    "PDG-AWDEKK?", "pdg awdekk", "PDGAWDEKK", with look-alikes forgiven (O→0, I/L→1)."""
    pattern = rf"(?<![A-Za-z0-9]){re.escape(code)}\s?-?\s?([0-9A-Za-z]{{{LENGTH}}})(?![A-Za-z0-9])"
    for m in re.finditer(pattern, text, re.I):
        ticket = f"{code.upper()}-{m.group(1).upper().translate(_LOOKALIKE)}"
        if TICKET_RE.fullmatch(ticket):
            return ticket
    return None


def find_ticket(text: str) -> str | None:
    """Return the first ticket number in a resident's text, forgiving case and look-alikes (O→0, I/L→1)."""
    for m in _LOOSE_RE.finditer(text):
        ticket = f"{m.group(1).upper()}-{m.group(2).upper().translate(_LOOKALIKE)}"
        if TICKET_RE.fullmatch(ticket):
            return ticket
    return None


def ticket_suffix(text: str) -> str | None:
    """Return the random part of a ticket number typed without (or with) its city code, for a search by
    staff ("6dd2k1", "PDG6DD2K1", "pdg-6dd2ki"), look-alikes forgiven; None when it cannot be one."""
    plain = re.sub(r"[^0-9A-Za-z]", "", text).upper()
    if len(plain) < LENGTH or (len(plain) > LENGTH and not plain[:-LENGTH].isalpha()):
        return None
    suffix = plain[-LENGTH:].translate(_LOOKALIKE)
    return suffix if all(c in ALPHABET for c in suffix) else None
