"""The story of a complaint told before the resident says to report it.

"Buat laporan" under an answer, "saya mau lapor pohonnya" after a menu, "ambo nio malapor" after "don't know":
the problem the resident already told becomes the complaint's story (shown to them), so they are not asked to
tell it again. Which earlier message is the story is decided here; the flow (handlers.complaint) starts with it.
"""

from __future__ import annotations

import datetime as dt
import re

from handlers import faq
from handlers.asks import not_that_but
from handlers.complaint_state import MIN_DESCRIPTION, said_yes, words
from handlers.complaint_words import MAX_PLACE, place_in_story
from handlers.context import Turn
from handlers.intents import is_question, report_asked_about
from knowledge.matcher import split_question
from knowledge.router import OUTSIDE_OPD_SCORE


def reported(turn: Turn, faq_id: str | None, about: str = "") -> str:
    """Return the description a report from an answer starts with: the resident's own words when they
    told a problem ("jalan depan rumah rusak parah") rather than asked ("ke mana melapor jalan rusak?"). After an
    answer the router must send those words to the answer's OPD as surely as it must to name an OPD at all (an
    address alone, "dpn msjd raya jl k.h ahmad dahlan", is no story: the resident is asked for one). Otherwise
    (a menu, "don't know", another question in between) the latest of the resident's recent messages (the last
    half hour) that the router places as surely as it must to pass over an outside body, or places at all when the
    few words said with "lapor" (`about`) point at it ("saya mau lapor pohonnya")."""
    last = turn.state.get("last_question") or {}
    text = str(last.get("text") or "")
    entry = turn.kb.faq(faq_id) if faq_id else None
    if faq_id and (entry is None or last.get("faq") != faq_id or not last.get("own_words", True)):
        return ""
    if entry is None:  # the latest message of the last half hour that tells a problem the router places surely
        return _latest_story(turn, [text] if recent(turn, last.get("at")) else [], about)
    if report_asked_about(text) is not None:  # "ambo nio malapor anjiang liar tu, baa caronyo": the story told before
        return _latest_story(turn, [], about)
    told = _recent_told(turn)
    text = _story_of(text)
    route = turn.router.route(text) if len(text) >= MIN_DESCRIPTION else None
    # the answer and the router agree on the OPD, the router as sure as it must be to name one
    if route is None or route.opd != entry.opd or route.score < faq.ROUTER_OPD_SCORE:
        return ""
    return "\n".join([*_told_before(turn, told[1:] if told and told[0] == last.get("text") else []), text])


def _recent_told(turn: Turn) -> list[str]:
    """Return the resident's messages of the last half hour kept as possible stories, newest first."""
    return [str(t.get("text") or "") for t in reversed(turn.state.get("told", [])) if recent(turn, t.get("at"))]


def _latest_story(turn: Turn, otherwise: list[str], about: str) -> str:
    """Return the latest of the resident's messages of the last half hour (else of `otherwise`) that tells a problem
    the router places surely, or places at all when the words said with "lapor" (`about`) point at it."""
    told = _recent_told(turn)
    for k, candidate in enumerate(told or otherwise):
        named = report_asked_about(candidate)
        if named is not None:  # "ambo nio malapor anjiang liar tu, baa caronyo": no story, it names one
            about = about or named
            continue
        if _no_story(turn, candidate):  # "rmh sy di lubuk begalung": where, not what
            continue
        story = _story_of(candidate)
        route = turn.router.route(story) if len(story) >= MIN_DESCRIPTION else None
        if route is not None and (route.score >= OUTSIDE_OPD_SCORE
                                  or (route.opd is not None and refers_to(turn, about, story))):
            return "\n".join([*_told_before(turn, told[k + 1:]), story])
    return ""


def _told_before(turn: Turn, older: list[str]) -> list[str]:
    """Return the statements told right before a story (newest first in `older`), oldest first: the start of the
    same story told over several messages ("jembatan di … rusak", then "lubangnya dalam, tdk ada pagar"). A
    question, a wish to report or a place alone ends them."""
    stories: list[str] = []
    for text in older[:TOLD_JOINED - 1]:
        if _ends_story(text) or _no_story(turn, text):
            break
        stories.insert(0, _story_of(text))
    return stories


STORY_WORDS = 3  # fewer words tell no problem ("yes correct", "iyo bana")


def _ends_story(text: str) -> bool:
    """Tell whether a message ends a story told over several messages: a question, or a wish to report."""
    return is_question(text) or report_asked_about(text) is not None


def _no_story(turn: Turn, text: str) -> bool:
    """Tell whether a message told lately tells no problem: a place alone, a yes, or a few words ("yes correct" had
    become a complaint)."""
    return said_yes(text) or len(words(text).split()) < STORY_WORDS or only_a_place(turn, text)


TOLD_JOINED = 3  # the resident's latest statements joined as the story offered ("pohon tumbang …", "anaknya …")


def told_lately(turn: Turn) -> str:
    """Return the problem the resident told in their latest messages of the last half hour when the router did not
    place it surely enough to take it as the story unasked ("anak tetangga main petasan tiap malam, berisik dan
    bahaya"): offered as a button where the story is asked for. Up to TOLD_JOINED statements told one after another
    are joined ("pohon tumbang menimpa rumah …" and "anaknya udh dibawa ke rs, skrg pohonnya masih nutup jalan");
    a question ends them, and a place alone is no problem told."""
    stories: list[str] = []
    for told in reversed(turn.state.get("told", [])):
        text = str(told.get("text") or "")
        if not recent(turn, told.get("at")) or _ends_story(text) or len(stories) == TOLD_JOINED:
            break
        if not _no_story(turn, text):
            stories.insert(0, _story_of(text))
    story = "\n".join(stories)
    return story if len(story) >= MIN_DESCRIPTION else ""


# What stands around an address a resident gives on its own ("sy di jln gajah mada gunung pangilun").
_ADDRESS_OPENING = re.compile(r"^\W*(?:(?:sy|saya|aku|ambo|(?:rumah|rmh|umah)\s+(?:saya|sy|aku|ambo)|lokasi\w*|"
                              r"alamat\w*|tempat\w*|posisi\w*|di|tu|itu|ini|nya|min|pak|bu|kak|tepatnya)\b\W*)+",
                              re.IGNORECASE)
PLACE_WORDS_AT_MOST = 12


# Words around an address that tell no problem ("rmh sy di lubuk begalung", "di jalan Parak Gadang, dakek SD 12").
_ADDRESS_WORDS = frozenset({
    "di", "ke", "dari", "dekat", "dkt", "dakek", "depan", "dpn", "didepan", "samping", "sebelah", "belakang",
    "seberang", "arah", "ujung", "sekitar", "no", "nomor", "rt", "rw", "kel", "kelurahan", "kec", "kecamatan",
    "jalan", "jl", "jln", "gang", "gg", "lorong", "komplek", "kompleks", "perumahan", "perum", "blok", "raya",
    "rumah", "rmh", "masjid", "mesjid", "musala", "surau", "sekolah", "sd", "smp", "sma", "sdn", "smpn", "kantor",
    "toko", "warung", "simpang", "jembatan", "terminal", "sy", "saya", "aku", "ambo", "kami", "tinggal", "alamat",
    "alamatnya", "lokasi", "lokasinya", "tempatnya", "tepatnya", "persisnya", "yang", "yg", "itu", "ini", "tu", "nya",
    "min", "pak", "bu", "kak", "and", "near", "in", "at", "the", "my", "house", "street", "road", "of", "beside",
    "next", "to", "behind", "front", "live", "i"})


# A landmark beside an address: "dekat Pasar Baru", "depan masjid raya" (up to a comma or full stop).
_LANDMARK = re.compile(r"\b(?:dekat|dkt|dakek|depan|dpn|didepan|samping|sebelah|belakang|seberang|near|behind|"
                       r"opposite)\s+[^,.;\n]+", re.IGNORECASE)


def only_a_place(turn: Turn, text: str) -> bool:
    """Tell whether a message gives where and nothing of what: a street or a kelurahan, with words around an address
    and landmarks ("sy di jln gajah mada gunung pangilun dpn toko harapan"), and no problem the router would place
    in what is left ("jalan rusak parah di jl. sudirman" tells one)."""
    places = turn.services.places
    street = place_in_story(text, places)
    if street is None and places.find(text) is None:
        return False
    rest = _LANDMARK.sub(" ", text)  # "dekat Pasar Baru" says where, not what (it had read as a market's matter)
    for part in (street or "").split(", "):
        rest = re.sub(re.escape(part), " ", rest, flags=re.IGNORECASE) if part else rest
    left = [w for w in words(places.names_blanked(rest)).split() if w not in _ADDRESS_WORDS and not w.isdigit()]
    return not left or turn.router.route(" ".join(left)).score < faq.ROUTER_OPD_SCORE


def place_told(turn: Turn) -> str | None:
    """Return the place a message gives on its own right after the resident told a problem ("sy di jln gajah mada
    gunung pangilun dpn toko harapan" after "sampah di dpn rmh sy udh seminggu gk diangkut"): where the problem
    is, kept for the report (no question, and no problem of its own the router would place)."""
    text = turn.text.strip()
    if "?" in text or len(text.split()) > PLACE_WORDS_AT_MOST or is_question(text):
        return None
    # (asked of every message outside a complaint: the place test, a regex unless a place is named, comes first)
    if not only_a_place(turn, text) or not told_lately(turn):  # "jalan rusak di jl sudirman": a story of its own
        return None
    place = bare_place(text)[:MAX_PLACE]  # offered as a button at the place step
    return place if len(place) >= 3 else None


def bare_place(text: str) -> str:
    """Return a place typed on its own without the words around it ("lokasinya di jl. gajah mada" → "jl. gajah
    mada")."""
    return _ADDRESS_OPENING.sub("", text).strip(" ,.;")


REFERRING_WORDS = 4  # "lapor pohonnya", "lapor soal meteran itu": a few words that name a story told before


def refers_to(turn: Turn, about: str, story: str) -> bool:
    """Tell whether the few words said with "lapor" name something of a story told before (a word of it)."""
    tokens = turn.router.normalizer.tokens(about) if about else []
    return 0 < len(tokens) <= REFERRING_WORDS and bool(set(tokens) & set(turn.router.normalizer.tokens(story)))


# A question's last clause after a comma ("gaji saya belum dibayar 2 bulan …, lapor kemana?"), and the problem
# a question says it reports ("How do I report that the streetlight outside my house is broken?").
_ASKED_LAST = re.compile(r"^(?P<story>.+),\s*(?P<asked>[^,]+)$", re.S)
_REPORT_THAT = re.compile(r"\b(?:report|complain)\s+(?:that|about)\s+(?P<story>.+?)[\s?!.]*$|"
                          r"\b(?:melaporkan|laporkan|lapor|mengadukan)\s+(?:bahwa|kalau|klo|kalo)\s+"
                          r"(?P<cerita>.+?)[\s?!.]*$", re.I | re.S)


def _story_of(text: str) -> str:
    """Return the story of a message: without its question ("My neighbour plays loud karaoke every night. Who
    can I complain to?"; "…, lapor kemana?"), or the problem it asks how to report."""
    text = not_that_but(text) or text  # "bukan itu, saya mau laporkan bangunan tanpa izin itu"
    if not is_question(text):
        return text
    told = _ASKED_LAST.match(text.strip())
    if (told and is_question(told["asked"]) and not is_question(told["story"])
            and len(told["story"]) >= MIN_DESCRIPTION):
        return told["story"].strip()
    reported = _REPORT_THAT.search(text)
    if reported:
        return (reported["story"] or reported["cerita"]).strip()
    return split_question(text)[1]


REPORT_STORY_AGE = dt.timedelta(minutes=30)  # a question this recent may be the story of a report without an answer


def recent(turn: Turn, at: str | None) -> bool:
    return bool(at) and turn.services.now() - dt.datetime.fromisoformat(at) <= REPORT_STORY_AGE


def offered_report(turn: Turn, about: str = "") -> str:
    """Return the story of the "Buat laporan" button the last reply offered (see `reported`), if it did."""
    offered = [value for _label, value in turn.state.get("options", []) + turn.state.get("earlier_options", [])]
    report = next((value for value in offered if value.startswith("report:")), None)
    if report:
        return reported(turn, report.removeprefix("report:"))
    return reported(turn, None, about)  # after a menu or "don't know": the problem the resident told just before
