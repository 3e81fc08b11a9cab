"""The /lapor flow's questions: what each step asks, again after a wrong answer or a detour.

Prompts only read the flow's state, except to fall back to a wider question when the one asked
has no options left (the proposed OPD vanished, no likely OPDs): then they move the step along.
"""

from __future__ import annotations

from handlers import complaint_texts, texts
from handlers.complaint_state import data
from handlers.complaint_words import place_in_story
from handlers.context import Turn
from handlers.messages import Option, Reply
from knowledge.kb import Opd


def ask_describe(turn: Turn) -> list[Reply]:
    """Ask what happened, offering the problem the resident told just before when there is one (`told_lately`)."""
    told = data(turn).get("told_story")
    if told:
        return [Reply(complaint_texts.describe_or_told(complaint_texts.shown_description(told)),
                      options=(complaint_texts.TOLD_STORY,))]
    return [Reply(complaint_texts.DESCRIBE)]


def ask_route(turn: Turn) -> list[Reply]:
    """Propose the OPD (and category) the router chose."""
    lapor = data(turn)
    opd = turn.kb.opd(lapor.get("opd"))
    if opd is None:  # the OPD vanished from the knowledge base meanwhile
        turn.state["step"] = "pick_opd"
        return ask_opd(turn)
    category = turn.kb.category(lapor.get("category"))
    return [Reply(complaint_texts.route_proposal(opd, category.name if category else None),
                  options=(texts.ROUTE_OK, texts.ROUTE_OTHER))]


def _opd_option(opd: Opd) -> Option:
    label = opd.label if len(opd.label) <= 60 else opd.label[:57] + "..."
    return Option(label, f"opd:{opd.slug}")


def ask_opd(turn: Turn) -> list[Reply]:
    """Offer the likely OPDs, or all of them when none is likely."""
    likely = [turn.kb.opd(s) for s in data(turn).get("candidates", [])]
    options = [_opd_option(o) for o in likely if o]
    if not options:
        turn.state["step"] = "pick_opd_all"
        return ask_opd_all(turn)
    return [Reply(complaint_texts.CHOOSE_OPD, options=tuple(options) + (texts.OPD_MORE,))]


def ask_opd_all(turn: Turn) -> list[Reply]:
    """Offer every OPD, by name."""
    options = tuple(_opd_option(o) for o in sorted(turn.kb.opds, key=lambda o: o.name))
    return [Reply(complaint_texts.CHOOSE_OPD_ALL, options=options)]


def ask_category(turn: Turn) -> list[Reply]:
    """Offer the chosen OPD's categories."""
    opd = turn.kb.opd(data(turn).get("opd"))
    categories = opd.categories if opd else ()
    options = tuple(Option(c.name, f"cat:{c.code}") for c in categories) + (texts.CATEGORY_NONE,)
    return [Reply(complaint_texts.CHOOSE_CATEGORY, options=options)]


def ask_location(turn: Turn) -> list[Reply]:
    """Ask where, offering the street address the story gave as a button (eleventh QA pass: "I already told
    you: Jalan Veteran no 55, Purus")."""
    lapor = data(turn)
    place = place_in_story(str(lapor.get("description") or ""), turn.services.places) or lapor.get("told_place")
    if place is None:
        lapor.pop("story_place", None)
        return [Reply(complaint_texts.LOCATION, options=(texts.SKIP,), request="location")]
    lapor["story_place"] = place
    return [Reply(complaint_texts.location_in_story(place), options=(Option(place, STORY_PLACE), texts.SKIP),
                  request="location")]


STORY_PLACE = "place:story"  # the button with the address the story gave


def ask_photo(turn: Turn) -> list[Reply]:
    """Ask for a photo."""
    return [Reply(complaint_texts.PHOTO, options=(texts.SKIP,), request="photo")]


def ask_name(turn: Turn) -> list[Reply]:
    """Ask whether the resident's name may appear on the public complaint (asked when the channel gives a name)."""
    return [Reply(complaint_texts.name_question(turn.msg.display_name or "-"),
                  options=(texts.NAME_SHOW, texts.NAME_ANON))]


def ask_name_typed(turn: Turn) -> list[Reply]:
    """Ask for the resident's name, which may be skipped (the web chat knows no name)."""
    return [Reply(complaint_texts.NAME_OPTIONAL, options=(texts.SKIP,))]


def ask_confirm(turn: Turn) -> list[Reply]:
    """Show the summary and ask to send it."""
    lapor = data(turn)
    category = turn.kb.category(lapor.get("category"))
    return [Reply(complaint_texts.summary(lapor, turn.kb.opd(lapor.get("opd")), category.name if category else None),
                  options=(texts.SEND, texts.CANCEL), kind="summary")]


ASKS = {
    "describe": ask_describe,
    "confirm_route": ask_route,
    "pick_opd": ask_opd,
    "pick_opd_all": ask_opd_all,
    "pick_category": ask_category,
    "location": ask_location,
    "photo": ask_photo,
    "name": ask_name,
    "name_typed": ask_name_typed,
    "confirm": ask_confirm,
}
