"""The /lapor flow's state: what it keeps in the StateStore, and the words residents answer with.

The flow lives under `state["lapor"]` with its step in `state["step"]` and its idempotency key in
`state["flow_id"]`; these helpers read and change it so the prompts and the steps agree on its shape.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from handlers.context import Turn

MIN_DESCRIPTION = 10
MAX_DESCRIPTION = 4000
YES = {"ya", "y", "iya", "iy", "yes", "ok", "oke", "okay", "benar", "betul", "bener", "sudah benar", "ya benar",
       "iya benar", "iya bener", "setuju", "kirim", "ya kirim", "lanjut", "sip", "yup", "yep", "iyo", "iyo batua",
       "batua", "yo"}
NO = {"tidak", "tdk", "bukan", "salah", "ganti", "no", "nggak", "gak", "ga", "ndak", "indak", "lain", "bukan itu"}
SKIP = {"lewati", "lewat", "skip", "tidak ada", "tdk ada", "gak ada", "ga ada", "nggak ada", "tidak", "-",
        "tidak ada foto", "tanpa foto", "lanjut", "no", "none", "indak ado", "indak ado foto", "gak punya foto",
        "ga punya foto", "tidak punya foto", "gak ada foto", "ga ada foto", "nggak ada foto", "no photo",
        "nanti aja", "ntar aja", "skip aja", "lewati aja", "lewat aja", "lewati saja"}
BACK = {"kembali", "balik", "back", "sebelumnya", "yang tadi", "yg tadi", "mundur", "go back"}
# Said at a step without answering it: thanks and acknowledgements are not a place or a story.
NOT_AN_ANSWER = {"makasih", "terima kasih", "terimakasih", "makasih min", "thanks", "thank you", "ok", "oke", "okay",
                 "siap", "sip", "baik", "hmm", "hm", "eh", "lho", "loh", "apa", "hah"}


# "ok kirim aja", "ya sudah benar min": a yes said with softening words (at least one of YES_CORE).
_YES_CORE = {"ya", "y", "iya", "ok", "oke", "okay", "yes", "benar", "betul", "bener", "setuju", "kirim", "lanjut", "sip",
             "boleh", "send", "iyo", "batua", "yup", "yep", "yo", "kirimlah", "kirimkan", "correct", "right", "sure",
             "yeah", "confirm"}
_YES_SOFT = _YES_CORE | {"aja", "saja", "sudah", "udah", "udh", "sdh", "min", "dong", "deh", "langsung", "silakan",
                         "silahkan", "please", "it", "go", "ahead", "kak", "pak", "bu", "lah", "yg", "itu", "ini", "tu",
                         # "yo, kirim lah", "iya kirim nak", "oke lanjut laporannya", "yo bana"
                         "nak", "bana", "laporannya", "laporan", "lapor", "nya", "sekarang", "skrg",
                         # "kirim se lah", "iya buat laporan", "kirim sajo"
                         "se", "sajo", "ajo", "buat", "bikin",
                         "that", "s", "thats", "all", "good", "fine"}  # "yes correct", "that's right"


def said_yes(text: str) -> bool:
    """Tell whether a message says yes ("ya", "ok kirim aja", "iya sudah benar min")."""
    said = words(text)
    return said in YES or (bool(said) and set(said.split()) <= _YES_SOFT and bool(set(said.split()) & _YES_CORE))


# "ndak ado foto", "g ad", "gk punya fotonya min": a skip said in other words.
_SKIP_NEGATION = {"tidak", "tdk", "gak", "ga", "g", "gk", "nggak", "ngga", "enggak", "engga", "ndak", "nda", "indak",
                  "no", "nope", "belum", "blm", "ndk", "kagak", "don't", "dont", "haven't", "havent", "don", "haven"}
_SKIP_WORDS = _SKIP_NEGATION | {"ada", "ado", "ad", "punya", "pny", "have", "foto", "fotonya", "photo", "gambar",
                                "picture", "pic", "min", "kak", "pak", "bu", "aja", "saja", "sj", "aj", "ya", "deh",
                                "dulu", "sih", "nya", "i", "a", "any", "t", "lewati", "skip", "sorry", "maaf",
                                "usah", "perlu", "payah", "lah"}  # "ga usah" at an optional step skips it


OPTIONAL_STEPS = ("location", "photo", "name", "name_typed")  # "ga usah" there skips the step, not the complaint


def says_skip(text: str) -> bool:
    """Tell whether a message skips an optional step ("lewati", "tidak ada foto", "ndak ado foto", "g ad")."""
    said = words(text)
    if said in SKIP:
        return True
    parts = said.split()
    # "ada fotonya tapi ga bisa kirim, lewati aja": a reason, then the skip; "gk ada foto nak hp sy jadul"
    if len(parts) <= _SKIP_SAID_LAST_WORDS and (_SKIP_SAID_LAST.search(said) or _NO_PHOTO.search(said)):
        return True
    return bool(parts) and len(parts) <= 6 and set(parts) <= _SKIP_WORDS and bool(set(parts) & _SKIP_NEGATION)


_SKIP_SAID_LAST = re.compile(r"\b(?:lewati|lewatin|lewatkan|skip)"
                             r"(?:\s+(?:aja|saja|sj|aj|ajo|dulu|deh|ya|yo|it|min|pak|bu))*$")
_SKIP_SAID_LAST_WORDS = 12
_NO_PHOTO = re.compile(r"^(?:\w+\s+){0,2}(?:gk|ga|gak|g|nggak|ngga|tidak|tdk|ndak|indak|nda|no|belum|blm)\s+"
                       r"(?:ada|ado|punya|pny|bisa|sempat|have|any)\s+(?:kirim\s+)?"
                       # a photo, or a place ("ga ada lokasi, ini soal ktp")
                       r"(?:foto|photo|gambar|pic|lokasi|alamat|location|address)\w*\b")


# Why there is no photo, said at the photo step: "kamera hp sy rusak", "ga sempat moto", "my phone is dead".
_NO_PHOTO_REASON = re.compile(
    r"\b(?:kamera|camera|hp|handphone|ponsel|phone|batre|baterai|battery)\w*\s+(?:\w+\s+){0,3}?"
    r"(?:rusak|jadul|mati|lowbat|low\s*bat|habis|error|eror|broken|dead|pecah|hilang|ga\s+ada\s+kamera)\b|"
    r"\b(?:ga|gak|gk|g|tidak|tdk|nggak|ngga|ndak|indak|can'?t|cannot|couldn'?t)\s+(?:bisa\s+|sempat\s+|sampat\s+)?"
    r"(?:moto|motoin|motret|memotret|fotoin|mafoto|foto|take\s+(?:a\s+)?(?:photo|picture|pic))\b|"
    # "ga usah foto lah", "udah gelap", "takuik dimarahi" (afraid to be scolded)
    r"\b(?:ga|gak|gk|tidak|tdk|nggak|ndak|indak)\s+(?:usah|perlu|payah)\s+(?:pakai\s+|pake\s+)?"
    r"(?:foto|fotonya|difoto|moto)\b|"
    r"^\W*(?:udah|sudah|udh|lagi|masih|lah)?\s*(?:gelap|kalam)\w*(?:\s+\w+)?\W*$|"
    r"\b(?:takut|takuik|afraid)\w*\s+(?:di)?(?:marahi|marahin|ketahuan|ketauan|caliak|dimarahi)\b", re.I)
_NO_PHOTO_WORDS = 12


def no_photo_reason(text: str) -> bool:
    """Tell whether a short message at the photo step says why there is no photo (a skip, not more story)."""
    return len(text.split()) <= _NO_PHOTO_WORDS and bool(_NO_PHOTO_REASON.search(text))


def words(text: str) -> str:
    """Return the text lower-cased, without punctuation, for matching against the word sets."""
    return " ".join(re.sub(r"[^\w\s-]", " ", text.lower()).split())


def clear(state: dict[str, Any]) -> bool:
    """Forget any complaint in progress; return True if there was one."""
    had = state.get("flow") == "lapor"
    for key in ("flow", "step", "flow_id", "lapor"):
        state.pop(key, None)
    return had


# A cancelled complaint with a story is kept this long, so a resident who changes their mind ("eh jadi deh, kirim
# yang tadi") gets it back where they left it instead of telling it all again.
SET_ASIDE_FOR = dt.timedelta(minutes=30)


def set_aside(state: dict[str, Any], now: dt.datetime) -> bool:
    """Forget the complaint in progress as a cancel does, keeping a draft with a story for SET_ASIDE_FOR
    (`take_back`); return True if there was one."""
    draft = {key: state.get(key) for key in ("flow_id", "step", "lapor")} if state.get("flow") == "lapor" else {}
    had = clear(state)
    state.pop("set_aside", None)
    if (draft.get("lapor") or {}).get("description"):
        state["set_aside"] = {**draft, "at": now.isoformat()}
    return had


def take_back(state: dict[str, Any], now: dt.datetime) -> bool:
    """Bring back the complaint cancelled within SET_ASIDE_FOR, at the step it was left; return False (and forget
    it) when there is none or it is older."""
    kept = state.pop("set_aside", None)
    if not kept or now - dt.datetime.fromisoformat(kept["at"]) > SET_ASIDE_FOR:
        return False
    clear(state)
    state.update(flow="lapor", flow_id=kept["flow_id"], step=kept["step"] or "describe", lapor=kept["lapor"])
    return True


def data(turn: Turn) -> dict[str, Any]:
    """Return the complaint being written, creating it if needed."""
    return turn.state.setdefault("lapor", {})


def go(turn: Turn, step: str) -> None:
    """Move the flow to a step and record it."""
    turn.state["step"] = step
    turn.record("complaint_step", step, opd=data(turn).get("opd"))


# A map point typed: "-0.9471, 100.4172", "-0.9471 100.4172", the Indonesian "-0,9471; 100,4172", or the
# point inside a map link ("https://maps.google.com/?q=-0.9471,100.4172", ".../@-0.91,100.35,17z").
_MAP_LINK = re.compile(r"https?://\S*?(?:[?&](?:q|ll|query|center|destination)=|/@|/place/|/search/)"
                       r"(-?\d{1,2}\.\d+),\s*\+?(-?\d{1,3}\.\d+)")
_POINT = re.compile(r"(-?\d{1,3}(?:\.\d+)?)\s*[,;]\s*(-?\d{1,3}(?:\.\d+)?)|(-?\d{1,3}\.\d+)\s+(-?\d{1,3}\.\d+)")


def typed_point(text: str) -> tuple[float, float] | None:
    """Return the (latitude, longitude) a resident typed or linked, else None (longitude first is turned)."""
    link = _MAP_LINK.search(text)
    if link:
        numbers = link.groups()
    else:
        said = text.strip()
        if "." not in said:  # decimal commas: "-0,9471; 100,4172", "-0,9471, 100,4172"
            said = re.sub(r"(\d),(\d)", r"\1.\2", said)
        point = _POINT.fullmatch(said)
        if not point:
            return None
        numbers = tuple(n for n in point.groups() if n is not None)
    latitude, longitude = float(numbers[0]), float(numbers[1])
    if abs(latitude) > 90 >= abs(longitude):
        latitude, longitude = longitude, latitude
    if abs(latitude) > 90 or abs(longitude) > 180:
        return None
    return latitude, longitude


def store_location(turn: Turn, latitude: float | None, longitude: float | None, address: str | None) -> bool:
    """Keep the place of the complaint, with its kelurahan and kecamatan when the address is known.

    A pin outside the city (`Places.inside`) is not kept, nor the address sent with it: return False.
    """
    lapor = data(turn)
    if latitude is not None and longitude is not None:
        if not turn.services.places.inside(float(latitude), float(longitude)):
            turn.record("complaint_step", "location_outside", opd=lapor.get("opd"))
            return False
        lapor["latitude"], lapor["longitude"] = float(latitude), float(longitude)
    if address:
        lapor["address"] = address[:500]
        place = turn.services.places.find(address)
        if place:
            lapor["kelurahan"], lapor["kecamatan"] = place.kelurahan, place.kecamatan
    return True
