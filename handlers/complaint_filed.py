"""Right after filing: a confirmation sent again gets the ticket again, and a question about the complaint
("how long will it take?", "terus gimana?") gets who has it and by when.

The filing itself (handlers.complaint) leaves `state["filed"]` (ticket, time, OPD, due date); only the
message straight after it is read here, any other forgets it.
"""

from __future__ import annotations

import datetime as dt
import re

from handlers import complaint_texts, texts
from handlers.complaint_state import said_yes
from handlers.complaint_words import says_cancel
from handlers.context import Turn
from handlers.emergency import emergency_reply, is_emergency
from handlers.intents import is_question
from handlers.messages import Reply

# A confirmation sent again this soon after filing is a retry (the reply may never have reached a weak
# connection): the resident is told the complaint's number again.
FILED_ECHO = dt.timedelta(minutes=10)


async def filed_again(turn: Turn) -> list[Reply] | None:
    """Answer a confirmation sent again right after the complaint was filed ("ya", "Ya, kirim") with its
    ticket, instead of "ok" or "that button is no longer valid". Only messages straight after filing are
    read so: any other message forgets the filing."""
    filed = turn.state.pop("filed", None)
    if not filed or turn.state.get("flow"):
        return None
    if turn.services.now() - dt.datetime.fromisoformat(filed["at"]) > FILED_ECHO:
        return None
    if turn.msg.photo:  # the photo sent just after filing belongs to that complaint (not a new one)
        return await _photo_after(turn, filed)
    if ((turn.command is not None and turn.command[0] == "batal" and not turn.command[1])
            or (turn.choice is None and says_cancel(turn.text) and not _NAMES_IT.search(turn.text))):
        # "batal" just after "Ya, kirim" (crossing it): it is sent; how to withdraw it ("Tidak ada proses" had
        # said nothing of it)
        turn.state["filed"] = filed
        return [Reply(complaint_texts.cancel_after_filing(filed["ticket"]), options=texts.MENU)]
    if turn.choice is None and _ADD_PHOTO.search(turn.text):  # "tambah foto ke laporan": send it now
        turn.state["filed"] = filed
        return [Reply(complaint_texts.send_photo_now(filed["ticket"]), request="photo")]
    if turn.choice is None and _TOO_LONG.search(turn.text):  # "kok lama sampai tanggal 9? dahannya bisa patah"
        return _what_happens_next(turn, filed, too_long=True)
    if turn.choice is None and is_emergency(turn.text):  # "how long? the tree can fall anytime": the numbers first
        return [emergency_reply(turn.kb.city, turn.text)] + _what_happens_next(turn, filed)
    if turn.choice is None and (_asks_about_it(turn) or _OVERDUE.search(turn.text)):
        # "how long will it take?", "what if they don't come?", "kalau lewat batas waktu belum ditanggapi gimana?"
        return _what_happens_next(turn, filed)
    if not (turn.choice == "confirm:yes" or (turn.choice is None and said_yes(turn.text))):
        return None
    turn.state["filed"] = filed  # a third try is told the same
    turn.record("complaint_step", "filed_again", data={"ticket": filed["ticket"]})
    return [Reply(complaint_texts.filed_already(filed["ticket"]), options=texts.MENU)]


# A cancel that names the complaint ("batalkan laporan ini", "batalkan PDG-…") asks to withdraw it (handlers.status).
_NAMES_IT = re.compile(r"\b(?:laporan\w*|tiket|ticket|report|[A-Z]{2,5}-[A-Z0-9]{4,})\b", re.IGNORECASE)


# "brp lama ditanggapi?", "kapan diperbaiki?": asking when it is handled, in a few words ("kapan jadwal angkut
# sampah?" is a question of its own).
_WHEN = re.compile(r"\b(?:berapa\s+lama|brp\s+lama|brp\s+lm|bara\s+lamo|kapan|kpn|bilo|bila|how\s+long|when)\b",
                   re.IGNORECASE)
_HANDLED = re.compile(r"\b(?:ditanggapi|ditangani|diproses|diperbaiki|dikerjakan|ditindak|ditindaklanjuti|diurus|"
                      r"dibalas|direspon|diangkut|diangkuik|dibereskan|diselesaikan|laporan\w*|fixed|handled|respond|"
                      r"reply|answered|dealt|track|tracked)\b|"
                      # any passive verb, typed loosely or in Minang ("diangkt nya", "dikarajoan"), not "dimana"
                      r"\bdi(?!mana|sini|situ|sana|nas\b|nkes|shub|skominfo|sdik|sdukcapil|nsos|buka|tutup)[a-z]{4,}",
                      re.IGNORECASE)
# "kok lama sampai tanggal 9?", "lama banget": the deadline is the latest, and what to do if it is dangerous now.
_TOO_LONG = re.compile(r"\b(?:kok\s+lama|lama\s+(?:banget|bgt|amat|sekali|bana)|kelamaan|terlalu\s+lama|"
                       r"lamo\s+bana|(?:too|that|so)\s+long)\b", re.IGNORECASE)
# Asking what happens when the complaint is not answered in time: the summary says it is marked late.
_OVERDUE = re.compile(r"\b(?:lewat|melewati|lebih\s+dari|past|after|miss(?:es|ed)?)\s+(?:(?:the|dari)\s+)?"
                      r"(?:batas\s+waktu\w*|tenggat\w*|deadline|tanggal\s+itu|due\s+date)|"
                      r"\b(?:kalau|kalo|klo|kl|jika|bila|if)\b.{0,30}\b"
                      r"(?:belum|tidak|tdk|ga|gak|nggak|ndak|indak|not|no)\s+(?:juga\s+)?"
                      r"(?:ditanggapi|direspon\w*|ditindaklanjuti|diproses|dikerjakan|datang|handled|answered|fixed|"
                      r"responded)\b", re.IGNORECASE)
_WHEN_WORDS = 6
_CHECKING = frozenset({"cek", "check", "cek dong", "cek ya", "track", "lacak", "pantau", "how do i track it"})
_BARE_WHEN_WORDS = 3  # "brp lm?", "kapan ya?"; "kapan jadwal angkut sampah?" is a question of its own
# Not counted among those words: "thanks! how long usually?"
_COURTESY = frozenset({"thanks", "thank", "you", "thx", "makasih", "terima", "kasih", "ok", "oke", "okay", "usually",
                       "biasanya", "min", "pak", "bu", "kak"})


def _asks_about_it(turn: Turn) -> bool:
    """Tell whether a message is a question naming no topic of its own, or asking in a few words when it is
    handled: right after filing, it is about the complaint ("terus gimana?", "brp lama ditanggapi?")."""
    text = turn.text
    if " ".join(text.lower().strip(" ?!.").split()) in _CHECKING:  # "cek": how it stands
        return True
    n_words = sum(w.strip("!?.,").lower() not in _COURTESY for w in text.split())
    return (is_question(text) or bool(_WHEN.search(text))) and (
        (n_words <= _BARE_WHEN_WORDS and bool(_WHEN.search(text)))
        or (n_words <= _WHEN_WORDS and bool(_WHEN.search(text) or "?" in text) and bool(_HANDLED.search(text)))
        or not turn.matcher.match(text).topic)


def _what_happens_next(turn: Turn, filed: dict[str, str], *, too_long: bool = False) -> list[Reply]:
    """Tell who has the complaint just filed, by when it is answered and how the resident hears of it (to one
    who finds that too long: that the date is the latest, and the emergency numbers for a danger now)."""
    opd = turn.kb.opd(filed.get("opd"))
    if opd is None or not filed.get("due"):
        return [Reply(complaint_texts.filed_already(filed["ticket"]), options=texts.MENU)]
    turn.state["filed"] = filed  # another question is told the same
    turn.record("question", "filed_next", opd=opd.slug, answered=True, data={"ticket": filed["ticket"]})
    due = dt.date.fromisoformat(filed["due"])
    if too_long:
        return [Reply(complaint_texts.due_is_latest(filed["ticket"], opd.label, due)),
                Reply(texts.emergency_first(turn.kb.city), options=texts.MENU, kind="emergency")]
    return [Reply(complaint_texts.after_filing(filed["ticket"], opd.label, due), options=texts.MENU)]


# Asking to add a photo to the complaint just filed ("tambah foto ke laporan", "mau kirim foto jg", "can I add a
# photo").
_ADD_PHOTO = re.compile(r"\b(?:tambah\w*|kirim|susul\w*|lampir\w*|add|send|attach)\b.{0,20}"
                        r"\b(?:foto|gambar|photo|picture|pic)", re.IGNORECASE)


async def _photo_after(turn: Turn, filed: dict[str, str]) -> list[Reply] | None:
    """Attach a photo sent right after filing to that complaint, if it has none yet (else a new complaint
    starts with it, as any photo sent outside a complaint does)."""
    resident = await turn.resident()
    added = await turn.services.complaints.add_photo(turn.session, resident.id, filed["ticket"],
                                                     turn.msg.photo.path)
    if not added:
        return None
    turn.state["filed"] = filed
    turn.record("complaint_step", "photo_added", data={"ticket": filed["ticket"]})
    return [Reply(complaint_texts.photo_added(filed["ticket"]), options=texts.MENU)]
