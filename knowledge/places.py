"""Recognise a city's kelurahan (and kecamatan) in a typed address.

Reads `kelurahan.tsv` from a knowledge-base folder (columns: code, kelurahan, kecamatan). A typed
address such as "depan masjid, Jl. Sawahan, kel. Sawahan Timur" gives kelurahan "Sawahan Timur"
and its kecamatan. Names are compared lower-cased on word boundaries, longest name first, so
"Sawahan Timur" wins over "Sawahan".

An optional `bounds.tsv` beside it (columns: south, west, north, east, in decimal degrees) gives the
city's extent: a shared pin well outside it (a phone's stale fix, a place picked by mistake) is not
taken as the place of a complaint.
"""

from __future__ import annotations

import csv
import logging
import re
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)


# The last word of kelurahan split in parts ("Ulak Karang Utara", "… Selatan").
_DIRECTIONS = frozenset({"utara", "selatan", "timur", "barat", "tengah"})
# Pins this far (degrees, about 2 km) outside the city's extent still count: GPS error, a border street.
BOUNDS_MARGIN = 0.02


@dataclass(frozen=True)
class Bounds:
    south: float
    west: float
    north: float
    east: float

    def contains(self, latitude: float, longitude: float) -> bool:
        return (self.south - BOUNDS_MARGIN <= latitude <= self.north + BOUNDS_MARGIN
                and self.west - BOUNDS_MARGIN <= longitude <= self.east + BOUNDS_MARGIN)

    @classmethod
    def from_file(cls, path: Path) -> Bounds | None:
        """Read a bounds.tsv file; an absent or bad file gives None (every pin is accepted)."""
        try:
            with path.open(encoding="utf-8", newline="") as f:
                row = next(csv.DictReader(f, delimiter="\t"))
            bounds = cls(*(float(row[k]) for k in ("south", "west", "north", "east")))
        except FileNotFoundError:
            return None
        except (OSError, StopIteration, KeyError, TypeError, ValueError) as exc:
            log.warning("%s: unreadable city bounds (%s): every shared location is accepted", path, exc)
            return None
        if not (-90 <= bounds.south < bounds.north <= 90 and -180 <= bounds.west < bounds.east <= 180):
            log.warning("%s: bounds out of order or range: every shared location is accepted", path)
            return None
        return bounds


@dataclass(frozen=True)
class Place:
    kelurahan: str | None
    kecamatan: str


def _norm(text: str) -> str:
    return " " + " ".join(re.sub(r"[^\w]+", " ", text.lower()).split()) + " "


class Places:
    """The kelurahan of one city, searchable in free text."""

    def __init__(self, rows: list[tuple[str, str]], bounds: Bounds | None = None):
        self.bounds = bounds
        self._kelurahan = sorted(((_norm(k), Place(k, c)) for k, c in rows), key=lambda p: -len(p[0]))
        # "Ulak Karang" for "Ulak Karang Utara" and "… Selatan": its kecamatan when the parts share one
        parts: dict[str, set[str]] = {}
        for k, c in rows:
            head, _, last = k.rpartition(" ")
            if head and last.lower() in _DIRECTIONS:
                parts.setdefault(_norm(head), set()).add(c)
        known = {name for name, _ in self._kelurahan}
        self._kelurahan_bases = sorted(((name, Place(None, next(iter(cs)))) for name, cs in parts.items()
                                        if len(cs) == 1 and name not in known), key=lambda p: -len(p[0]))
        kecamatan = {c for _, c in rows}
        names = sorted({n.strip() for n, _ in self._kelurahan} | {n.strip() for n, _ in self._kelurahan_bases}
                       | {_norm(c).strip() for c in kecamatan}, key=len, reverse=True)
        self._names_re = (re.compile(r"(?<!\w)(?:" + "|".join(r"[\W_]+".join(map(re.escape, n.split())) for n in names)
                                     + r")(?!\w)", re.IGNORECASE) if names else None)
        self._kecamatan = sorted(((_norm(c), Place(None, c)) for c in kecamatan), key=lambda p: -len(p[0]))

    @classmethod
    def from_file(cls, path: Path, bounds: Bounds | None = None) -> Places:
        """Load a kelurahan.tsv file; an absent or unreadable file gives an empty lookup."""
        rows: list[tuple[str, str]] = []
        try:
            with path.open(encoding="utf-8", newline="") as f:
                for row in csv.DictReader(f, delimiter="\t"):
                    if row.get("kelurahan") and row.get("kecamatan"):
                        rows.append((row["kelurahan"].strip(), row["kecamatan"].strip()))
        except OSError as exc:
            log.info("no kelurahan list at %s (%s): addresses are kept as typed", path, exc)
        return cls(rows, bounds)

    @classmethod
    def for_kb(cls, kb_path: Path) -> Places:
        """Load the kelurahan list and city bounds shipped beside a knowledge-base folder's city.yaml."""
        return cls.from_file(Path(kb_path) / "kelurahan.tsv", Bounds.from_file(Path(kb_path) / "bounds.tsv"))

    def inside(self, latitude: float, longitude: float) -> bool:
        """Tell whether a pin may be in the city (always, when its bounds are unknown)."""
        return self.bounds is None or self.bounds.contains(latitude, longitude)

    def __len__(self) -> int:
        return len(self._kelurahan)

    def without_names(self, text: str) -> str:
        """Return `text` (normalised: lower case, words only) without the kelurahan and kecamatan it names."""
        return " ".join(_norm(self.names_blanked(text)).split())

    def names_blanked(self, text: str) -> str:
        """Return `text` as written, each kelurahan or kecamatan name in it replaced by a space: a complaint's
        place says where, not what ("lampu jalan mati di kelurahan Ulak Karang" is not the tsunami shelters')."""
        return self.names_taken_out(text)[0]

    def names_taken_out(self, text: str) -> tuple[str, list[str]]:
        """Return `names_blanked(text)` and the names taken out of it, as written (one pass over the text)."""
        if self._names_re is None:
            return text, []
        named: list[str] = []

        def out(m: re.Match[str]) -> str:
            named.append(m.group(0))
            return " "

        return self._names_re.sub(out, text), named

    def next_name(self, text: str, pos: int = 0) -> re.Match[str] | None:
        """Return the first kelurahan or kecamatan name in `text` at or after `pos`, as matched, else None."""
        return self._names_re.search(text, pos) if self._names_re is not None else None

    def find(self, text: str) -> Place | None:
        """Return the kelurahan (with its kecamatan) named in `text`, else a kecamatan alone, else None. A kecamatan
        the text names wins over a kelurahan of another one: "Jl. Pemuda depan Plaza Andalas, Padang Barat" is in
        Padang Barat, not in the kelurahan Andalas (Padang Timur) a landmark is named after."""
        hay = _norm(text)
        named = next((place for name, place in self._kecamatan if name in hay), None)
        for name, place in (*self._kelurahan, *self._kelurahan_bases):
            if name in hay and (named is None or place.kecamatan == named.kecamatan):
                return place
        return named
