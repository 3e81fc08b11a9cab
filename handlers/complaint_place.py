"""The /lapor flow's place, photo and name steps: a pin, coordinates or an address typed (the street a story
named offered as a button, a correction amending it), a photo or a skip, and the reporter's name and whether it
may be published. Details typed beside the photo are added to the story.
"""

from __future__ import annotations

import re

from handlers import complaint_texts, texts
from handlers.complaint_flow import MAX_ALSO, after_location, ask_current, aside, asks, tells_another_problem, to_name
from handlers.complaint_names import bare_name, removes_name
from handlers.complaint_prompts import STORY_PLACE, ask_confirm, ask_location, ask_name, ask_name_typed, ask_photo
from handlers.complaint_state import (NOT_AN_ANSWER, data, go, no_photo_reason, said_yes, says_skip, store_location,
                                      typed_point, words)
from handlers.complaint_route import add_detail, story_grows
from handlers.complaint_words import (about_instead, adds_detail, besides_the_photo, corrected_place, is_button_label,
                                      place_fix, place_instead)
from handlers.context import Turn
from handlers.messages import Reply
from knowledge.privacy import has_personal_data
from knowledge.regions import named_region, own_place


async def location_step(turn: Turn, typed_place: str | None = None) -> list[Reply]:
    """Take the place of the complaint: a pin, coordinates or an address typed (`typed_place` when the
    correction of an earlier one gave it), or a skip."""
    msg = turn.msg
    pin = (msg.location.latitude, msg.location.longitude, msg.location.address) if msg.location else None
    typed = None if pin else typed_point(turn.text)
    if typed:
        pin = (*typed, None)
    if pin:
        if not store_location(turn, *pin):  # a pin outside the city: ask again
            return [Reply(complaint_texts.location_outside(turn.kb.city.name, asking=True), options=(texts.SKIP,),
                          request="location")]
    elif msg.photo:  # a photo sent early: keep it, still ask for the place
        data(turn)["photo"] = msg.photo.path
        return [Reply(complaint_texts.PHOTO_RECEIVED)] + ask_location(turn)
    elif asks(turn):  # a question, not a place: answer it, then ask again
        return await aside(turn)
    elif turn.choice == "skip" or says_skip(turn.text):
        pass
    elif data(turn).get("story_place") and (turn.choice == STORY_PLACE
                                            or (turn.choice is None and said_yes(turn.text))):
        store_location(turn, None, None, data(turn)["story_place"])  # the street the story named, confirmed
    elif is_button_label(turn.text) or words(turn.text) in NOT_AN_ANSWER:  # "Ya, kirim", "makasih": no address
        return [Reply(complaint_texts.LOCATION_AGAIN, options=(texts.SKIP,), request="location")]
    elif typed_place is None and turn.choice is None and (about := about_instead(turn.text)):
        # "eh bukan jalan, yg rusak itu jembatan kecil di atas bandar" is the problem told again, not the place
        return await story_grows(turn, f"(ralat: {about})")
    elif typed_place is None and tells_another_problem(turn):  # "oh iya satu lagi, lampu jalan … juga mati"
        data(turn)["also"] = turn.text[:MAX_ALSO]
        turn.record("complaint_step", "another_problem")
        return [Reply(complaint_texts.ANOTHER_PROBLEM)] + ask_location(turn)
    elif len(turn.text) >= 3:
        address = typed_place or corrected_place(turn.text)
        store_location(turn, None, None, address)
        elsewhere = _address_elsewhere(turn, address)
        if elsewhere:  # kept (the resident may know better), but said: "ubah lokasi" changes it
            return [Reply(complaint_texts.address_elsewhere(elsewhere, turn.kb.city.name))] + after_location(turn)
    else:
        return [Reply(complaint_texts.LOCATION_SHORT, options=(texts.SKIP,), request="location")]
    return after_location(turn)


def place_fixed(turn: Turn) -> Reply | None:
    """Amend the address typed with the part a correction gives ("eh salah, blok G no 5 maksudnya"): kept beside
    it, since it may correct only a part ("komplek wisma indah 3 blok F, lapai (ralat: blok G no 5)")."""
    address = str(data(turn).get("address") or "")
    fix = place_fix(turn.text) if address else None
    if not fix:
        return None
    amended = complaint_texts.amended_place(address, fix)
    store_location(turn, None, None, amended)
    turn.record("complaint_step", "place_corrected")
    return Reply(complaint_texts.place_changed(amended))


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


async def photo_step(turn: Turn) -> list[Reply]:
    if turn.msg.photo:
        data(turn)["photo"] = turn.msg.photo.path
    elif not (turn.choice == "skip" or says_skip(turn.text) or no_photo_reason(turn.text)):
        if asks(turn):  # "eh btw syarat bikin kk baru apa ya?": answered, then the photo asked again
            return await aside(turn)
        if turn.choice is None and (moved := place_instead(turn.text, str(data(turn).get("address") or ""))):
            store_location(turn, None, None, moved)  # "eh maaf salah, bukan di indarung, tapi di …"
            turn.record("complaint_step", "place_corrected")
            return [Reply(complaint_texts.place_changed(moved))] + ask_photo(turn)
        if turn.choice is None and (fixed := place_fixed(turn)):  # "eh salah, blok G no 5 maksudnya"
            return [fixed] + ask_photo(turn)
        if turn.choice is None and (about := about_instead(turn.text)):  # "eh bukan jalan, yg rusak itu jembatan"
            return await story_grows(turn, f"(ralat: {about})")
        detail = besides_the_photo(turn.text) if turn.choice is None else ""
        if detail and adds_detail(detail):  # "fotonyo beko ambo kirim, lampunyo tiang nomor 45": the pole's number
            return [add_detail(turn, detail)] + ask_photo(turn)
        return [Reply(complaint_texts.PHOTO_AGAIN, options=(texts.SKIP,), request="photo")]
    return ([Reply(complaint_texts.PHOTO_RECEIVED)] if turn.msg.photo else []) + to_name(turn)  # said, as elsewhere


async def name_step(turn: Turn) -> list[Reply]:
    word = words(turn.text)
    if turn.choice == "name:show" or (turn.choice is None and word in {"tampilkan", "tampilkan nama", "ya"}):
        data(turn)["show_name"] = True
    elif turn.choice in ("name:anon", "skip") or word in {"anonim", "anonymous", "rahasiakan"} or says_skip(word):
        data(turn)["show_name"] = False
    elif asks(turn):  # a question at the name step: answered, then the step again
        return await aside(turn)
    else:
        return [Reply(complaint_texts.PICK_ONE)] + ask_name(turn)
    go(turn, "confirm")
    return ask_confirm(turn)


async def name_typed_step(turn: Turn) -> list[Reply]:
    """Take the name typed when asked for it (the web chat), or a skip: the complaint is then anonymous."""
    lapor = data(turn)
    if turn.choice == "skip" or (turn.choice is None and (says_skip(turn.text) or words(turn.text) in _ANONYMOUS)):
        lapor["show_name"] = False
        go(turn, "confirm")
        return ask_confirm(turn)
    if turn.choice is None and (name := bare_name(turn.text)):  # "Yuliana", "dedi kurniawan"
        return name_given(turn, name, False)
    if asks(turn):
        return await aside(turn)
    return [Reply(complaint_texts.PICK_ONE)] + ask_name_typed(turn)


_ANONYMOUS = frozenset({"anonim", "anonymous", "rahasiakan", "rahasia", "tanpa nama", "no name"})


def name_given(turn: Turn, name: str, shown: bool) -> list[Reply]:
    """Put the name a resident typed on the complaint (the web chat knows no name), published only when they say it
    may be; then the step."""
    lapor = data(turn)
    lapor["name"], lapor["show_name"] = name, shown
    turn.record("complaint_step", "name_given")
    if turn.state.get("step") in ("name", "name_typed"):
        go(turn, "confirm")
    taken = complaint_texts.name_taken(name, shown)
    if has_personal_data(turn.text):  # "Rina, hp 0821…": the number is not kept, and the resident is told why
        taken = f"{taken} {complaint_texts.NUMBER_NOT_KEPT}"
    return [Reply(taken)] + ask_current(turn)


def name_removed(turn: Turn) -> list[Reply]:
    """Take the name given off the complaint (skipped when asked again after "ubah nama"); then the step."""
    lapor = data(turn)
    lapor.pop("name", None)
    lapor["show_name"] = False
    turn.record("complaint_step", "name_hidden")
    return [Reply(complaint_texts.NAME_REMOVED)] + ask_current(turn)


def name_hidden(turn: Turn) -> list[Reply]:
    """Keep the reporter's name out of publication ("jangan disebut namanya", "anonim saja"), or remove the name
    given ("hapus nama saya"); then the step."""
    lapor = data(turn)
    lapor["show_name"] = False
    removed = removes_name(turn.text) and bool(lapor.pop("name", None))
    turn.record("complaint_step", "name_hidden")
    if turn.state.get("step") in ("name", "name_typed"):
        go(turn, "confirm")
    return [Reply(complaint_texts.NAME_REMOVED if removed else complaint_texts.NAME_HIDDEN)] + ask_current(turn)
