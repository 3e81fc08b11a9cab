"""A short question right after an answer is usually about that answer: "biayanya berapa?", "is it free?",
"brp lama pemasangannya" (after the PDAM connection answer).

Read alone, such a question is matched on its few words and may land on any entry that shares them: "brp
lama pemasangannya" got the billboard tax ("pemasangan reklame"), "how long until it's fixed?" the time a
KTP-el takes to print. So a short question whose topic words all appear in the entry just answered (or which
names no topic) is answered from that entry: the lines of its answer that speak of what is asked (cost,
time, place, online, documents, or the question's own words), or, when none do, that the answer holds no
more and who does. An entry the question matched alone stays on offer ("Atau maksud Anda: …").
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from handlers import texts
from handlers.context import Turn
from handlers.messages import Option, Reply
from knowledge.kb import Faq
from knowledge.matcher import GENERIC_WORDS

FOLLOW_UP_WORDS = 4  # content words a follow-up may have; a longer question says what it is about
MAX_LINES = 4  # lines of the answer quoted
# Words that ask or qualify, not name a topic ("bayar ga?" is "bayar tidak", "sampai kapan").
NOT_TOPIC = frozenset({"tidak", "belum", "bukan", "sudah", "masih", "ada", "lagi", "juga", "saja", "sampai", "dulu",
                       "langsung", "sendiri", "benar", "betul"})
# What a follow-up asks about, and the words an answer line uses for it (normalised and stemmed forms).
ASPECTS: tuple[frozenset[str], ...] = (
    frozenset({"biaya", "bayar", "gratis", "tarif", "harga", "retribusi", "rp", "pungut", "cicil", "murah", "mahal",
               "uang", "ongkos", "free", "cost"}),
    frozenset({"lama", "hari", "waktu", "minggu", "bulan", "menit", "selesai", "cepat", "proses"}),
    frozenset({"jam", "buka", "tutup", "senin", "selasa", "rabu", "kamis", "jumat", "sabtu", "pagi", "sore", "jadwal",
               "libur"}),
    frozenset({"mana", "lokasi", "alamat", "kantor", "tempat", "mpp", "loket"}),
    frozenset({"online", "daring", "aplikasi", "situs", "website", "laman", "link", "http", "https"}),
    frozenset({"syarat", "bawa", "dokumen", "berkas", "fotokopi", "asli"}),
)
_LINE = re.compile(r"\n+")


def about_previous(turn: Turn, faq: Faq, alone: Faq | None = None) -> bool:
    """Tell whether a short question's topic words all appear in the entry just answered (none: a question
    about it, such as "is it free?"), unless the entry it matches `alone` is worded with them and that one
    is not: "kalau ktp rusak gimana" after the lost-KTP answer is the damaged-KTP entry's question."""
    index = turn.matcher.index
    terms = [t for t in index.query(turn.text) if not index.light(t.token)]
    if len(terms) > FOLLOW_UP_WORDS:
        return False
    regions = turn.matcher.normalizer.regions
    # Words no entry knows (a typo, a regional word) cannot point elsewhere; nor do negations and particles.
    topic = {t.token for t in terms if t.match is not None and t.token not in GENERIC_WORDS
             and t.token not in NOT_TOPIC and t.token not in regions and not any(t.token in a for a in ASPECTS)}
    if not topic <= _tokens(turn, (*_phrasing(faq), faq.answer)):
        return False
    return not (topic and alone is not None and topic <= _tokens(turn, _phrasing(alone))
                and not topic <= _tokens(turn, _phrasing(faq)))


def _phrasing(faq: Faq) -> tuple[str, ...]:
    return (faq.question, *faq.alternatives, *faq.keywords)


def from_previous(turn: Turn, faq: Faq, again: Option, other: Option | None) -> list[Reply]:
    """Answer a follow-up from the entry just answered (`again`: the button that shows its answer again;
    `other`: an entry the question matched alone, offered too)."""
    lines = quoted_lines(turn, faq)
    last = turn.state.setdefault("last_question", {})
    last["suggested"] = [faq.id]  # "faq:~" (a key too long for a button) finds it
    last["own_words"] = False  # "Lihat jawabannya lagi" is no new phrasing of the entry (admin/unanswered.py)
    options = [again] + ([other] if other is not None else [])
    if lines:
        turn.record("question", "follow_up", faq_key=faq.id, opd=faq.opd, answered=True, text=turn.text)
        return [Reply(texts.from_previous_answer(faq.question, lines), options=tuple(options) + (texts.ASK_AGAIN,))]
    turn.record("question", "same", faq_key=faq.id, opd=faq.opd, answered=False, text=turn.text)
    turn.record("unanswered", "same", opd=faq.opd, text=turn.text)
    where = texts.refer_to_opd(turn.kb.opd(faq.opd))
    return [Reply(f"{texts.NOTHING_MORE}\n\n{where}", options=tuple(options) + (texts.REPORT,))]


def quoted_lines(turn: Turn, faq: Faq) -> list[str]:
    """Return the lines of an entry's answer that speak of what the follow-up asks."""
    asked = set(turn.matcher.normalizer.tokens(turn.text))
    # The matter asked (cost, time …) when it is one of ASPECTS: the question's other words are the entry's
    # own topic, in every line ("brp lama pemasangannya": the lines on time, not on "pemasangan").
    aspects = {w for aspect in ASPECTS if aspect & asked for w in aspect}
    wanted = aspects or asked - {"apa", "bagaimana", "berapa", "bisa", "boleh", "dapat", "harus", "perlu", "mau"}
    found = []
    for line in _LINE.split(faq.answer):
        if line.strip() and wanted & _tokens(turn, (line,)):
            found.append(line.strip())
    return found[:MAX_LINES]


def _tokens(turn: Turn, texts_: Iterable[str]) -> set[str]:
    normalizer = turn.matcher.normalizer
    return {t for text in texts_ for t in normalizer.tokens(text)}
