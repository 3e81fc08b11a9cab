"""Kelurahan found in typed addresses, and the city's bounds for shared pins (knowledge.places)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from knowledge.kb import default_kb_path
from knowledge.places import Bounds, Place, Places


def test_the_shipped_padang_list_finds_the_longest_kelurahan_name() -> None:
    places = Places.for_kb(default_kb_path())
    assert len(places) > 100
    place = places.find("depan masjid, Jl. Sawahan, kel. Sawahan Timur")
    assert (place.kelurahan, place.kecamatan) == ("Sawahan Timur", "Padang Timur")
    assert places.find("di kecamatan kuranji") == places.find("kuranji")
    assert places.find("Jl. Sudirman, Jakarta") is None


@pytest.mark.parametrize(("latitude", "longitude", "inside"), [
    (-0.9471, 100.4172, True),  # Padang's centre
    (-0.8944, 100.3508, True),  # Minangkabau airport, on the city's northern edge
    (-1.1200, 100.3700, True),  # Pulau Sikuai's waters, inside the extent
    (-6.2000, 106.8166, False),  # Jakarta
    (-0.3050, 100.3692, False),  # Bukittinggi
    (0.0, 0.0, False),  # an empty fix
])
def test_the_shipped_padang_bounds_tell_a_pin_in_the_city_from_one_elsewhere(latitude, longitude, inside) -> None:
    assert Places.for_kb(default_kb_path()).inside(latitude, longitude) is inside


def test_without_a_bounds_file_every_pin_is_accepted(tmp_path: Path) -> None:
    places = Places.for_kb(tmp_path)
    assert places.bounds is None and places.inside(-6.2, 106.8)


@pytest.mark.parametrize("content", [
    "south\twest\tnorth\teast\n",  # no row
    "south\twest\tnorth\n-1\t100\t-0.7\n",  # a column missing
    "south\twest\tnorth\teast\n-1\tabc\t-0.7\t100.6\n",  # not a number
    "south\twest\tnorth\teast\n-0.7\t100\t-1\t100.6\n",  # south above north
])
def test_a_bad_bounds_file_is_reported_and_ignored(tmp_path: Path, caplog, content: str) -> None:
    (tmp_path / "bounds.tsv").write_text(content, encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        assert Bounds.from_file(tmp_path / "bounds.tsv") is None
    assert "every shared location is accepted" in caplog.text


def test_a_kelurahan_split_in_parts_is_found_by_its_common_name() -> None:
    places = Places([("Ulak Karang Utara", "Padang Utara"), ("Ulak Karang Selatan", "Padang Utara"),
                     ("Koto Lalang", "Lubuk Kilangan"), ("Pasar Ambacang", "Kuranji"),
                     ("Lambung Bukit Timur", "Pauh"), ("Lambung Bukit Barat", "Kuranji")])
    assert places.find("depan masjid ulak karang") == Place(None, "Padang Utara")  # its kecamatan only
    assert places.find("ulak karang utara") == Place("Ulak Karang Utara", "Padang Utara")
    assert places.find("lambung bukit") is None  # the parts are in two kecamatan: no guess
    assert places.without_names("Kalau di kelurahan Ulak Karang?") == "kalau di kelurahan"


def test_place_names_are_blanked_as_written() -> None:
    places = Places([("Ulak Karang Utara", "Padang Utara"), ("Ulak Karang Selatan", "Padang Utara")])
    assert places.names_blanked("Lampu jalan mati di kel. ulak karang, dekat SD 12.") == \
        "Lampu jalan mati di kel.  , dekat SD 12."
    assert places.names_blanked("Kec. Padang-Utara") == "Kec.  "
    assert Places([]).names_blanked("di Ulak Karang") == "di Ulak Karang"


def test_a_kecamatan_named_wins_over_a_kelurahan_of_another_one_in_a_landmark() -> None:
    """Twentieth QA pass: "Jl. Pemuda depan Plaza Andalas, Padang Barat" was filed with "Kec. Padang Timur" (the
    kelurahan Andalas is there; the mall named after it is not)."""
    places = Places.for_kb(default_kb_path())
    assert places.find("Jl. Pemuda depan Plaza Andalas, Padang Barat") == Place(None, "Padang Barat")
    assert places.find("Jl. Veteran, Purus, Padang Barat") == Place("Purus", "Padang Barat")
    assert places.find("jl andalas") == Place("Andalas", "Padang Timur")
