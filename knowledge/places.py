"""Recognise a city's kelurahan (and kecamatan) in a typed address.

Reads `kelurahan.tsv` from a knowledge-base folder (columns: code, kelurahan, kecamatan). A typed
address such as "depan masjid, Jl. Sawahan, kel. Sawahan Timur" gives kelurahan "Sawahan Timur"
and its kecamatan. Names are compared lower-cased on word boundaries, longest name first, so
"Sawahan Timur" wins over "Sawahan".
"""

from __future__ import annotations

import csv
import logging
import re
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Place:
    kelurahan: str | None
    kecamatan: str


def _norm(text: str) -> str:
    return " " + " ".join(re.sub(r"[^\w]+", " ", text.lower()).split()) + " "


class Places:
    """The kelurahan of one city, searchable in free text."""

    def __init__(self, rows: list[tuple[str, str]]):
        self._kelurahan = sorted(((_norm(k), Place(k, c)) for k, c in rows), key=lambda p: -len(p[0]))
        kecamatan = {c for _, c in rows}
        self._kecamatan = sorted(((_norm(c), Place(None, c)) for c in kecamatan), key=lambda p: -len(p[0]))

    @classmethod
    def from_file(cls, path: Path) -> Places:
        """Load a kelurahan.tsv file; an absent or unreadable file gives an empty lookup."""
        rows: list[tuple[str, str]] = []
        try:
            with path.open(encoding="utf-8", newline="") as f:
                for row in csv.DictReader(f, delimiter="\t"):
                    if row.get("kelurahan") and row.get("kecamatan"):
                        rows.append((row["kelurahan"].strip(), row["kecamatan"].strip()))
        except OSError as exc:
            log.info("no kelurahan list at %s (%s): addresses are kept as typed", path, exc)
        return cls(rows)

    @classmethod
    def for_kb(cls, kb_path: Path) -> Places:
        """Load the kelurahan list shipped beside a knowledge-base folder's city.yaml."""
        return cls.from_file(Path(kb_path) / "kelurahan.tsv")

    def __len__(self) -> int:
        return len(self._kelurahan)

    def find(self, text: str) -> Place | None:
        """Return the kelurahan (with its kecamatan) named in `text`, else a kecamatan alone, else None."""
        hay = _norm(text)
        for name, place in self._kelurahan:
            if name in hay:
                return place
        for name, place in self._kecamatan:
            if name in hay:
                return place
        return None
