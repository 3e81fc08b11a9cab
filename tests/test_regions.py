"""Questions about another regency's or city's services are not answered with the KB city's entries."""

import pytest

from knowledge.kb import default_kb_path
from knowledge.kbfiles import load_kb
from knowledge.matcher import FaqMatcher
from knowledge.normalize import Normalizer
from knowledge.regions import first_words, named_region, own_place

REGIONS = {"pariaman": "Pemerintah Kota Pariaman", "padang pariaman": "Pemerintah Kabupaten Padang Pariaman",
           "bukittinggi": "Pemerintah Kota Bukittinggi", "solok": "Pemerintah Kota/Kabupaten Solok",
           "padang": "Pemerintah Kota Padang"}


def test_own_place_is_the_city_name_without_its_kind():
    assert own_place("Kota Padang") == ("padang",)
    assert own_place("Kabupaten Padang Pariaman") == ("padang", "pariaman")


@pytest.mark.parametrize(("text", "named"), [
    ("jadwal spmb sd di kota pariaman kapan?", "pariaman"),
    ("Dukcapil Bukittinggi buka hari Sabtu?", "bukittinggi"),
    ("How do I get a new water connection in Solok city?", "solok"),
    ("pbb di kabupaten padang pariaman berapa", "padang pariaman"),  # the longer name, not the own city
    ("cara bayar pbb di padang pariaman sama gak kayak kota padang?", None),  # names the own city too
    ("pindah dari Bukittinggi, urus kk gmn", None),  # where someone comes from
    ("mau pindah ke solok, surat pindahnya gmn", None),  # ... or moves to
    ("ktp hilang gmn", None),
])
def test_a_region_named_as_the_place_of_the_service(text, named):
    found = named_region(text, REGIONS, ("padang",))
    assert (found[0] if found else None) == named
    assert named_region(text, REGIONS, ("padang",), first_words(REGIONS)) == found  # the quick exit agrees


@pytest.fixture(scope="module")
def padang() -> FaqMatcher:
    return FaqMatcher(load_kb(default_kb_path()).kb, Normalizer.default())


def test_another_regions_service_is_not_answered_and_the_match_says_whose_it_is(padang):
    m = padang.match("jadwal spmb sd di kota pariaman thn ini kapan?")
    assert m.decision != "answer" and m.elsewhere == "Pemerintah Kota Pariaman"
    m = padang.match("Dukcapil Bukittinggi buka hari Sabtu?")
    assert m.decision != "answer" and m.elsewhere == "Pemerintah Kota Bukittinggi"


def test_moving_from_another_region_is_still_a_padang_question(padang):
    m = padang.match("baru pindah dari bukittinggi, cara urus ktp padang gmn?")
    assert m.elsewhere is None and m.candidates[0].faq.id == "dukcapil-pindah-datang"


def test_a_region_whose_name_contains_the_own_city_is_told_apart(padang):
    # every Padang entry says "Padang"; only an entry naming "Padang Pariaman" itself would answer
    m = padang.match("bagaimana cara mengurus sertifikat tanah yang hilang di Kabupaten Padang Pariaman?")
    assert m.decision != "answer" and m.elsewhere == "Pemerintah Kabupaten Padang Pariaman"
