"""/lapor: the complaint flow, one step per turn, its state in the StateStore (survives restarts).

Steps: describe → route (confirm the OPD, or choose one, then a category) → location → photo →
name visibility → confirm → filed. Every step accepts /batal (handled by `start`), options by
number or label, and `lewati` on the optional ones. Filing uses the flow's id as idempotency key,
so a confirmation processed twice (a crash after filing, a retry) files one complaint.
"""

from __future__ import annotations

import logging
import re
import secrets
from typing import Any

from handlers import texts
from handlers.context import Turn, clean_text
from handlers.messages import Option, Reply
from knowledge.kb import Opd

log = logging.getLogger(__name__)

MIN_DESCRIPTION = 10
MAX_DESCRIPTION = 4000
YES = {"ya", "y", "iya", "iy", "yes", "ok", "oke", "okay", "benar", "betul", "sudah benar", "ya benar",
       "setuju", "kirim", "ya kirim", "lanjut", "sip"}
NO = {"tidak", "tdk", "bukan", "salah", "ganti", "no", "nggak", "gak", "ga", "ndak", "indak", "lain"}
SKIP = {"lewati", "lewat", "skip", "tidak ada", "tdk ada", "gak ada", "ga ada", "nggak ada", "tidak", "-",
        "tidak ada foto", "tanpa foto", "lanjut"}
_COORDS = re.compile(r"^\s*(-?\d{1,2}(?:\.\d+)?)\s*[,;]\s*(-?\d{1,3}(?:\.\d+)?)\s*$")


def _words(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s-]", " ", text.lower()).split())


def clear(state: dict[str, Any]) -> bool:
    """Forget any complaint in progress; return True if there was one."""
    had = state.get("flow") == "lapor"
    for key in ("flow", "step", "flow_id", "lapor"):
        state.pop(key, None)
    return had


def _data(turn: Turn) -> dict[str, Any]:
    return turn.state.setdefault("lapor", {})


def _go(turn: Turn, step: str) -> None:
    turn.state["step"] = step
    turn.record("complaint_step", step, opd=_data(turn).get("opd"))


async def handle(turn: Turn) -> list[Reply] | None:
    """Start the flow on /lapor; otherwise answer the current step when a flow is active."""
    command = turn.command
    if command and command[0] == "lapor":
        return await _begin(turn, command[1])
    if turn.state.get("flow") != "lapor" or command:
        return None
    step = turn.state.get("step", "describe")
    return await STEPS.get(step, _describe)(turn)


async def reprompt(turn: Turn) -> list[Reply]:
    """Ask the current step's question again, after a detour (help, status)."""
    step = turn.state.get("step", "describe")
    replies = ASKS.get(step, _ask_describe)(turn)
    return [Reply(texts.FLOW_REMINDER)] + replies


async def _begin(turn: Turn, text: str) -> list[Reply]:
    clear(turn.state)
    turn.state.update(flow="lapor", flow_id=secrets.token_hex(12), lapor={})
    _go(turn, "describe")
    if len(text.strip()) >= MIN_DESCRIPTION:
        return await _describe(turn, text)
    return _ask_describe(turn)


# --- describe and route -----------------------------------------------------------------------


def _ask_describe(turn: Turn) -> list[Reply]:
    return [Reply(texts.DESCRIBE)]


async def _describe(turn: Turn, text: str | None = None) -> list[Reply]:
    data = _data(turn)
    msg = turn.msg
    prefix: list[Reply] = []
    if msg.photo:
        data["photo"] = msg.photo.path
        text = text or msg.photo.caption
        prefix.append(Reply("Foto diterima."))
    if msg.location:
        _store_location(turn, msg.location.latitude, msg.location.longitude, msg.location.address)
        prefix.append(Reply("Lokasi diterima."))
    description, _ = clean_text(text if text is not None else msg.text, MAX_DESCRIPTION)
    if len(description) < MIN_DESCRIPTION:
        return prefix + [Reply(texts.DESCRIBE_MORE if description else texts.DESCRIBE)]
    data["description"] = description
    route = turn.router.route(description)
    candidates: list[str] = []
    for slug, _category, _score in route.candidates:
        if slug and slug not in candidates and turn.kb.opd(slug):
            candidates.append(slug)
    data["candidates"] = candidates[:4]
    opd = turn.kb.opd(route.opd)
    if opd is None:
        _go(turn, "pick_opd")
        return prefix + _ask_opd(turn)
    data["opd"] = opd.slug
    category = turn.kb.category(route.category)
    data["category"] = category.code if category and category.opd == opd.slug else None
    _go(turn, "confirm_route")
    return prefix + _ask_route(turn)


def _ask_route(turn: Turn) -> list[Reply]:
    data = _data(turn)
    opd = turn.kb.opd(data.get("opd"))
    if opd is None:  # the OPD vanished from the knowledge base meanwhile
        turn.state["step"] = "pick_opd"
        return _ask_opd(turn)
    category = turn.kb.category(data.get("category"))
    return [Reply(texts.route_proposal(opd, category.name if category else None),
                  options=(texts.ROUTE_OK, texts.ROUTE_OTHER))]


async def _confirm_route(turn: Turn) -> list[Reply]:
    word = _words(turn.text)
    if turn.choice == "route:ok" or (turn.choice is None and word in YES):
        return _after_opd(turn)
    if turn.choice == "route:other" or (turn.choice is None and word in NO):
        _go(turn, "pick_opd")
        return _ask_opd(turn)
    return [Reply(texts.PICK_ONE)] + _ask_route(turn)


def _opd_option(opd: Opd) -> Option:
    label = opd.label if len(opd.label) <= 60 else opd.label[:57] + "..."
    return Option(label, f"opd:{opd.slug}")


def _ask_opd(turn: Turn) -> list[Reply]:
    likely = [turn.kb.opd(s) for s in _data(turn).get("candidates", [])]
    options = [_opd_option(o) for o in likely if o]
    if not options:
        turn.state["step"] = "pick_opd_all"
        return _ask_opd_all(turn)
    return [Reply(texts.CHOOSE_OPD, options=tuple(options) + (texts.OPD_MORE,))]


def _ask_opd_all(turn: Turn) -> list[Reply]:
    options = tuple(_opd_option(o) for o in sorted(turn.kb.opds, key=lambda o: o.name))
    return [Reply(texts.CHOOSE_OPD_ALL, options=options)]


def _typed_opd(turn: Turn) -> Opd | None:
    """Return the OPD a resident typed by its short name or slug ("dlh", "Dinas Sosial")."""
    word = _words(turn.text)
    for opd in turn.kb.opds:
        if word and word in (opd.slug, (opd.short_name or "").lower(), opd.name.lower()):
            return opd
    return None


async def _pick_opd(turn: Turn) -> list[Reply]:
    if turn.choice == "opd:*":
        turn.state["step"] = "pick_opd_all"
        return _ask_opd_all(turn)
    opd = turn.kb.opd(turn.choice[4:]) if turn.choice and turn.choice.startswith("opd:") else _typed_opd(turn)
    if opd is None:
        ask = _ask_opd_all if turn.state.get("step") == "pick_opd_all" else _ask_opd
        return [Reply(texts.PICK_ONE)] + ask(turn)
    data = _data(turn)
    data["opd"], data["category"] = opd.slug, None
    turn.record("complaint_step", "opd", opd=opd.slug)
    return _after_opd(turn)


def _after_opd(turn: Turn) -> list[Reply]:
    data = _data(turn)
    opd = turn.kb.opd(data.get("opd"))
    if opd and opd.categories and not data.get("category"):
        _go(turn, "pick_category")
        return _ask_category(turn)
    return _after_category(turn)


def _after_category(turn: Turn) -> list[Reply]:
    """Ask where, unless the resident already sent the place with the description."""
    data = _data(turn)
    if data.get("latitude") is None and not data.get("address"):
        _go(turn, "location")
        return _ask_location(turn)
    return _after_location(turn)


def _after_location(turn: Turn) -> list[Reply]:
    if _data(turn).get("photo"):
        _go(turn, "name")
        return _ask_name(turn)
    _go(turn, "photo")
    return _ask_photo(turn)


def _ask_category(turn: Turn) -> list[Reply]:
    opd = turn.kb.opd(_data(turn).get("opd"))
    categories = opd.categories if opd else ()
    options = tuple(Option(c.name, f"cat:{c.code}") for c in categories) + (texts.CATEGORY_NONE,)
    return [Reply(texts.CHOOSE_CATEGORY, options=options)]


async def _pick_category(turn: Turn) -> list[Reply]:
    data = _data(turn)
    if not (turn.choice and turn.choice.startswith("cat:")):
        if _words(turn.text) in SKIP:
            turn.choice = "cat:-"
        else:
            return [Reply(texts.PICK_ONE)] + _ask_category(turn)
    category = turn.kb.category(turn.choice[4:])
    data["category"] = category.code if category and category.opd == data.get("opd") else None
    return _after_category(turn)


# --- location, photo, name --------------------------------------------------------------------


def _ask_location(turn: Turn) -> list[Reply]:
    return [Reply(texts.LOCATION, options=(texts.SKIP,), request="location")]


def _store_location(turn: Turn, latitude: float | None, longitude: float | None, address: str | None) -> None:
    data = _data(turn)
    if latitude is not None and longitude is not None:
        data["latitude"], data["longitude"] = float(latitude), float(longitude)
    if address:
        data["address"] = address[:500]
        place = turn.services.places.find(address)
        if place:
            data["kelurahan"], data["kecamatan"] = place.kelurahan, place.kecamatan


async def _location(turn: Turn) -> list[Reply]:
    msg = turn.msg
    coords = _COORDS.match(turn.text)
    if msg.location:
        _store_location(turn, msg.location.latitude, msg.location.longitude, msg.location.address)
    elif coords and abs(float(coords[1])) <= 90 and abs(float(coords[2])) <= 180:
        _store_location(turn, float(coords[1]), float(coords[2]), None)
    elif msg.photo:  # a photo sent early: keep it, still ask for the place
        _data(turn)["photo"] = msg.photo.path
        return [Reply("Foto diterima.")] + _ask_location(turn)
    elif turn.choice == "skip" or _words(turn.text) in SKIP:
        pass
    elif len(turn.text) >= 3:
        _store_location(turn, None, None, turn.text)
    else:
        return [Reply(texts.LOCATION_SHORT, options=(texts.SKIP,), request="location")]
    return _after_location(turn)


def _ask_photo(turn: Turn) -> list[Reply]:
    return [Reply(texts.PHOTO, options=(texts.SKIP,), request="photo")]


async def _photo(turn: Turn) -> list[Reply]:
    if turn.msg.photo:
        _data(turn)["photo"] = turn.msg.photo.path
    elif not (turn.choice == "skip" or _words(turn.text) in SKIP):
        return [Reply(texts.PHOTO_AGAIN, options=(texts.SKIP,), request="photo")]
    _go(turn, "name")
    return _ask_name(turn)


def _ask_name(turn: Turn) -> list[Reply]:
    return [Reply(texts.NAME, options=(texts.NAME_SHOW, texts.NAME_ANON))]


async def _name(turn: Turn) -> list[Reply]:
    word = _words(turn.text)
    if turn.choice == "name:show" or (turn.choice is None and word in {"tampilkan", "tampilkan nama", "ya"}):
        _data(turn)["show_name"] = True
    elif turn.choice in ("name:anon", "skip") or word in SKIP | {"anonim", "anonymous", "tidak", "rahasiakan"}:
        _data(turn)["show_name"] = False
    else:
        return [Reply(texts.PICK_ONE)] + _ask_name(turn)
    _go(turn, "confirm")
    return _ask_confirm(turn)


# --- confirm and file -------------------------------------------------------------------------


def _ask_confirm(turn: Turn) -> list[Reply]:
    data = _data(turn)
    category = turn.kb.category(data.get("category"))
    return [Reply(texts.summary(data, turn.kb.opd(data.get("opd")), category.name if category else None),
                  options=(texts.SEND, texts.CANCEL), kind="summary")]


async def _confirm(turn: Turn) -> list[Reply]:
    if not (turn.choice == "confirm:yes" or (turn.choice is None and _words(turn.text) in YES)):
        return [Reply(texts.CONFIRM_AGAIN)] + _ask_confirm(turn)
    data = _data(turn)
    opd = turn.kb.opd(data.get("opd"))
    if opd is None:
        _go(turn, "pick_opd")
        return _ask_opd(turn)
    resident = await turn.resident()
    row = await turn.services.complaints.file(
        turn.session, resident=resident, opd=opd.slug, category=data.get("category"),
        description=data["description"], latitude=data.get("latitude"), longitude=data.get("longitude"),
        address=data.get("address"), photo_path=data.get("photo"), show_name=bool(data.get("show_name")),
        idempotency_key=turn.state["flow_id"], kelurahan=data.get("kelurahan"), kecamatan=data.get("kecamatan"))
    # Commit now: the complaint must exist before the flow is forgotten (a retry finds it by key).
    await turn.session.commit()
    clear(turn.state)
    turn.record("complaint_step", "filed", opd=opd.slug, data={"ticket": row.ticket})
    return [Reply(texts.filed(row.ticket, opd.label, row.due_date), options=texts.MENU, kind="filed")]


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
ASKS = {
    "describe": _ask_describe,
    "confirm_route": _ask_route,
    "pick_opd": _ask_opd,
    "pick_opd_all": _ask_opd_all,
    "pick_category": _ask_category,
    "location": _ask_location,
    "photo": _ask_photo,
    "name": _ask_name,
    "confirm": _ask_confirm,
}
