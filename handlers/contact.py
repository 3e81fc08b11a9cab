"""Asking how to reach an OPD: "Berapa nomor telepon Dinas Sosial?", "alamat kantor dukcapil dimana".

Few knowledge bases have an FAQ entry for that, and without one the matcher offers whatever shares
the words "nomor telepon" (the fire brigade's emergency number). But every OPD file may carry the
OPD's contact, so a question that names an OPD and asks for a way to reach it is answered with that
contact; when the OPD has published nothing but a website, the reply says so, and the question is
listed for the OPD among the unanswered ones (so they can add their number).
"""

from __future__ import annotations

import re
from typing import Any

from handlers import texts
from handlers.asks import says_call_me
from handlers.context import Turn
from handlers.messages import Option, Reply
from knowledge.kb import KnowledgeBase, Opd
from knowledge.privacy import has_personal_data

_ASKS_CONTACT = re.compile(
    r"\b(?:telp|telepon|telpon|tlp|kontak|whatsapp|alamat|email|e-mail|website|situs|jam\s+buka|jam\s+layanan|"
    r"jam\s+kerja|jam\s+operasional|buka\s+jam|hubungi|menghubungi|call\s+center|contact|phone|address|reach|"
    r"no\s+(?:hp|wa|telp|telepon|tlp|kontak|pengaduan|call\s+center)|nomor|nomer|nmr|"
    r"(?:kantor|kantua)\w*(?:\s+\w+){0,3}\s+(?:di\s*mana|dimana|dmn|mana|where|dima)|"
    r"(?:di\s*mana|dimana|dmn|di\s*ma|dima|where\s+is)\s+(?:kantor|kantua)|"
    r"phone\s+number|office)(?:nya|nyo)?\b", re.I)  # "alamatnya", "nomornyo"
# Numbers that are not a way to reach an office ("nomor antrian dukcapil berapa").
_OTHER_NUMBERS = re.compile(r"\b(?:antrian|antri|registrasi|induk|nik|ktp|kk|rekening|seri|tiket|laporan|izin|"
                            r"npwp|kendaraan|plat|pelat|rumah|pelanggan|tagihan|meteran|sambungan|pendaftaran|queue)\b", re.I)
_MAX_WORDS = 12  # a longer message tells a story that mentions an office, it does not ask for its number


def office_names(opd: Opd) -> set[str]:
    """Return how residents name an OPD: its name, short name, slug, and the short name without the
    "dis"/"din" of "Dinas" ("Disdukcapil" → "dukcapil", "Dinsos" → "sos" is too short to keep)."""
    names = {opd.name.lower(), opd.slug.replace("-", " ")}
    head = opd.name.lower().split(" dan ")[0].split(",")[0]  # "Dinas Pendidikan dan Kebudayaan" → "dinas pendidikan"
    if len(head.split()) >= 2:
        names.add(head)
    short = (opd.short_name or "").lower()
    if short:
        names.add(short)
        for prefix in ("dis", "din"):
            if short.startswith(prefix) and len(short) - len(prefix) >= 5:
                names.add(short[len(prefix):])
    return {n for n in names if len(n) >= 3}


def asked_contact(text: str, kb: KnowledgeBase) -> Opd | None:
    """Return the OPD whose contact a short question asks for, else None."""
    if has_personal_data(text):  # they gave their own number: they ask to be called back
        return None
    said = " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())
    if (not said or len(said.split()) > _MAX_WORDS or not _ASKS_CONTACT.search(said) or _OTHER_NUMBERS.search(said)
            or says_call_me(said)):  # "tlg hubungi saya": to be called back, not the office's number
        return None
    return named_opd(said, kb)


def about_reaching(faq_question: str, alternatives: tuple[str, ...] = ()) -> bool:
    """Tell whether an FAQ entry is itself about reaching an office (its question asks for an address, a number or
    opening hours: "Nomor berapa yang dihubungi …", "Di mana kantor …")."""
    return any(_ASKS_CONTACT.search(" ".join(re.sub(r"[^\w\s]", " ", q.lower()).split()))
               for q in (faq_question, *alternatives))


def named_opd(text: str, kb: KnowledgeBase) -> Opd | None:
    """Return the one OPD a text names ("Dinas Sosial", "dukcapil", "BPBD", "disnaker" for Disnakerin), else None."""
    padded = " " + " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split()) + " "
    named = [opd for opd in kb.opds if any(f" {name} " in padded for name in office_names(opd))]
    if not named:  # a short name cut by a letter or two, as residents say it ("disnaker")
        said = set(padded.split())
        named = [opd for opd in kb.opds if _cut_short_name(opd, said)]
    return named[0] if len(named) == 1 else None


_CUT_LETTERS = 2  # "disnaker" for "Disnakerin"
_CUT_MIN = 6  # shorter words are too often something else


def _cut_short_name(opd: Opd, said: set[str]) -> bool:
    """Tell whether a word said is the OPD's short name without its last letter or two."""
    short = (opd.short_name or "").lower()
    return any(len(w) >= _CUT_MIN and short != w and short.startswith(w) and len(short) - len(w) <= _CUT_LETTERS
               for w in said)


def contact_reply(turn: Turn, opd: Opd, options: tuple[Option, ...], **event: Any) -> list[Reply]:
    """Answer with an OPD's contact from its file; a missing one is said honestly and listed for the OPD among
    the unanswered questions (so they can add it)."""
    reachable = opd.contact.reachable
    turn.record("question", "contact", opd=opd.slug, answered=reachable, **event)
    if not reachable:
        turn.record("unanswered", "contact", opd=opd.slug, text=turn.text)
    return [Reply(texts.opd_contact(opd), options=options)]
