"""Mask personal data (NIK, phone numbers, e-mail addresses) before it reaches logs or analytics.

Residents type their NIK and phone number into chats; the bot needs neither in its logs.
`mask` replaces them with a short hint that keeps texts readable ("hp 08••••••90"). The hint is written with bullets,
not asterisks: the replies' only markup is `**bold**`, and "NIK **** hp 08******90" came out garbled in bold.
Ticket numbers, postal codes, RT/RW numbers, amounts and dates are left alone.
"""

from __future__ import annotations

import logging
import re

HIDDEN = "•"  # stands for each hidden character of a hint
# NIK: 16 digits, written solid or in groups (4-4-4-4 or 6-6-4) separated by a space, dot or dash.
# A letter may touch it ("NIK1371…"); another digit may not (a longer number is something else).
_NIK_RE = re.compile(r"(?<![\d+])(?:\d{16}|\d{4}(?P<sep4>[ .-])\d{4}(?P=sep4)\d{4}(?P=sep4)\d{4}"
                     r"|\d{6}(?P<sep6>[ .-])\d{6}(?P=sep6)\d{4})(?!\d)")
# The same with the label residents put before it ("NIK: 1371…", "no KK 1371…"), kept once: "KK ••••".
_NIK_LABELLED_RE = re.compile(r"(?:\b(?P<label>NIK|KK|KTP)[\s:.=-]*)?" + _NIK_RE.pattern, re.IGNORECASE)
# Mobile: 08…, +62 8…, 62 8…, 10–13 digits in all, with optional single separators and (…).
_MOBILE_RE = re.compile(r"(?<![\w+])(?:\+62[ .-]?|62[ .-]?|\(?0)8\)?(?:[ .-]?\d){7,11}(?!\w)")
# Landline with an area code: 0751-123456, (0751) 7051234, +62 751 123456.
_LANDLINE_RE = re.compile(r"(?<![\w+])(?:\+62[ .-]?\(?|\(?0)[2-79]\d{1,2}\)?[ .-]?\d{3,4}[ .-]?\d{2,4}(?!\w)")
_MASKABLE = re.compile(r"[\d@]")  # every pattern below needs a digit or an @
_EMAIL_RE = re.compile(r"(?<![\w.+-])([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)")


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _phone_hint(match: re.Match[str]) -> str:
    digits = _digits(match.group(0))
    local = "0" + digits[2:] if digits.startswith("62") else digits
    if not 9 <= len(local) <= 13:
        return match.group(0)
    return f"{local[:2]}{HIDDEN * 6}{local[-2:]}"


# A label a few words before the number ("NIK sy 1371…"): the hint does not repeat it ("NIK sy ••••").
_LABEL_BEFORE = re.compile(r"\b(?:NIK|KK|KTP)\b[^\d\n]{0,15}$", re.IGNORECASE)


def _nik_hint(match: re.Match[str]) -> str:
    if match["label"]:
        return f"{match['label'].upper()} {HIDDEN * 4}"
    return HIDDEN * 4 if _LABEL_BEFORE.search(match.string, 0, match.start()) else f"NIK {HIDDEN * 4}"


def mask(text: str) -> str:
    """Return the text with NIKs, Indonesian phone numbers and e-mail addresses masked."""
    if not text or not _MASKABLE.search(text):
        return text
    text = _EMAIL_RE.sub(lambda m: f"{m.group(1)}{HIDDEN * 3}@{m.group(2)}", text)
    text = _NIK_LABELLED_RE.sub(_nik_hint, text)
    text = _MOBILE_RE.sub(_phone_hint, text)
    return _LANDLINE_RE.sub(_phone_hint, text)


# The words residents put before their NIK or number ("NIK saya", "no. hp:", "hubungi saya di"), up to it.
_LABELLED = re.compile(r"(?:\b(?:nik|no|nomor|nmr|nomer|hp|handphone|wa|whatsapp|telp|telpon|telepon|tlp|tel|kontak|"
                       r"email|e-mail|surel|saya|sy|aku|ku|ambo|di|ke|ya|yg|yang|adalah|ini)\b[\s:.,=-]*)*\x00",
                       re.IGNORECASE)


def has_personal_data(text: str) -> bool:
    """Tell whether a text holds a NIK, a phone number or an e-mail address."""
    return bool(text) and bool(_MASKABLE.search(text)) and any(
        p.search(text) for p in (_EMAIL_RE, _NIK_RE, _MOBILE_RE, _LANDLINE_RE))


def without_personal_data(text: str) -> str:
    """Return the text without NIKs, phone numbers and e-mail addresses, and the words that label them.

    What a complaint is about, for routing it: "jalan berlubang, NIK saya 1371… hp 0812…" is the
    road's matter, not Dukcapil's, though "NIK" is a Dukcapil word.
    """
    if not text or not _MASKABLE.search(text):
        return text
    for pattern in (_EMAIL_RE, _NIK_RE, _MOBILE_RE, _LANDLINE_RE):
        text = pattern.sub(" \x00 ", text)
    return re.sub(r"\s{2,}", " ", _LABELLED.sub(" ", text).replace("\x00", " ")).strip()


class MaskingFilter(logging.Filter):
    """A logging filter that masks personal data in every record's message and arguments.

    Attach it to handlers: a logger's own filters never see records propagated from child loggers.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken record is logging's problem, not ours
            return True
        masked = mask(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True
