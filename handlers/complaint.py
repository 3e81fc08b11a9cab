"""/lapor: the complaint flow, one step per turn, its state in the StateStore (survives restarts).

Steps: describe → route (confirm the OPD, or choose one, then a category) → location → photo →
name visibility → confirm → filed. Every step accepts /batal (handled by `start`), options by
number or label, and `lewati` on the optional ones. Filing uses the flow's id as idempotency key,
so a confirmation processed twice (a crash after filing, a retry) files one complaint.

This module starts the flow, hands each turn to its step and files the complaint at the summary. The steps are
in `complaint_route` (story, office, category) and `complaint_place` (place, photo, name), what they share in
`complaint_flow`; the questions are in `complaint_prompts`, the flow's state and word lists in
`complaint_state`, the story told before a report in `complaint_story`, the reading of corrections and button
labels in `complaint_words`, and what comes straight after filing in `complaint_filed`.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import secrets

from rapidfuzz import fuzz

from handlers import complaint_texts, faq, texts
from handlers.asks import asks_about_privacy, asks_for_human, asks_if_reporting_costs
from handlers.complaint_flow import ask_current, aside, asks, cancelled, location_received, reprompt, urgent_first
from handlers.complaint_place import (location_step, name_given, name_hidden, name_removed, name_step, name_typed_step,
                                      photo_step, place_fixed)
from handlers.complaint_prompts import (ASKS, ask_category, ask_confirm, ask_describe, ask_location, ask_opd,
                                        ask_opd_all, ask_photo)
from handlers.complaint_route import (add_detail, asked_instead, confirm_route, describe, office_instead,
                                      pick_category, pick_opd, to_office, typed_beside)
from handlers.complaint_state import (BACK, MIN_DESCRIPTION, clear, data, go, said_yes, says_skip, store_location,
                                      take_back, words)
from handlers.complaint_story import offered_report, place_told, recent, refers_to, reported, told_lately
from handlers.complaint_names import bare_name, hides_name, typed_name
from handlers.complaint_words import (NAME_WORDS, OFFICE_WORDS, PLACE_WORDS, adds_detail, back_to_report,
                                      corrected_place, edit_asked, is_button_label, place_instead, refuses, says_cancel,
                                      story_fix)
from handlers.contact import named_opd
from handlers.context import Turn
from handlers.emergency import emergency_reply, is_emergency
from handlers.intents import asks_information, is_question
from handlers.messages import Reply
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
    if choice == complaint_texts.REPORT_ALSO.value:  # the other problem told during the last complaint
        return await _begin(turn, str(turn.state.pop("also", "")))
    command = turn.command
    if command and command[0] == "lapor":  # "yes please report it" under an answer is its "Buat laporan"
        story = _OPENING_LEFTOVER.sub("", command[1]).strip()
        if len(story) < MIN_DESCRIPTION and turn.state.get("flow") == "lapor" and data(turn).get("description"):
            # "lapor" again mid-way (at "Sudah benar?"): the complaint being written goes on, not dropped
            turn.record("command", "lapor_again")
            return [Reply(complaint_texts.DRAFT_GOES_ON)] + await reprompt(turn)
        story_named = typed_name(story) if story else None  # "saya ingin membuat laporan. Atas nama Bu Wati."
        named = story_named or typed_name(turn.text)  # "nama saya Yusrizal, saya mau lapor …"
        story = "" if story_named else story
        offered = offered_report(turn, story)
        if offered and story and refers_to(turn, story, offered):  # "saya mau lapor pohonnya": that story
            story = ""
        # "tidak ada korban pak, tolong dilaporkan" after telling the problem: both are the story
        if offered and story and turn.router.route(story).score < OUTSIDE_OPD_SCORE:
            story = f"{offered}\n{story}"
        replies = await _begin(turn, story or offered, told_before=bool(offered))
        if named:  # the complaint's name, as if typed at a step
            data(turn)["name"], data(turn)["show_name"] = named
        return urgent_first(turn, replies)
    if not turn.state.get("flow") and not command and turn.choice is None and (place := place_told(turn)):
        # "sy di jln gajah mada …" after telling a problem: where it is, kept for the report it offers
        turn.state["told_place"] = {"text": place, "at": turn.services.now().isoformat()}
        turn.record("question", "place", answered=True)
        return [Reply(complaint_texts.place_noted(place), options=(texts.REPORT, texts.ASK_AGAIN))]
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
        if turn.choice == complaint_texts.TOLD_STORY.value and (told := data(turn).get("told_story")):
            shown = Reply(complaint_texts.story_taken(complaint_texts.shown_description(told)))
            return urgent_first(turn, [shown] + await describe(turn, told))
        if not turn.msg.photo and asks_information(turn.text):  # a question typed instead: answered, then the step
            return await aside(turn)
        if is_button_label(turn.text):  # "Buat laporan" pressed again is no story
            return ask_describe(turn)
        return urgent_first(turn, await describe(turn))
    said = words(turn.text)
    name_asked = data(turn).pop("name_asked", False)
    if name_asked and turn.choice is None and (name := bare_name(turn.text)):
        return name_given(turn, name, False)  # asked for after "ubah nama": "Dedi Kurniawan"
    if name_asked and (turn.choice == "skip" or says_skip(turn.text)):  # "lewati" after "ubah nama": no name
        return name_removed(turn)
    part = edit_asked(turn.text) if turn.choice is None and data(turn).get("opd") and step != "confirm_route" else None
    if part:  # "ubah lokasi" at any step after the OPD was settled
        if part in OFFICE_WORDS and (named := named_opd(turn.text, turn.kb)) is not None:
            return to_office(turn, named)  # "instansinya salah tu, hrsnya dinas lingkungan hidup": that one
        replies = _edit(turn, part)
        place = corrected_place(turn.text)
        if part in PLACE_WORDS and len(place) >= 3 and words(place) != said:
            return await location_step(turn, place)  # "salah alamat, maksudnya simpang DPR": the new place, given
        return replies
    if turn.choice is None and step != "describe" and back_to_report(turn.text):  # "ok balik ke laporan tadi"
        return ask_current(turn)
    if turn.choice is None and step != "describe" and (office := office_instead(turn)) is not None:
        return to_office(turn, office)  # "eh ga jadi, ke dishub aja deh": that office, not a cancel
    if turn.choice is None and step != "describe" and says_cancel(turn.text):  # "ga jadi deh, takut ketahuan"
        return cancelled(turn)
    if turn.choice is None and step != "describe" and (named := typed_name(turn.text)):
        return name_given(turn, *named)
    if turn.choice is None and step != "describe" and hides_name(turn.text):  # "jangan disebut namanya"
        return name_hidden(turn)
    if turn.choice is None and step != "describe" and asks_if_reporting_costs(turn.text):  # "ini gratis kan lapor?"
        turn.record("question", "report_cost", answered=True)
        return [Reply(texts.REPORTING_FREE)] + await reprompt(turn)
    if turn.choice is None and asks_about_privacy(turn.text) and (step != "describe" or is_question(turn.text)):
        # "will my neighbor see my name?" is no place or photo (a story may mention it: "…, takut ketahuan")
        turn.record("question", "privacy", answered=True, text=turn.text)
        return [Reply(texts.PRIVACY)] + await reprompt(turn)
    if turn.choice is None and said in BACK and step in _PREVIOUS and (
            _PREVIOUS[step] != "confirm_route" or turn.kb.opd(data(turn).get("opd"))):
        return _back(turn, _PREVIOUS[step])
    if is_emergency(turn.text):  # not this step's answer: the numbers first, then the step again
        first = [emergency_reply(turn.kb.city, turn.text)]
        if step != "describe" and data(turn).get("description") and adds_detail(turn.text):
            first.append(add_detail(turn))  # "sekalian kabel listriknya jg putus kena pohon": for the office too
        return first + await reprompt(turn)
    if turn.msg.photo and step not in ("location", "photo"):  # a photo sent late: kept, not lost
        data(turn)["photo"] = turn.msg.photo.path
        return [Reply(complaint_texts.PHOTO_RECEIVED)] + ASKS[step](turn)
    if turn.msg.location and step != "location":  # a place sent early: kept, not refused
        return [location_received(turn)] + ASKS[step](turn)
    return await STEPS.get(step, describe)(turn)


# "kembali" goes one step back (to the proposed OPD only when there is one); the answers given before it
# stay until answered again.
_PREVIOUS = {"pick_opd": "confirm_route", "pick_opd_all": "confirm_route", "location": "confirm_route",
             "photo": "location", "name": "photo", "name_typed": "photo", "pick_category": "pick_opd_all"}


def _back(turn: Turn, previous: str) -> list[Reply]:
    lapor = data(turn)
    if previous == "location":
        lapor.pop("location_asked", None)
    if previous == "photo":
        lapor.pop("photo_asked", None)
    go(turn, previous)
    return ASKS[previous](turn)


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
_OPENING_LEFTOVER = re.compile(r"^(?:(?:min|admin|pak|bu|kak|bang|uda|uni|lg|lagi|ya|nih|dong|dulu|sih|please|pls|"
                               r"lah|deh|about|tentang|soal|mengenai|bahwa|"
                               r"saja|aja|sj|aj|it|this|that|itu|ini|now|sekarang)\b[\s,.:;!-]*)+",
                               re.IGNORECASE)


async def _begin(turn: Turn, text: str, *, told_before: bool = False) -> list[Reply]:
    """Start a complaint ("/lapor", "Buat laporan"), saying so when that drops one not yet sent; a story the
    resident told in an earlier message (`told_before`) is shown, so they see what is reported."""
    told_place = turn.state.pop("told_place", None)  # an address given just before ("sy di jln gajah mada …")
    dropped = [Reply(complaint_texts.DRAFT_DROPPED)] if _start_flow(turn) else []
    if told_place and recent(turn, told_place.get("at")):
        data(turn)["told_place"] = told_place["text"]
    text = _OPENING_LEFTOVER.sub("", text)  # "lapor lg min, tagihan air …": the story starts at "tagihan"
    told = told_lately(turn) if len(text.strip()) < MIN_DESCRIPTION else ""
    for told_key in ("told", "last_question"):  # what was told is this complaint's now: no later report takes it
        turn.state.pop(told_key, None)
    if len(text.strip()) >= MIN_DESCRIPTION:
        shown = [Reply(complaint_texts.story_taken(complaint_texts.shown_description(text)))] if told_before else []
        return dropped + shown + await describe(turn, text)
    if told:  # told just before, not placed surely: offered, not assumed
        data(turn)["told_story"] = told
    return dropped + ask_describe(turn)


async def _begin_with_evidence(turn: Turn) -> list[Reply]:
    """A photo or a location sent out of the blue is the start of a complaint: kept, and the story asked for
    (with its caption as the story when it has one). "batal" leaves, as at every step."""
    _start_flow(turn)
    replies = await describe(turn)
    return [Reply(complaint_texts.EVIDENCE_STORY) if r.text == complaint_texts.DESCRIBE else r for r in replies]


async def taken_back(turn: Turn) -> list[Reply]:
    """Bring back the complaint cancelled a little earlier, at the step it was left (or say it is gone)."""
    if turn.state.get("flow"):  # an old "Lanjutkan laporan" button pressed during another complaint
        return await reprompt(turn)
    if not take_back(turn.state, turn.services.now()):
        return [Reply(texts.TAKE_BACK_GONE, options=texts.MENU)]
    turn.record("complaint_step", "taken_back", opd=data(turn).get("opd"))
    return [Reply(texts.TAKEN_BACK)] + ask_current(turn)


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


EDIT_CHOICE = "edit:"  # complaint_texts.EDIT_OPTIONS: the part of the complaint to change


async def _confirm(turn: Turn) -> list[Reply]:
    if not (turn.choice == "confirm:yes" or (turn.choice is None and said_yes(turn.text))):
        if asks(turn):  # "eh btw syarat akta kematian apa?" at the summary: answered, then asked again
            return await aside(turn)
        if turn.choice and turn.choice.startswith(EDIT_CHOICE):  # a part picked to change
            return _edit(turn, turn.choice.removeprefix(EDIT_CHOICE))
        if turn.choice and turn.choice.startswith("opd:") and (chosen := turn.kb.opd(turn.choice[4:])) is not None:
            return to_office(turn, chosen)  # asked about at the summary (asked_instead), chosen
        if turn.choice == "route:ok":  # and the office kept
            return ask_confirm(turn)
        if turn.choice is None and (asked := asked_instead(turn)) is not None:
            return asked  # "bukannya satpol pp yg nertibin?"
        if turn.choice is None and (other := typed_beside(turn)) is not None:
            return other
        if turn.choice is None and (moved := place_instead(turn.text, str(data(turn).get("address") or ""))):
            store_location(turn, None, None, moved)  # "salah, bukan di indarung tapi di lubuk begalung"
            turn.record("complaint_step", "place_corrected")
            return [Reply(complaint_texts.place_changed(moved))] + ask_confirm(turn)
        if turn.choice is None and (fixed := place_fixed(turn)):
            return [fixed] + ask_confirm(turn)
        if turn.choice is None and (fix := story_fix(turn.text, data(turn).get("description", ""))):
            add_detail(turn, fix)  # "bukan km 10 tp km 12": kept as a correction of the story
            return [Reply(complaint_texts.DETAIL_ADDED)] + ask_confirm(turn)
        if turn.choice is None and refuses(turn.text):  # "eh salah, bukan no 12 tapi no 21": which part?
            return [Reply(complaint_texts.WHICH_PART, options=complaint_texts.EDIT_OPTIONS)]
        if turn.choice is None and adds_detail(turn.text):  # "it's near the Alfamart, smells terrible": to the story
            add_detail(turn)
            return [Reply(complaint_texts.DETAIL_ADDED)] + ask_confirm(turn)
        return [Reply(complaint_texts.CONFIRM_AGAIN)] + ask_confirm(turn)
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
            return [Reply(complaint_texts.same_complaint(same.ticket), options=(texts.SEND, texts.CANCEL))]
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
    filed = [Reply(complaint_texts.filed(row.ticket, opd.label, row.due_date), options=texts.MENU, kind="filed")]
    if lapor.get("also"):  # the other problem told at the place step: now it may be reported too
        turn.state["also"] = lapor["also"]
        filed.append(Reply(complaint_texts.also_mentioned(lapor["also"]),
                           options=(complaint_texts.REPORT_ALSO, texts.ASK_AGAIN)))
    return filed


def _edit(turn: Turn, part: str) -> list[Reply]:
    """Go back from the summary to the step that sets one part of the complaint; the steps after it
    that are already answered are skipped on the way back to the summary. The name is asked at the summary."""
    lapor = data(turn)
    if part in NAME_WORDS:  # the name is asked, and the step stays
        lapor["name_asked"] = True
        return [Reply(complaint_texts.NAME_ASK)]
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
    "describe": describe,
    "confirm_route": confirm_route,
    "pick_opd": pick_opd,
    "pick_opd_all": pick_opd,
    "pick_category": pick_category,
    "location": location_step,
    "photo": photo_step,
    "name": name_step,
    "name_typed": name_typed_step,
    "confirm": _confirm,
}
