"""What every step of the /lapor flow shares: a question typed mid-way answered and the step asked again, a
cancel (kept aside for a while), an emergency's numbers first, and the way from one answered step to the next one
not answered yet. The steps themselves are in `complaint_route` (the story and the office), `complaint_place`
(place, photo, name) and `complaint` (start, summary, filing).
"""

from __future__ import annotations

import re

from handlers import complaint_texts, faq, texts
from handlers.asks import asks_about_privacy, asks_how_long
from handlers.complaint_prompts import (ASKS, ask_category, ask_confirm, ask_describe, ask_location, ask_name,
                                        ask_name_typed, ask_photo)
from handlers.complaint_state import SET_ASIDE_FOR, data, go, set_aside, store_location
from handlers.complaint_words import says_also
from handlers.contact import named_opd
from handlers.context import Turn
from handlers.emergency import emergency_reply, is_emergency
from handlers.intents import is_question
from handlers.messages import Reply
from knowledge.router import OUTSIDE_OPD_SCORE


def urgent_first(turn: Turn, replies: list[Reply]) -> list[Reply]:
    """Put the emergency numbers before a complaint that tells of an emergency: an OPD answers within days."""
    if is_emergency(turn.text):
        return [emergency_reply(turn.kb.city, turn.text)] + replies
    return replies


# "how long does satpol pp usually take to respond?": about the complaint's handling.
_RESPONDING = re.compile(r"\b(?:respon\w*|tanggap\w*|ditangani|menangani|datang|come|handle\w*|fix\w*|diperbaiki|"
                         r"ditindak\w*|diproses)\b", re.IGNORECASE)


async def aside(turn: Turn) -> list[Reply]:
    """Answer a question typed in the middle of a complaint, then ask its step again; "how long until someone
    comes?" is about this complaint: the time the OPD has, once it is sent."""
    if asks_how_long(turn.text) and (not turn.matcher.match(turn.text).topic or named_opd(turn.text, turn.kb)
                                     or _RESPONDING.search(turn.text)):
        days = turn.kb.sla_days(data(turn).get("category"))
        turn.record("question", "complaint_time", answered=True)
        return [Reply(complaint_texts.time_to_answer(days))] + await reprompt(turn)
    return faq.answer_question(turn) + await reprompt(turn)


async def reprompt(turn: Turn) -> list[Reply]:
    """Ask the current step's question again, after a detour (help, status)."""
    return [Reply(texts.FLOW_REMINDER)] + ask_current(turn)


def ask_current(turn: Turn) -> list[Reply]:
    """Ask the current step's question (again)."""
    return ASKS.get(turn.state.get("step", "describe"), ask_describe)(turn)


def asks(turn: Turn) -> bool:
    """Tell whether a message typed at a step is a question (a question mark alone is not: "tau kan min?")."""
    return turn.choice is None and "?" in turn.text and (is_question(turn.text.replace("?", " "))
                                                         or bool(_YES_NO.match(turn.text) or _TAGGED.search(turn.text)))


# A yes-no question ("bisa minta kiriman air tangki gak dari pdam?", "boleh ga …?"): no place, no photo.
_YES_NO = re.compile(r"^\W*(?:(?:min|pak|bu|kak|eh|oh|terus|trus|trs)\W+)*(?:bisa|bisakah|boleh|bolehkah|ada|adakah|"
                     r"apa|apakah|perlu|harus|can|could|is|are|do|does|will)\b[^?]*\?", re.I)
# A question tagged at its end: "eh btw kantor dukcapil buka sabtu gak?".
_TAGGED = re.compile(r"\b(?:gak|ga|nggak|ngga|enggak|tidak|tdk|ndak|indak|kah|kan)\s*\?+\s*$", re.I)  # "gratis kan?"


def cancelled(turn: Turn) -> list[Reply]:
    """Leave the complaint not sent, as /batal does (a cancel said with a reason around it: one that fears being
    known as the reporter, "ga jadi deh, takut ketahuan", is told who sees their name first)."""
    if asks_about_privacy(turn.text):
        turn.record("question", "privacy", answered=True, text=turn.text)
        return [Reply(texts.PRIVACY)] + cancel(turn)
    return cancel(turn)


def cancel(turn: Turn) -> list[Reply]:
    """Leave the complaint in progress not sent (/batal, "ga jadi deh"), setting it aside for a while: a resident
    who changes their mind gets it back (`taken_back`)."""
    had_flow = set_aside(turn.state, turn.services.now())
    turn.state.pop("rating", None)
    turn.record("command", "batal")
    if turn.state.get("set_aside"):
        minutes = int(SET_ASIDE_FOR.total_seconds() // 60)
        return [Reply(texts.cancelled_set_aside(minutes), options=(texts.TAKE_BACK, *texts.MENU))]
    return [Reply(texts.CANCELLED if had_flow else texts.NOTHING_TO_CANCEL, options=texts.MENU)]


def location_received(turn: Turn) -> Reply:
    """Keep a place sent before its step (or with the description) and say whether it was kept."""
    where = turn.msg.location
    if store_location(turn, where.latitude, where.longitude, where.address):
        return Reply(complaint_texts.LOCATION_RECEIVED)
    return Reply(complaint_texts.location_outside(turn.kb.city.name, asking=False))


def after_opd(turn: Turn) -> list[Reply]:
    lapor = data(turn)
    opd = turn.kb.opd(lapor.get("opd"))
    if opd and opd.categories and not lapor.get("category"):
        go(turn, "pick_category")
        return ask_category(turn)
    return after_category(turn)


def after_category(turn: Turn) -> list[Reply]:
    """Ask where, unless the resident already sent the place (or skipped it, before an edit at the summary)."""
    lapor = data(turn)
    if lapor.get("latitude") is None and not lapor.get("address") and not lapor.get("location_asked"):
        go(turn, "location")
        return ask_location(turn)
    return after_location(turn)


def after_location(turn: Turn) -> list[Reply]:
    lapor = data(turn)
    lapor["location_asked"] = True
    if lapor.get("photo") or lapor.get("photo_asked"):
        return to_name(turn)
    go(turn, "photo")
    return ask_photo(turn)


def to_name(turn: Turn) -> list[Reply]:
    """Ask whether to show the resident's name; without a name (the web chat) ask for one, which may be skipped
    (the complaint is then anonymous). A name or a choice given before, or before an edit at the summary, stands."""
    lapor = data(turn)
    lapor["photo_asked"] = True
    if "show_name" in lapor or lapor.get("name"):
        lapor.setdefault("show_name", False)
        go(turn, "confirm")
        return ask_confirm(turn)
    if not turn.msg.display_name:
        go(turn, "name_typed")
        return ask_name_typed(turn)
    go(turn, "name")
    return ask_name(turn)


MAX_ALSO = 300  # characters kept of another problem told at the place step


def tells_another_problem(turn: Turn) -> bool:
    """Tell whether a message typed at the place step tells one more problem ("oh iya satu lagi, lampu jalan
    di depannya juga mati": it says "also", and the router places it surely in another category)."""
    if not says_also(turn.text):
        return False
    route = turn.router.route(turn.text)
    return (route.score >= OUTSIDE_OPD_SCORE and route.category is not None
            and route.category != data(turn).get("category"))
