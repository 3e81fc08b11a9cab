"""Moving house: a move into the city and a move out of it get their own entries, whatever places are named."""

import pytest

from knowledge.kb import default_kb_path
from knowledge.kbfiles import load_kb
from knowledge.matcher import FaqMatcher
from knowledge.moving import moving_direction, with_direction
from knowledge.normalize import Normalizer

REGIONS = {"padang pariaman": "Pemerintah Kabupaten Padang Pariaman", "bukittinggi": "Pemerintah Kota Bukittinggi",
           "jakarta": "Pemerintah Provinsi DKI Jakarta", "padang": "Pemerintah Kota Padang"}
OWN = ("padang",)


@pytest.mark.parametrize(("text", "direction"), [
    ("saya mau pindah ke padang dari jakarta", "in"),
    ("mau pindah domisili ke kota padang", "in"),
    ("pindahan dari bukittinggi, ktp gmn", "in"),
    ("I am moving to Padang from Jakarta", "in"),
    ("baru pindah dari luar kota, urus kk dmn", "in"),
    ("cara pindah dari padang ke bukittinggi", "out"),
    ("mau pindah ke jakarta surat pindahnya gmn", "out"),
    ("mau pindah ke luar padang", "out"),
    ("pindah domisili ke luar kota", "out"),
    ("pindah dari kota padang ke kabupaten padang pariaman", "out"),  # the longer name is not the city
    ("mau pindah, surat pindahnya gmn", None),  # no direction given
    ("pindah ke padang dari padang pariaman lalu ke jakarta", None),  # in and out: unclear
    ("ktp saya masih jakarta", None),  # not about moving
])
def test_the_direction_comes_from_the_prepositions(text, direction):
    found = moving_direction(text, REGIONS, OWN)
    assert (found[0] if found else None) == direction


def test_other_places_give_way_to_the_registrys_word_for_the_direction():
    assert with_direction("pindah ke Padang dari Jakarta", REGIONS, OWN) == "pindah ke Padang dari  datang masuk"
    assert with_direction("pindah ke luar kota", REGIONS, OWN) == "pindah ke luar kota keluar luar"
    assert with_direction("jadwal sampah", REGIONS, OWN) == "jadwal sampah"


@pytest.fixture(scope="module")
def padang() -> FaqMatcher:
    return FaqMatcher(load_kb(default_kb_path()).kb, Normalizer.default())


@pytest.mark.parametrize(("text", "entry"), [
    ("saya mau pindah ke padang dari jakarta, urus apa saja", "dukcapil-pindah-datang"),
    ("saya baru pindah ke padang, ktp masih jakarta", "dukcapil-pindah-datang"),
    ("I am moving to Padang from Jakarta, how do I change my ID card", "dukcapil-pindah-datang"),
    ("cara pindah dari padang ke bukittinggi", "dukcapil-pindah-keluar"),
    ("mau pindah ke jakarta surat pindahnya gmn", "dukcapil-pindah-keluar"),
])
def test_padang_answers_a_move_in_and_a_move_out_with_their_own_entries(padang, text, entry):
    match = padang.match(text)
    assert match.decision == "answer" and match.candidates[0].faq.id == entry
