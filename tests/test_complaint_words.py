"""Reading corrections, refusals and more of the story typed during a complaint (handlers.complaint_words)."""

import pytest

from handlers.complaint_state import says_skip
from handlers.complaint_names import hides_name, removes_name, typed_name
from handlers.complaint_words import (adds_detail, corrected_place, detail_of, edit_asked, place_in_story, place_instead,
                                      refuses, says_also)
from knowledge.kb import default_kb_path
from knowledge.places import Places


@pytest.mark.parametrize(("text", "part"), [
    ("ubah lokasi", "lokasi"), ("eh salah alamat, maksudnya simpang DPR", "alamat"),
    ("alamatnya salah, harusnya Jl. Hamka 3", "alamat"), ("ganti fotonya", "foto"),
    ("lokasi di depan SD 12", None), ("salah paham min", None),
])
def test_a_change_asked_for(text, part):
    assert edit_asked(text) == part


@pytest.mark.parametrize(("text", "place"), [
    ("eh salah alamat, maksudnya simpang DPR bukan simpang haru", "simpang DPR"),
    ("alamatnya salah, harusnya Jl. Banuaran Raya no 15", "Jl. Banuaran Raya no 15"),
    ("jalan bukan main rusaknya", "jalan bukan main rusaknya"),  # no correction: the message whole
    ("di depan SD 12", "di depan SD 12"),
])
def test_a_corrected_place(text, place):
    assert corrected_place(text) == place


@pytest.mark.parametrize(("text", "refused"), [
    ("bukan itu instansinya", True), ("salah, harusnya ke BPBD", True), ("no, wrong office", True),
    ("bukan instansi itu ya?", True),  # a question mark alone asks nothing
    ("bukan, kalau ke BPBD bagaimana caranya?", False),  # a question: answered, not a refusal
    ("ya benar", False),
])
def test_turning_down_the_office(text, refused):
    assert refuses(text) is refused


def test_one_more_problem_and_more_of_the_story():
    assert says_also("oh iya satu lagi, lampu jalan di depannya juga mati")
    assert not says_also("juga")
    assert adds_detail("tumpukannya dekat Alfamart, baunya menyengat sekali")
    for not_detail in ("hmm ok", "makasih banyak min", "Ya, kirim", "kapan diangkut ya?"):
        assert not adds_detail(not_detail), not_detail


@pytest.mark.parametrize(("story", "place"), [
    ("The street light in front of my house on Jalan Veteran no 55, Purus is off for 2 weeks",
     "Jalan Veteran no 55, Purus"),
    ("ruko baru di jl. s parman dekat lapai dibangun menutup saluran air", "jl. s parman"),
    ("lampu jalan mati di Jl. Sudirman depan SD 12", "Jl. Sudirman"),
    ("sampah di jln. ampang no 12 sudah seminggu", "jln. ampang no 12"),
    ("pohon tumbang di jalan Khatib Sulaiman, Ulak Karang Utara", "jalan Khatib Sulaiman, Ulak Karang Utara"),
    ("5 tiang lampu jalan di jl. Adinegoro arah Lubuk Buaya padam semua", "jl. Adinegoro"),
    # the kelurahan after the street, however it is joined to it
    ("pohon tumbang di Jalan Khatib Sulaiman Ulak Karang Utara sudah 2 hari", "Jalan Khatib Sulaiman, Ulak Karang Utara"),
    ("lampu mati di jl. Veteran, kel. Purus dekat masjid", "jl. Veteran, Purus"),
    ("lampu mati di Jl Veteran No 5 Purus dekat masjid", "Jl Veteran No 5, Purus"),
    ("lampu mati di Jalan Purus IV dekat pantai", "Jalan Purus IV"),  # a street named after a kelurahan
    ("pohon besar condong ke jalan di Jl. Bandar Olo, takut roboh", "Jl. Bandar Olo"),  # "Olo" ends no street
    ("jalan di depan rumah saya rusak parah", None),  # the road the story is about, no street named
    ("JALAN RUSAK PARAH", None),
])
def test_the_street_a_story_names(story: str, place: str | None) -> None:
    assert place_in_story(story, Places.for_kb(default_kb_path())) == place


def test_a_place_said_instead_of_the_one_given() -> None:
    said = "eh maaf salah, bukan di indarung, tapi di jalan raya lubuk begalung depan SPBU"
    assert place_instead(said, "jalan raya indarung dekat pasar") == "jalan raya lubuk begalung depan SPBU"
    assert place_instead(said, "simpang haru") is None  # not the place given: another correction
    assert place_instead("bukan no 12 tapi no 21", "") is None
    assert corrected_place("i already told you, jalan veteran near purus beach") == "jalan veteran near purus beach"
    assert corrected_place("kan tadi sudah saya bilang, depan SD 12") == "depan SD 12"
    assert detail_of("tambahkan: kemarin anak tetangga digigit") == "kemarin anak tetangga digigit"
    assert detail_of("oh iya tambahan, airnya naik") == "airnya naik"
    assert typed_name("nama saya Rahmat Hidayat") == ("Rahmat Hidayat", False)  # for the OPD; published only if said
    assert typed_name("nama saya Dewi Lestari, boleh dicantumkan") == ("Dewi Lestari", True)
    assert typed_name("nama saya Hendra, tapi jangan disebut ya") == ("Hendra", False)
    assert typed_name("nama saya jangan disebut") is None


@pytest.mark.parametrize(("said", "name"), [
    # the fourteenth QA pass: these were added to the story, the name left "anonim"
    ("sy pak nasrul", ("Nasrul", False)),
    ("namo ambo Yusrizal", ("Yusrizal", False)),
    ("bukan itu, nama sy nasrul", ("Nasrul", False)),
    ("ini bu Rina, boleh disebut", ("Rina", True)),
    ("I am Mr. John Smith", ("John Smith", False)),
    ("saya pak RT 03", None),  # a role, not a name
    ("saya bu guru di SD 12", None),
    ("sy mau lapor", None),
])
def test_names_said_the_way_residents_introduce_themselves(said: str, name: tuple[str, bool] | None) -> None:
    assert typed_name(said) == name


@pytest.mark.parametrize(("said", "skips"), [
    ("lewati aja", True), ("skip dulu deh", True), ("lewatin aja", True),
    ("ada fotonya tapi ga bisa kirim, lewati aja", True),  # the fourteenth QA pass: asked again
    ("tidak ada foto", True), ("jangan dilewati", False), ("lampu jalan dilewati truk tiap malam", False),
])
def test_skipping_an_optional_step(said: str, skips: bool) -> None:
    assert says_skip(said) is skips


def test_corrections_and_names_of_the_seventeenth_qa_pass() -> None:
    assert typed_name("Hendra Gunawan, 081266554433") == ("Hendra Gunawan", False)  # had been added to the story
    assert typed_name("Jalan Veteran 12") is None
    assert corrected_place("udah tadi, perumahan belimbing kuranji") == "perumahan belimbing kuranji"
    assert corrected_place("td, jl dr sutomo dekat simpang") == "jl dr sutomo dekat simpang"
    assert corrected_place("tadi pagi di simpang haru") == "tadi pagi di simpang haru"
    assert hides_name("ga usah nama") and removes_name("ga usah nama")


def test_names_from_the_twenty_first_qa_pass() -> None:
    from handlers.complaint_names import bare_name
    assert bare_name("Pak Darwis aja") == "Pak Darwis"  # had been "Pak Darwis Aja"
    assert typed_name("panggia se ambo Mak Etek") == ("Mak Etek", False)
    assert hides_name("no name please") and hides_name("I'd rather not give my name")
    assert hides_name("indak usah namo")  # the twenty-second
