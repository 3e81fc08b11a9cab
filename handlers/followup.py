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
from collections.abc import Callable, Iterable
from typing import NamedTuple

from handlers import texts
from handlers.contact import contact_reply, named_opd, office_names
from handlers.context import Turn
from handlers.messages import Option, Reply
from knowledge.kb import Faq, Opd
from knowledge.matcher import GENERIC_WORDS

FOLLOW_UP_WORDS = 4  # content words a follow-up may have; a longer question says what it is about
MAX_LINES = 4  # lines of the answer quoted
# Words that ask or qualify, not name a topic ("bayar ga?" is "bayar tidak", "sampai kapan").
NOT_TOPIC = frozenset({"tidak", "belum", "bukan", "sudah", "masih", "ada", "lagi", "juga", "saja", "sampai", "dulu",
                       "langsung", "sendiri", "benar", "betul", "butuh", "pergi", "pakai", "kalau", "ini", "itu",
                       "kena", "dikenai", "dikenakan",  # "kalau gak bayar kena denda?"
                       "asli", "fotokopi", "salin"})  # "hrs bawa kk asli?": which copy, not another topic


class Aspect(NamedTuple):
    """What a follow-up asks about (normalised words; they are stemmed when compared)."""

    asking: frozenset[str]  # words that ask about it
    answer: frozenset[str]  # words an answer line uses for it: such a line is quoted
    web: bool = False  # a web address answers it too ("where", "online")
    contact: bool = False  # the OPD's own contact answers it ("nomornya berapa?"), not lines of the answer
    not_line: re.Pattern[str] | None = None  # a line that uses the answer words but says something else
    must: re.Pattern[str] | None = None  # what a line must also say to answer it
    of_a_service: bool = False  # each service has its own (the requirements), not the office as a whole (its hours)


# A deadline for the resident is not how long the service takes: "Laporkan kelahiran paling lambat 60 hari sejak
# lahir" does not answer "how long will it take?".
_DEADLINE = re.compile(r"\bpaling\s+lambat\b[^.\n]*\b(?:sejak|setelah|sesudah|terhitung)\b|\bbatas\s+waktu\b|"
                       # nor is going in person ("tetap harus datang langsung": it had answered "brp lama jadinya")
                       r"\b(?:datang|secara|hadir|harus)\s+langsung\b", re.IGNORECASE)
# Opening hours are said with a time or a day: "tutup" alone is also "cover the water tanks" (3M Plus), and
# "minggu" is also a week ("setiap minggu").
_HOURS = re.compile(r"\d{1,2}[.:]\d{2}|\bpukul\b|\b24\s*jam\b|\bjam\s+(?:kerja|layanan|operasional|buka|pelayanan)\b|"
                    r"\b(?:senin|selasa|rabu|kamis|jumat|jum'at|sabtu|libur)\b|\bhari\s+kerja\b", re.IGNORECASE)


_WHERE = Aspect(frozenset({"mana", "lokasi", "tempat", "where"}),  # where to go for it: the lines that name a place
                frozenset({"kantor", "mpp", "loket", "alamat", "kelurahan", "kecamatan", "gedung", "datang"}), web=True)
# Where the office is, asked as typed ("kantornya di mana", "di ma kantua nyo?", "alamatnya?", "where is the office")
_WHERE_TYPED = re.compile(r"\b(?:di\s*ma(?:na)?|dmn|dimn|mana|alamat\w*|lokasi\w*|where)\b", re.IGNORECASE)
_AGE = re.compile(r"\d+\s*(?:tahun|thn|bulan)\b|\bbayi\b|\bdewasa\b|\bdi\s+bawah\s+umur\b", re.IGNORECASE)
_COST = Aspect(frozenset({"biaya", "bayar", "gratis", "tarif", "harga", "retribusi", "pungut", "cicil", "murah",
                          "mahal", "uang", "ongkos", "free", "cost"}),
               frozenset({"biaya", "bayar", "gratis", "tarif", "harga", "retribusi", "rp", "pungut", "cicil", "uang",
                          "ongkos", "denda"}), of_a_service=True)
# A fine is not the price: "kalau gak bayar kena denda?" after the garbage fee, whose answer names no fine (asked with
# "bayar", the fine is what is asked).
_FINE = Aspect(frozenset({"denda", "sanksi", "fine", "penalty"}), frozenset({"denda", "sanksi", "bunga"}),
               of_a_service=True)
ASPECTS: tuple[Aspect, ...] = (
    _COST,
    _FINE,
    Aspect(frozenset({"laku", "berlaku", "masa", "kedaluwarsa", "kadaluarsa", "valid", "expired", "habis"}),
           frozenset({"laku", "masa", "seumur", "kedaluwarsa", "kadaluarsa", "perpanjang"}), of_a_service=True),
    Aspect(frozenset({"lama", "waktu", "selesai", "cepat", "proses", "jadi", "terbit", "datang", "ambil", "tunggu"}),
           frozenset({"hari", "minggu", "bulan", "menit", "langsung", "seketika"}), not_line=_DEADLINE,
           of_a_service=True),
    Aspect(frozenset({"jam", "buka", "tutup", "jadwal", "libur", "senin", "sabtu", "minggu"}),
           frozenset({"jam", "buka", "tutup", "jadwal", "senin", "selasa", "rabu", "kamis", "jumat", "sabtu",
                      "libur"}), must=_HOURS),
    _WHERE,
    Aspect(frozenset({"online", "daring", "aplikasi", "situs", "website", "laman", "link"}),
           frozenset({"online", "daring", "aplikasi", "situs", "website", "laman", "melalui", "lewat"}), web=True),
    Aspect(frozenset({"syarat", "bawa", "dokumen", "berkas", "document"}),
           frozenset({"syarat", "bawa", "dokumen", "berkas", "fotokopi", "asli", "siapkan", "lampirkan"}),
           of_a_service=True),
    Aspect(frozenset({"wakil", "kuasa"}), frozenset({"wakil", "kuasa"}), of_a_service=True),
    # the age it is for ("umur brp bisa bikin" after the KIA: "di bawah 17 tahun", not only the photo rule)
    Aspect(frozenset({"umur", "usia", "age"}), frozenset({"usia", "umur", "tahun", "bayi"}), must=_AGE,
           of_a_service=True),
    # how to reach the office, or where it is ("kantornya di mana?", "where is the office?"): the OPD's contact
    Aspect(frozenset({"nomor", "telepon", "kontak", "hubung", "call", "wa", "whatsapp", "phone", "alamat", "kantor",
                      "office", "address"}),
           frozenset({"telepon", "hubung", "kontak", "whatsapp", "112", "113", "119", "110"}), contact=True),
)
ASKING_WORDS = frozenset({w for aspect in ASPECTS for w in aspect.asking})
_LINE = re.compile(r"\n+")
_LIST_ITEM = re.compile(r"^(?:[-*\u2022]|\d+[.)])\s")
_WEB = re.compile(r"https?://|\b[\w-]+(?:\.[\w-]+)*\.(?:go\.id|id|com|org|net)\b", re.IGNORECASE)


def is_short(turn: Turn) -> bool:
    """Tell whether a message is short enough to be a follow-up (FOLLOW_UP_WORDS content words at most)."""
    index = turn.matcher.index
    return sum(not index.light(t.token) for t in index.query(turn.text)) <= FOLLOW_UP_WORDS


def about_previous(turn: Turn, faq: Faq, alone: Faq | None = None) -> bool:
    """Tell whether a short question's topic words all appear in the entry just answered (none: a question
    about it, such as "is it free?"), unless the entry it matches `alone` is worded with them and that one
    is not: "kalau ktp rusak gimana" after the lost-KTP answer is the damaged-KTP entry's question."""
    topic = _topic_words(turn)
    if topic is None:
        return False
    if not topic <= _tokens(turn, (*_phrasing(faq), faq.answer)):
        return False
    if alone is not None:  # an asking word that names the other entry's subject: "retribusi sampah brp sebulan"
        asked = set(turn.matcher.normalizer.tokens(turn.text)) & ASKING_WORDS  # after the waste bank: its fee entry
        named = _tokens(turn, (alone.question, *alone.keywords))  # its question or keywords name it, not a phrasing
        if asked and asked <= named and not asked & _tokens(turn, (*_phrasing(faq), faq.answer)):
            return False
    return not (topic and alone is not None and topic <= _tokens(turn, _phrasing(alone))
                and not topic <= _tokens(turn, _phrasing(faq)))


def _topic_words(turn: Turn) -> set[str] | None:
    """Return the words of a short question that name its topic, or None when it is too long to be a follow-up.
    Words no entry knows (a typo, a regional word) cannot point elsewhere; nor do negations and particles."""
    index = turn.matcher.index
    # (qualifiers do not make it long: "hrs bawa kk asli?" is "harus bawa kartu keluarga asli")
    terms = [t for t in index.query(turn.text) if not index.light(t.token) and t.token not in NOT_TOPIC]
    if len(terms) > FOLLOW_UP_WORDS:
        return None
    regions = turn.matcher.normalizer.regions
    return {t.token for t in terms if t.match is not None and t.token not in GENERIC_WORDS
            and t.token not in regions and t.token not in ASKING_WORDS}


def shared_with_previous(turn: Turn, before: Faq, alone: Faq) -> bool:
    """Tell whether a short question's topic is worded both in the entry it matches alone and in the entries of the
    office answered just before, another office: "zonasi nya gmn" after the age to start primary school matched
    the city plan's zoning (KRK) alone, while the school admissions' routes speak of zoning too."""
    topic = _topic_words(turn)
    if not topic or alone.opd == before.opd:
        return False
    office = turn.kb.opd(before.opd)
    worded = _tokens(turn, [p for f in (office.faqs if office else ()) for p in _phrasing(f)])
    return topic <= worded and topic <= _tokens(turn, _phrasing(alone))


def asks_office_hours(turn: Turn) -> bool:
    """Tell whether a follow-up asks when the office is open ("jam buka kantornya jam berapa", "sabtu buka?")."""
    stems = turn.matcher.normalizer.tokens
    asked = set(stems(turn.text))
    return any(a.must is _HOURS and _asks_about(turn.text, a, stems, asked) for a in ASPECTS)


def office_only(turn: Turn, topic: str) -> Opd | None:
    """Return the OPD a follow-up is about when it asks what each of its services has on its own (the
    requirements, the cost) and the question before named only that office: "syaratnya apa aja?" after "jam buka
    disdukcapil?" is about no service yet (read together they matched the divorce certificate's requirements)."""
    stems = turn.matcher.normalizer.tokens
    asked = set(stems(turn.text))
    if not any(a.of_a_service and _asks_about(turn.text, a, stems, asked) for a in ASPECTS):
        return None
    opd = named_opd(topic, turn.kb)
    if opd is None:
        return None
    rest = " " + " ".join(re.sub(r"[^\w\s]", " ", topic.lower()).split()) + " "
    for name in sorted(office_names(opd), key=len, reverse=True):
        rest = rest.replace(f" {name} ", " ")
    index = turn.matcher.index
    topic_words = [t for t in index.query(rest) if not index.light(t.token) and t.token not in GENERIC_WORDS
                   and t.token not in NOT_TOPIC and t.token not in ASKING_WORDS]
    return None if topic_words else opd


def _phrasing(faq: Faq) -> tuple[str, ...]:
    return (faq.question, *faq.alternatives, *faq.keywords)


def from_previous(turn: Turn, faq: Faq, again: Option, other: Option | None,
                  lines: list[str] | None = None) -> list[Reply]:
    """Answer a follow-up from the entry just answered (`again`: the button that shows its answer again;
    `other`: an entry the question matched alone, offered too; `lines`: its quoted lines, when known)."""
    stems = turn.matcher.normalizer.tokens
    asked = set(stems(turn.text))
    opd = turn.kb.opd(faq.opd)
    aspects = [a for a in ASPECTS if _asks_about(turn.text, a, stems, asked)]
    if opd is not None and any(a.contact for a in aspects) and all(a.contact or a.web for a in aspects):
        # ("jam buka kantornya jam berapa" asks the hours, not the number: the "kantor" in it is no contact asked)
        # "ada nomor wa nya?", "nomor telepon dinasnya?": the OPD's contact from its file, said honestly when absent
        contact = contact_reply(turn, opd, (again, texts.REPORT, texts.ASK_AGAIN), text=turn.text)
        where = [] if opd.contact.reachable or not _WHERE_TYPED.search(turn.text) else quoted_lines(turn, faq, [_WHERE])
        if where:  # "di ma kantua nyo?": where the answer says to go ("Disdukcapil atau MPP"), then what is missing
            return [Reply(f"{texts.from_previous_answer(faq.question, where)}\n\n{contact[0].text}",
                          options=contact[0].options)]
        return contact
    lines = quoted_lines(turn, faq) if lines is None else lines
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


def quoted_lines(turn: Turn, faq: Faq, aspects: list[Aspect] | None = None) -> list[str]:
    """Return the lines of an entry's answer that speak of what the follow-up asks (ASPECTS, or the `aspects`
    given; a web address answers "where" and "online"); a heading line ("Syarat:") comes with its list. A question
    about no aspect is matched on its own words."""
    stems = turn.matcher.normalizer.tokens
    asked = set(stems(turn.text))
    if aspects is None:
        aspects = [aspect for aspect in ASPECTS if _asks_about(turn.text, aspect, stems, asked)]
    if _FINE in aspects:  # "kalau gak bayar kena denda?": the fine, not the price
        aspects = [aspect for aspect in aspects if aspect is not _COST]
    wanted = [(_stemmed(stems, aspect.answer), aspect.not_line, aspect.must) for aspect in aspects]
    web = any(aspect.web for aspect in aspects)
    if not aspects:
        wanted = [(asked - {"apa", "bagaimana", "berapa", "bisa", "boleh", "dapat", "harus", "perlu", "mau"}, None, None)]

    def speaks_of(line: str) -> bool:
        said = set(stems(line))
        return (any(words & said and not (other and other.search(line)) and (must is None or must.search(line))
                    for words, other, must in wanted)
                or bool(web and _WEB.search(line)))

    lines = [line.strip() for line in _LINE.split(faq.answer) if line.strip()]
    found: list[str] = []
    i = 0
    while i < len(lines) and len(found) < MAX_LINES:
        if speaks_of(lines[i]):
            found.append(lines[i])
            if lines[i].endswith(":"):  # a heading: its list is what it says
                while i + 1 < len(lines) and _LIST_ITEM.match(lines[i + 1]) and len(found) < MAX_LINES + 4:
                    i += 1
                    found.append(lines[i])
        i += 1
    return found


# The contact aspect is asked in these words as typed: "nib tu ap" normalises to "nomor induk berusaha", which
# asks for no phone number.
_CONTACT_TYPED = re.compile(r"\b(?:nomor|nomer|nmr|no|telp|telepon|telpon|tlp|kontak|hubungi|hub|wa|whatsapp|phone|"
                            r"call|contact|alamat|address|kantor|kantua|office)", re.IGNORECASE)


def _asks_about(text: str, aspect: Aspect, stems: Callable[[str], list[str]], asked: set[str]) -> bool:
    """Tell whether a follow-up (its tokens `asked`) asks about an aspect."""
    if not _stemmed(stems, aspect.asking) & asked:
        return False
    return not aspect.contact or bool(_CONTACT_TYPED.search(text))


def _stemmed(stems: Callable[[str], list[str]], words: Iterable[str]) -> set[str]:
    return {t for w in words for t in stems(w)} | set(words)


def _tokens(turn: Turn, texts_: Iterable[str]) -> set[str]:
    normalizer = turn.matcher.normalizer
    return {t for text in texts_ for t in normalizer.tokens(text)}
