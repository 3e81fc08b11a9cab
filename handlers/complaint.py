"""/lapor: the complaint flow, one step per turn, its state in the StateStore (survives restarts).

Steps: describe → route (confirm the OPD, or choose one, then a category) → location → photo →
name visibility → confirm → filed. Every step accepts /batal (handled by `start`), options by
number or label, and `lewati` on the optional ones. Filing uses the flow's id as idempotency key,
so a confirmation processed twice (a crash after filing, a retry) files one complaint.

This module reads each step's answer and files the complaint; the questions are in
`complaint_prompts`, the flow's state and word lists in `complaint_state`, the reading of corrections and
button labels in `complaint_words`, and what comes straight after filing in `complaint_filed`.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import secrets

from rapidfuzz import fuzz

from handlers import faq, texts
from handlers.complaint_prompts import (ASKS, STORY_PLACE, ask_category, ask_confirm, ask_describe, ask_location,
                                        ask_name, ask_opd, ask_opd_all, ask_photo, ask_route)
from handlers.complaint_state import (BACK, MAX_DESCRIPTION, MIN_DESCRIPTION, NO, NOT_AN_ANSWER, SET_ASIDE_FOR, clear,
                                      data, go, said_yes, says_skip, set_aside, store_location, take_back,
                                      typed_point, words)
from handlers.complaint_story import offered_report, place_told, recent, refers_to, reported, told_lately
from handlers.complaint_words import (PLACE_WORDS, about_instead, adds_detail, besides_the_photo, corrected_place, detail_of,
                                      edit_asked, hides_name, is_button_label, opens_with_yes, place_fix, place_instead,
                                      refuses, removes_name, says_also, says_cancel, typed_name)
from handlers.contact import named_opd
from handlers.context import Turn, clean_text
from knowledge.regions import named_region, own_place
from handlers.emergency import emergency_reply, is_emergency
from handlers.intents import (asks_about_privacy, asks_for_human, asks_how_long, asks_information, is_question,
                              police_matter)
from handlers.messages import Reply
from handlers.smalltalk import small_talk
from knowledge.kb import Opd
from knowledge.records.complaints import FINAL
from knowledge.records.models import ComplaintRow
from knowledge.router import OUTSIDE_OPD_SCORE

log = logging.getLogger(__name__)

# The same story (rapidfuzz token_set_ratio, 0-100), or one of the same category, told again within a day
# while the first is open is likely sent twice: the resident is asked before a second ticket is made.
REPEAT_WINDOW = dt.timedelta(days=1)
REPEAT_SIMILARITY = 90


async def handle(turn: Turn) -> list[Reply] | None:
    """Start the flow on /lapor; otherwise answer the current step when a flow is active."""
    choice = turn.choice or ""
    if choice.startswith("report:"):  # "Buat laporan" under an answer that says to report here
        return await _begin(turn, reported(turn, choice.removeprefix("report:")), told_before=True)
    if choice == texts.REPORT_ALSO.value:  # the other problem told during the last complaint
        return await _begin(turn, str(turn.state.pop("also", "")))
    command = turn.command
    if command and command[0] == "lapor":  # "yes please report it" under an answer is its "Buat laporan"
        story = _OPENING_LEFTOVER.sub("", command[1]).strip()
        if len(story) < MIN_DESCRIPTION and turn.state.get("flow") == "lapor" and data(turn).get("description"):
            # "lapor" again mid-way (at "Sudah benar?"): the complaint being written goes on, not dropped
            turn.record("command", "lapor_again")
            return [Reply(texts.DRAFT_GOES_ON)] + await reprompt(turn)
        offered = offered_report(turn, story)
        if offered and story and refers_to(turn, story, offered):  # "saya mau lapor pohonnya": that story
            story = ""
        # "tidak ada korban pak, tolong dilaporkan" after telling the problem: both are the story
        if offered and story and turn.router.route(story).score < OUTSIDE_OPD_SCORE:
            story = f"{offered}\n{story}"
        return _urgent_first(turn, await _begin(turn, story or offered, told_before=bool(offered)))
    if not turn.state.get("flow") and not command and turn.choice is None and (place := place_told(turn)):
        # "sy di jln gajah mada …" after telling a problem: where it is, kept for the report it offers
        turn.state["told_place"] = {"text": place, "at": turn.services.now().isoformat()}
        turn.record("question", "place", answered=True)
        return [Reply(texts.place_noted(place), options=(texts.REPORT, texts.ASK_AGAIN))]
    if not turn.state.get("flow") and not command and (turn.msg.photo or turn.msg.location):
        return await _begin_with_evidence(turn)
    if turn.state.get("flow") == "lapor" and choice.startswith(("faq:", "nf:")):  # a did-you-mean choice mid-way:
        return (await faq.handle(turn) or []) + await reprompt(turn)  # answered, then the step again
    if turn.state.get("flow") != "lapor" or command or choice.startswith(("fb:", "withdraw")):
        return None  # (a feedback or withdrawal button pressed mid-flow is answered; the flow waits)
    step = turn.state.get("step", "describe")
    if turn.choice is None and asks_for_human(turn.text):  # no story and no step's answer: said, then the step
        turn.record("question", "human", answered=True, text=turn.text)
        return [Reply(texts.NO_HUMAN)] + await reprompt(turn)
    if step == "describe":
        if turn.choice == texts.TOLD_STORY.value and (told := data(turn).get("told_story")):
            shown = Reply(texts.story_taken(texts.shown_description(told)))
            return _urgent_first(turn, [shown] + await _describe(turn, told))
        if not turn.msg.photo and asks_information(turn.text):  # a question typed instead: answered, then the step
            return await _aside(turn)
        if is_button_label(turn.text):  # "Buat laporan" pressed again is no story
            return ask_describe(turn)
        return _urgent_first(turn, await _describe(turn))
    said = words(turn.text)
    part = edit_asked(turn.text) if turn.choice is None and data(turn).get("opd") and step != "confirm_route" else None
    if part:  # "ubah lokasi" at any step after the OPD was settled
        replies = _edit(turn, part)
        place = corrected_place(turn.text)
        if part in PLACE_WORDS and len(place) >= 3 and words(place) != said:
            return await _location(turn, place)  # "salah alamat, maksudnya simpang DPR": the new place, given
        return replies
    if turn.choice is None and step != "describe" and says_cancel(turn.text):  # "ga jadi deh, takut ketahuan"
        return _cancelled(turn)
    if turn.choice is None and step != "describe" and (named := typed_name(turn.text)):
        return _name_given(turn, *named)
    if turn.choice is None and step != "describe" and hides_name(turn.text):  # "jangan disebut namanya"
        return _name_hidden(turn)
    if turn.choice is None and asks_about_privacy(turn.text) and (step != "describe" or is_question(turn.text)):
        # "will my neighbor see my name?" is no place or photo (a story may mention it: "…, takut ketahuan")
        turn.record("question", "privacy", answered=True, text=turn.text)
        return [Reply(texts.PRIVACY)] + await reprompt(turn)
    if turn.choice is None and said in BACK and step in _PREVIOUS and (
            _PREVIOUS[step] != "confirm_route" or turn.kb.opd(data(turn).get("opd"))):
        return _back(turn, _PREVIOUS[step])
    if is_emergency(turn.text):  # not this step's answer: the numbers first, then the step again
        return [emergency_reply(turn.kb.city)] + await reprompt(turn)
    if turn.msg.photo and step not in ("location", "photo"):  # a photo sent late: kept, not lost
        data(turn)["photo"] = turn.msg.photo.path
        return [Reply(texts.PHOTO_RECEIVED)] + ASKS[step](turn)
    if turn.msg.location and step != "location":  # a place sent early: kept, not refused
        return [_location_received(turn)] + ASKS[step](turn)
    return await STEPS.get(step, _describe)(turn)


# "kembali" goes one step back (to the proposed OPD only when there is one); the answers given before it
# stay until answered again.
_PREVIOUS = {"pick_opd": "confirm_route", "pick_opd_all": "confirm_route", "location": "confirm_route",
             "photo": "location", "name": "photo", "pick_category": "pick_opd_all"}


def _back(turn: Turn, previous: str) -> list[Reply]:
    lapor = data(turn)
    if previous == "location":
        lapor.pop("location_asked", None)
    if previous == "photo":
        lapor.pop("photo_asked", None)
    go(turn, previous)
    return ASKS[previous](turn)


def _urgent_first(turn: Turn, replies: list[Reply]) -> list[Reply]:
    """Put the emergency numbers before a complaint that tells of an emergency: an OPD answers within days."""
    if is_emergency(turn.text):
        return [emergency_reply(turn.kb.city)] + replies
    return replies


# "how long does satpol pp usually take to respond?": about the complaint's handling.
_RESPONDING = re.compile(r"\b(?:respon\w*|tanggap\w*|ditangani|menangani|datang|come|handle\w*|fix\w*|diperbaiki|"
                         r"ditindak\w*|diproses)\b", re.IGNORECASE)


async def _aside(turn: Turn) -> list[Reply]:
    """Answer a question typed in the middle of a complaint, then ask its step again; "how long until someone
    comes?" is about this complaint: the time the OPD has, once it is sent."""
    if asks_how_long(turn.text) and (not turn.matcher.match(turn.text).topic or named_opd(turn.text, turn.kb)
                                     or _RESPONDING.search(turn.text)):
        days = turn.kb.sla_days(data(turn).get("category"))
        turn.record("question", "complaint_time", answered=True)
        return [Reply(texts.time_to_answer(days))] + await reprompt(turn)
    return faq.answer_question(turn) + await reprompt(turn)


async def reprompt(turn: Turn) -> list[Reply]:
    """Ask the current step's question again, after a detour (help, status)."""
    return [Reply(texts.FLOW_REMINDER)] + ask_current(turn)


def ask_current(turn: Turn) -> list[Reply]:
    """Ask the current step's question (again)."""
    return ASKS.get(turn.state.get("step", "describe"), ask_describe)(turn)


def _start_flow(turn: Turn) -> bool:
    """Forget any complaint in progress and start a new one at the description step; return True when
    a complaint with a story was dropped."""
    told = bool((turn.state.get("lapor") or {}).get("description"))
    clear(turn.state)
    turn.state.pop("set_aside", None)  # a new complaint: "kirim yang tadi" would now be unclear
    turn.state.update(flow="lapor", flow_id=secrets.token_hex(12), lapor={})
    go(turn, "describe")
    return told


# What may stand between the word that opens a complaint and its story ("lapor lg min, …", "lapor dong pak: …").
_OPENING_LEFTOVER = re.compile(r"^(?:(?:min|admin|pak|bu|kak|bang|uda|uni|lg|lagi|ya|nih|dong|dulu|sih|please|pls|lah|deh|"
                               r"saja|aja|sj|aj|it|this|that|itu|ini|now|sekarang)\b[\s,.:;!-]*)+",
                               re.IGNORECASE)


async def _begin(turn: Turn, text: str, *, told_before: bool = False) -> list[Reply]:
    """Start a complaint ("/lapor", "Buat laporan"), saying so when that drops one not yet sent; a story the
    resident told in an earlier message (`told_before`) is shown, so they see what is reported."""
    told_place = turn.state.pop("told_place", None)  # an address given just before ("sy di jln gajah mada …")
    dropped = [Reply(texts.DRAFT_DROPPED)] if _start_flow(turn) else []
    if told_place and recent(turn, told_place.get("at")):
        data(turn)["told_place"] = told_place["text"]
    text = _OPENING_LEFTOVER.sub("", text)  # "lapor lg min, tagihan air …": the story starts at "tagihan"
    if len(text.strip()) >= MIN_DESCRIPTION:
        shown = [Reply(texts.story_taken(texts.shown_description(text)))] if told_before else []
        return dropped + shown + await _describe(turn, text)
    if told := told_lately(turn):  # told just before, not placed surely: offered, not assumed
        data(turn)["told_story"] = told
    return dropped + ask_describe(turn)


async def _begin_with_evidence(turn: Turn) -> list[Reply]:
    """A photo or a location sent out of the blue is the start of a complaint: kept, and the story asked for
    (with its caption as the story when it has one). "batal" leaves, as at every step."""
    _start_flow(turn)
    replies = await _describe(turn)
    return [Reply(texts.EVIDENCE_STORY) if r.text == texts.DESCRIBE else r for r in replies]


# --- describe and route -----------------------------------------------------------------------


async def _describe(turn: Turn, text: str | None = None) -> list[Reply]:
    lapor = data(turn)
    msg = turn.msg
    prefix: list[Reply] = []
    if msg.photo:
        lapor["photo"] = msg.photo.path
        text = text or msg.photo.caption
        prefix.append(Reply(texts.PHOTO_RECEIVED))
    if msg.location:
        prefix.append(_location_received(turn))
    description, cut = clean_text(text if text is not None else msg.text, MAX_DESCRIPTION)
    if len(description) < MIN_DESCRIPTION:
        return prefix + [Reply(texts.DESCRIBE_MORE if description else texts.DESCRIBE)]
    lapor["description"] = description
    lapor.pop("told_story", None)
    if cut:
        prefix.append(Reply(texts.DESCRIPTION_CUT))
    route = turn.router.route(description)
    candidates: list[str] = []
    for slug, _category, _score in route.candidates:
        if slug and slug not in candidates and turn.kb.opd(slug):
            candidates.append(slug)
    lapor["candidates"] = candidates[:4]
    opd = turn.kb.opd(route.opd)
    # A crime goes to the police unless the router is as sure as it must be to pass over an outside body.
    police = police_matter(f"{turn.text} {description}",  # "mau lapor polisi, hp hilang" started the flow
                           certain_opd=opd is not None and route.score >= OUTSIDE_OPD_SCORE)
    if opd is None or police:
        go(turn, "pick_opd")
        if police:
            prefix.append(Reply(texts.police_report(turn.kb.city.name)))
        elif route.elsewhere:  # "listrik padam": say whose matter it is; the resident may still choose an OPD
            prefix.append(Reply(texts.complaint_elsewhere(route.elsewhere, turn.kb.city.name)))
        return prefix + ask_opd(turn)
    lapor["opd"] = opd.slug
    category = turn.kb.category(route.category)
    lapor["category"] = category.code if category and category.opd == opd.slug else None
    go(turn, "confirm_route")
    return prefix + ask_route(turn)


async def _confirm_route(turn: Turn) -> list[Reply]:
    word = words(turn.text)
    if turn.choice == "route:ok" or (turn.choice is None and said_yes(turn.text)):
        return _after_opd(turn)
    refused = turn.choice is None and refuses(turn.text)  # "bukan itu instansinya", "bukan, ini harusnya ke BPBD"
    if refused and (named := named_opd(turn.text, turn.kb)) is not None:
        lapor = data(turn)
        lapor["opd"], lapor["category"] = named.slug, None
        turn.record("complaint_step", "opd", opd=named.slug)
        return _after_opd(turn)
    if refused and (about := about_instead(turn.text)):  # "bukan, iko soal jalan balubang": the story grows
        return await _story_grows(turn, about)
    if turn.choice == "route:other" or (turn.choice is None and word in NO) or refused:
        return _other_offices(turn)
    if turn.choice is None and (why := _QUESTIONED.match(turn.text)):  # "lho kok perhubungan? ini soal bansos PKH"
        rest = why.group("rest").strip()  # what it is about, said: the story grows and is routed again
        return await _story_grows(turn, rest) if adds_detail(rest) else _other_offices(turn)
    if _asks(turn):  # a question, not a choice: answered, then the choice asked again
        return await _aside(turn)
    if turn.choice is None and (other := _typed_beside(turn)) is not None:
        return other
    if turn.choice is None and opens_with_yes(turn.text) and _tells_another_problem(turn):
        data(turn)["also"] = turn.text[:MAX_ALSO]  # "iya. oh iya di situ juga ada juru parkir liar": yes, and one more
        return [Reply(texts.ANOTHER_PROBLEM)] + _after_opd(turn)
    if turn.choice is None and adds_detail(turn.text):  # "sebenarnya yg lebih parah itu …": the story grows
        return await _story_grows(turn, turn.text)
    return [Reply(texts.PICK_ONE)] + ask_route(turn)


def _other_offices(turn: Turn) -> list[Reply]:
    """Ask which office instead of the one proposed (not offered again; "Lainnya" still lists every one)."""
    lapor = data(turn)
    lapor["candidates"] = [slug for slug in lapor.get("candidates", []) if slug != lapor.get("opd")]
    go(turn, "pick_opd")
    return ask_opd(turn)


async def _story_grows(turn: Turn, more: str) -> list[Reply]:
    """Add what the resident said to the story and route it again."""
    turn.record("complaint_step", "detail_added")
    return [Reply(texts.DETAIL_TAKEN)] + await _describe(turn, f"{data(turn).get('description', '')}\n{more}")


# Questioning the office proposed: "lho kok perhubungan? ini soal bansos PKH saya", "kok dinas perdagangan? ini
# selokan".
_QUESTIONED = re.compile(r"^\W*(?:(?:lho|loh|lah|eh|lo)\s+)?kok\b[^?!.]{0,40}[?!.]+\s*(?P<rest>.*)$",
                         re.IGNORECASE | re.S)


# Sending the complaint to another office, said in a longer message: "eh kayaknya ini lebih ke sampah ya, ke DLH aja
# deh", "harusnya ke dinas sosial".
_TO_OFFICE = re.compile(r"\b(?:ke|sama|ka)\s+\w+(?:\s+\w+){0,3}\s+(?:aja|saja|sj|aj|ajo|sajo)\b|"
                        r"\b(?:harusnya|seharusnya|mestinya|sebaiknya)\s+(?:ke|ka)\b|\b(?:send|forward)\s+it\s+to\b",
                        re.IGNORECASE)


def _typed_beside(turn: Turn) -> list[Reply] | None:
    """Read what a resident types at the route question or the summary instead of answering it: a cancel with a
    reason ("ga jd deh, tkt ktahuan"), or another OPD named in a few words ("ke PDAM aja deh"); else None."""
    if says_cancel(turn.text):
        return _cancelled(turn)
    few = len(turn.text.split()) <= _NAMING_WORDS
    named = named_opd(turn.text, turn.kb) if few or _TO_OFFICE.search(turn.text) else None
    if named is not None:
        lapor = data(turn)
        lapor["opd"], lapor["category"] = named.slug, None
        turn.record("complaint_step", "opd", opd=named.slug)
        return _after_opd(turn)
    return None


_NAMING_WORDS = 5  # "ke PDAM aja deh": a longer message naming an office tells more of the story


def _cancelled(turn: Turn) -> list[Reply]:
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


async def taken_back(turn: Turn) -> list[Reply]:
    """Bring back the complaint cancelled a little earlier, at the step it was left (or say it is gone)."""
    if turn.state.get("flow"):  # an old "Lanjutkan laporan" button pressed during another complaint
        return await reprompt(turn)
    if not take_back(turn.state, turn.services.now()):
        return [Reply(texts.TAKE_BACK_GONE, options=texts.MENU)]
    turn.record("complaint_step", "taken_back", opd=data(turn).get("opd"))
    return [Reply(texts.TAKEN_BACK)] + ask_current(turn)


def _asks(turn: Turn) -> bool:
    """Tell whether a message typed at a step is a question (a question mark alone is not: "tau kan min?")."""
    return turn.choice is None and "?" in turn.text and (is_question(turn.text.replace("?", " "))
                                                         or bool(_YES_NO.match(turn.text)))


# A yes-no question ("bisa minta kiriman air tangki gak dari pdam?", "boleh ga …?"): no place, no photo.
_YES_NO = re.compile(r"^\W*(?:(?:min|pak|bu|kak|eh|oh|terus|trus|trs)\W+)*(?:bisa|bisakah|boleh|bolehkah|ada|adakah|"
                     r"apa|apakah|perlu|harus|can|could|is|are|do|does|will)\b[^?]*\?", re.I)


async def _same_as_recent(turn: Turn, resident_id: int, description: str, category: str | None) -> ComplaintRow | None:
    """Return the resident's open complaint of the last day that tells the same story or is of the same
    category (reworded: "tagihan pdam sy 800rb" and then "tagihan air sy bengkak jadi 800 ribu"), if any."""
    since = turn.services.now() - REPEAT_WINDOW
    for row in await turn.services.complaints.list_for_resident(turn.session, resident_id):
        if row.created_at < since:
            break  # newest first
        if row.status not in FINAL and ((category and row.category_code == category)
                                        or fuzz.token_set_ratio(row.description, description) >= REPEAT_SIMILARITY):
            return row
    return None


def _typed_opd(turn: Turn) -> Opd | None:
    """Return the OPD a resident typed by its short name or slug ("dlh", "Dinas Sosial")."""
    word = words(turn.text)
    for opd in turn.kb.opds:
        if word and word in (opd.slug, (opd.short_name or "").lower(), opd.name.lower()):
            return opd
    return None


async def _pick_opd(turn: Turn) -> list[Reply]:
    if turn.choice == "opd:*":
        turn.state["step"] = "pick_opd_all"
        return ask_opd_all(turn)
    opd = turn.kb.opd(turn.choice[4:]) if turn.choice and turn.choice.startswith("opd:") else _typed_opd(turn)
    if opd is None and turn.choice is None and len(turn.text.split()) <= _NAMING_WORDS:
        opd = named_opd(turn.text, turn.kb)  # "damkar aja", "ke dinsos"
    if opd is None:
        if turn.choice is None and small_talk(turn.text) in ("thanks", "bye"):
            # "oh ok makasih" after the police note: the resident has what they needed; no complaint is made.
            # A bare "ya" or "hmm" answers no step: the choice is asked again.
            clear(turn.state)
            turn.record("complaint_step", "left")
            return [Reply(texts.NOT_FILED, options=texts.MENU)]
        if turn.choice is None and is_question(turn.text):  # "berapa nomor polisi": answered, then the step again
            return await _aside(turn)
        ask = ask_opd_all if turn.state.get("step") == "pick_opd_all" else ask_opd
        return [Reply(texts.PICK_ONE)] + ask(turn)
    lapor = data(turn)
    if opd.slug != lapor.get("opd"):  # the office proposed chosen again from the list keeps its category
        lapor["opd"], lapor["category"] = opd.slug, None
    turn.record("complaint_step", "opd", opd=opd.slug)
    return _after_opd(turn)


def _after_opd(turn: Turn) -> list[Reply]:
    lapor = data(turn)
    opd = turn.kb.opd(lapor.get("opd"))
    if opd and opd.categories and not lapor.get("category"):
        go(turn, "pick_category")
        return ask_category(turn)
    return _after_category(turn)


def _after_category(turn: Turn) -> list[Reply]:
    """Ask where, unless the resident already sent the place (or skipped it, before an edit at the summary)."""
    lapor = data(turn)
    if lapor.get("latitude") is None and not lapor.get("address") and not lapor.get("location_asked"):
        go(turn, "location")
        return ask_location(turn)
    return _after_location(turn)


def _after_location(turn: Turn) -> list[Reply]:
    lapor = data(turn)
    lapor["location_asked"] = True
    if lapor.get("photo") or lapor.get("photo_asked"):
        return _to_name(turn)
    go(turn, "photo")
    return ask_photo(turn)


def _to_name(turn: Turn) -> list[Reply]:
    """Ask whether to show the resident's name; without a name to show (the web chat) the complaint is
    anonymous, and a choice made before an edit at the summary stands."""
    lapor = data(turn)
    lapor["photo_asked"] = True
    if not turn.msg.display_name or "show_name" in lapor:
        lapor.setdefault("show_name", False)
        go(turn, "confirm")
        return ask_confirm(turn)
    go(turn, "name")
    return ask_name(turn)


async def _pick_category(turn: Turn) -> list[Reply]:
    lapor = data(turn)
    if not (turn.choice and turn.choice.startswith("cat:")):
        if says_skip(turn.text):
            turn.choice = "cat:-"
        else:
            return [Reply(texts.PICK_ONE)] + ask_category(turn)
    category = turn.kb.category(turn.choice[4:])
    lapor["category"] = category.code if category and category.opd == lapor.get("opd") else None
    return _after_category(turn)


# --- location, photo, name --------------------------------------------------------------------


def _location_received(turn: Turn) -> Reply:
    """Keep a place sent before its step (or with the description) and say whether it was kept."""
    where = turn.msg.location
    if store_location(turn, where.latitude, where.longitude, where.address):
        return Reply(texts.LOCATION_RECEIVED)
    return Reply(texts.location_outside(turn.kb.city.name, asking=False))



async def _location(turn: Turn, typed_place: str | None = None) -> list[Reply]:
    """Take the place of the complaint: a pin, coordinates or an address typed (`typed_place` when the
    correction of an earlier one gave it), or a skip."""
    msg = turn.msg
    pin = (msg.location.latitude, msg.location.longitude, msg.location.address) if msg.location else None
    typed = None if pin else typed_point(turn.text)
    if typed:
        pin = (*typed, None)
    if pin:
        if not store_location(turn, *pin):  # a pin outside the city: ask again
            return [Reply(texts.location_outside(turn.kb.city.name, asking=True), options=(texts.SKIP,),
                          request="location")]
    elif msg.photo:  # a photo sent early: keep it, still ask for the place
        data(turn)["photo"] = msg.photo.path
        return [Reply(texts.PHOTO_RECEIVED)] + ask_location(turn)
    elif _asks(turn):  # a question, not a place: answer it, then ask again
        return await _aside(turn)
    elif turn.choice == "skip" or says_skip(turn.text):
        pass
    elif data(turn).get("story_place") and (turn.choice == STORY_PLACE
                                            or (turn.choice is None and said_yes(turn.text))):
        store_location(turn, None, None, data(turn)["story_place"])  # the street the story named, confirmed
    elif is_button_label(turn.text) or words(turn.text) in NOT_AN_ANSWER:  # "Ya, kirim", "makasih": no address
        return [Reply(texts.LOCATION_AGAIN, options=(texts.SKIP,), request="location")]
    elif typed_place is None and _tells_another_problem(turn):  # "oh iya satu lagi, lampu jalan … juga mati"
        data(turn)["also"] = turn.text[:MAX_ALSO]
        turn.record("complaint_step", "another_problem")
        return [Reply(texts.ANOTHER_PROBLEM)] + ask_location(turn)
    elif len(turn.text) >= 3:
        address = typed_place or corrected_place(turn.text)
        store_location(turn, None, None, address)
        elsewhere = _address_elsewhere(turn, address)
        if elsewhere:  # kept (the resident may know better), but said: "ubah lokasi" changes it
            return [Reply(texts.address_elsewhere(elsewhere, turn.kb.city.name))] + _after_location(turn)
    else:
        return [Reply(texts.LOCATION_SHORT, options=(texts.SKIP,), request="location")]
    return _after_location(turn)


def _place_fixed(turn: Turn) -> Reply | None:
    """Amend the address typed with the part a correction gives ("eh salah, blok G no 5 maksudnya"): kept beside
    it, since it may correct only a part ("komplek wisma indah 3 blok F, lapai (ralat: blok G no 5)")."""
    address = str(data(turn).get("address") or "")
    fix = place_fix(turn.text) if address else None
    if not fix:
        return None
    store_location(turn, None, None, texts.amended_place(address, fix))
    turn.record("complaint_step", "place_corrected")
    return Reply(texts.PLACE_CHANGED)


MAX_ALSO = 300  # characters kept of another problem told at the place step
EDIT_CHOICE = "edit:"  # texts.EDIT_OPTIONS: the part of the complaint to change


def _tells_another_problem(turn: Turn) -> bool:
    """Tell whether a message typed at the place step tells one more problem ("oh iya satu lagi, lampu jalan
    di depannya juga mati": it says "also", and the router places it surely in another category)."""
    if not says_also(turn.text):
        return False
    route = turn.router.route(turn.text)
    return (route.score >= OUTSIDE_OPD_SCORE and route.category is not None
            and route.category != data(turn).get("category"))


# A street, lane or estate named after a city ("Jl. Bandung", "Gg. Jakarta") names no place of its own.
_STREET_NAME = re.compile(r"\b(?:jl|jln|jalan|gg|gang|lr|lorong|komp|komplek|kompleks|perum|perumahan)\.?\s+\w+",
                          re.IGNORECASE)


def _address_elsewhere(turn: Turn, address: str) -> str | None:
    """Return the other city or regency a typed address names (knowledge.regions), unless it also names one
    of the city's kelurahan or kecamatan."""
    lapor = data(turn)
    if lapor.get("kelurahan") or lapor.get("kecamatan"):
        return None
    normalizer = turn.matcher.normalizer
    named = named_region(_STREET_NAME.sub(" ", address), normalizer.regions, own_place(turn.kb.city.name))
    return named[0].title() if named else None


async def _photo(turn: Turn) -> list[Reply]:
    if turn.msg.photo:
        data(turn)["photo"] = turn.msg.photo.path
    elif not (turn.choice == "skip" or says_skip(turn.text)):
        if _asks(turn):  # "eh btw syarat bikin kk baru apa ya?": answered, then the photo asked again
            return await _aside(turn)
        if turn.choice is None and (moved := place_instead(turn.text, str(data(turn).get("address") or ""))):
            store_location(turn, None, None, moved)  # "eh maaf salah, bukan di indarung, tapi di …"
            turn.record("complaint_step", "place_corrected")
            return [Reply(texts.PLACE_CHANGED)] + ask_photo(turn)
        if turn.choice is None and (fixed := _place_fixed(turn)):  # "eh salah, blok G no 5 maksudnya"
            return [fixed] + ask_photo(turn)
        detail = besides_the_photo(turn.text) if turn.choice is None else ""
        if detail and adds_detail(detail):  # "fotonyo beko ambo kirim, lampunyo tiang nomor 45": the pole's number
            return [_add_detail(turn, detail)] + ask_photo(turn)
        return [Reply(texts.PHOTO_AGAIN, options=(texts.SKIP,), request="photo")]
    return _to_name(turn)


def _add_detail(turn: Turn, detail: str | None = None) -> Reply:
    """Add what the resident typed (or the `detail` of it) to the story ("tambahkan: kemarin anak tetangga digigit"),
    and say so."""
    lapor = data(turn)
    lapor["description"] = clean_text(f"{lapor['description']}\n{detail_of(detail or turn.text)}", MAX_DESCRIPTION)[0]
    turn.record("complaint_step", "detail_added")
    return Reply(texts.DETAIL_TAKEN)


async def _name(turn: Turn) -> list[Reply]:
    word = words(turn.text)
    if turn.choice == "name:show" or (turn.choice is None and word in {"tampilkan", "tampilkan nama", "ya"}):
        data(turn)["show_name"] = True
    elif turn.choice in ("name:anon", "skip") or word in {"anonim", "anonymous", "rahasiakan"} or says_skip(word):
        data(turn)["show_name"] = False
    elif _asks(turn):  # a question at the name step: answered, then the step again
        return await _aside(turn)
    else:
        return [Reply(texts.PICK_ONE)] + ask_name(turn)
    go(turn, "confirm")
    return ask_confirm(turn)


def _name_given(turn: Turn, name: str, shown: bool) -> list[Reply]:
    """Put the name a resident typed on the complaint (the web chat knows no name), published only when they say it
    may be; then the step."""
    lapor = data(turn)
    lapor["name"], lapor["show_name"] = name, shown
    turn.record("complaint_step", "name_given")
    if turn.state.get("step") == "name":
        go(turn, "confirm")
    return [Reply(texts.name_taken(name, shown))] + ask_current(turn)


def _name_hidden(turn: Turn) -> list[Reply]:
    """Keep the reporter's name out of publication ("jangan disebut namanya", "anonim saja"), or remove the name
    given ("hapus nama saya"); then the step."""
    lapor = data(turn)
    lapor["show_name"] = False
    if removes_name(turn.text):
        lapor.pop("name", None)
    turn.record("complaint_step", "name_hidden")
    if turn.state.get("step") == "name":
        go(turn, "confirm")
    return [Reply(texts.NAME_HIDDEN)] + ask_current(turn)


# --- confirm and file -------------------------------------------------------------------------


async def _confirm(turn: Turn) -> list[Reply]:
    if not (turn.choice == "confirm:yes" or (turn.choice is None and said_yes(turn.text))):
        if _asks(turn):  # "eh btw syarat akta kematian apa?" at the summary: answered, then asked again
            return await _aside(turn)
        if turn.choice and turn.choice.startswith(EDIT_CHOICE):  # a part picked to change
            return _edit(turn, turn.choice.removeprefix(EDIT_CHOICE))
        if turn.choice is None and (other := _typed_beside(turn)) is not None:
            return other
        if turn.choice is None and (moved := place_instead(turn.text, str(data(turn).get("address") or ""))):
            store_location(turn, None, None, moved)  # "salah, bukan di indarung tapi di lubuk begalung"
            turn.record("complaint_step", "place_corrected")
            return [Reply(texts.PLACE_CHANGED)] + ask_confirm(turn)
        if turn.choice is None and (fixed := _place_fixed(turn)):
            return [fixed] + ask_confirm(turn)
        if turn.choice is None and refuses(turn.text):  # "eh salah, bukan no 12 tapi no 21": which part?
            return [Reply(texts.WHICH_PART, options=texts.EDIT_OPTIONS)]
        if turn.choice is None and adds_detail(turn.text):  # "it's near the Alfamart, smells terrible": to the story
            _add_detail(turn)
            return [Reply(texts.DETAIL_ADDED)] + ask_confirm(turn)
        return [Reply(texts.CONFIRM_AGAIN)] + ask_confirm(turn)
    lapor = data(turn)
    opd = turn.kb.opd(lapor.get("opd"))
    if opd is None:
        go(turn, "pick_opd")
        return ask_opd(turn)
    resident = await turn.resident()
    if not lapor.get("repeat_ok"):
        same = await _same_as_recent(turn, resident.id, lapor["description"], lapor.get("category"))
        if same is not None:  # sent twice by mistake? A second yes files it all the same.
            lapor["repeat_ok"] = True
            turn.record("complaint_step", "repeat_warned", data={"ticket": same.ticket})
            return [Reply(texts.same_complaint(same.ticket), options=(texts.SEND, texts.CANCEL))]
    if lapor.get("name"):  # the name the resident typed ("nama saya Rahmat Hidayat") is the one the OPD sees
        resident.display_name = lapor["name"]
    row = await turn.services.complaints.file(
        turn.session, resident=resident, opd=opd.slug, category=lapor.get("category"),
        description=lapor["description"], latitude=lapor.get("latitude"), longitude=lapor.get("longitude"),
        address=lapor.get("address"), photo_path=lapor.get("photo"), show_name=bool(lapor.get("show_name")),
        idempotency_key=turn.state["flow_id"], kelurahan=lapor.get("kelurahan"), kecamatan=lapor.get("kecamatan"))
    # Commit now: the complaint must exist before the flow is forgotten (a retry finds it by key).
    await turn.session.commit()
    clear(turn.state)
    turn.state.pop("last_question", None)  # a follow-up now is about the complaint, not the answer before it
    turn.state.pop("told", None)  # and what was told before it is reported
    turn.state["filed"] = {"ticket": row.ticket, "at": turn.services.now().isoformat(), "opd": opd.slug,
                           "due": row.due_date.isoformat()}
    turn.record("complaint_step", "filed", opd=opd.slug, data={"ticket": row.ticket})
    filed = [Reply(texts.filed(row.ticket, opd.label, row.due_date), options=texts.MENU, kind="filed")]
    if lapor.get("also"):  # the other problem told at the place step: now it may be reported too
        turn.state["also"] = lapor["also"]
        filed.append(Reply(texts.also_mentioned(lapor["also"]), options=(texts.REPORT_ALSO, texts.ASK_AGAIN)))
    return filed


def _edit(turn: Turn, part: str) -> list[Reply]:
    """Go back from the summary to the step that sets one part of the complaint; the steps after it
    that are already answered are skipped on the way back to the summary."""
    lapor = data(turn)
    if part in ("lokasi", "alamat", "tempat", "location", "address"):
        for key in ("latitude", "longitude", "address", "kelurahan", "kecamatan", "location_asked"):
            lapor.pop(key, None)
        go(turn, "location")
        return ask_location(turn)
    if part in ("foto", "gambar", "photo"):
        lapor.pop("photo", None)
        lapor.pop("photo_asked", None)
        go(turn, "photo")
        return ask_photo(turn)
    if part in ("masalah", "cerita", "keterangan", "deskripsi"):
        lapor.pop("description", None)
        go(turn, "describe")
        return ask_describe(turn)
    if part in ("kategori", "jenis"):
        lapor["category"] = None
        go(turn, "pick_category")
        return ask_category(turn)
    lapor["category"] = None
    go(turn, "pick_opd_all")
    return ask_opd_all(turn)


STEPS = {
    "describe": _describe,
    "confirm_route": _confirm_route,
    "pick_opd": _pick_opd,
    "pick_opd_all": _pick_opd,
    "pick_category": _pick_category,
    "location": _location,
    "photo": _photo,
    "name": _name,
    "confirm": _confirm,
}
