"""Commands said in words: a complaint opening or a menu label typed without its menu."""

import pytest

from handlers.asks import asks_for_human, says_not_that
from handlers.intents import asks_how_to_report, typed_command


@pytest.mark.parametrize(("text", "command"), [
    ("Buat laporan", ("lapor", "")),
    ("cek status laporan.", ("status", "")),
    ("Tanya layanan", ("tanya", "")),
    ("saya mau buat laporan", ("lapor", "")),
    ("min, mau lapor lampu jalan mati di depan SD 12", ("lapor", "lampu jalan mati di depan SD 12")),
    ("ambo nio malapor", ("lapor", "")),
    ("ambo nio mangadu", ("lapor", "")),  # the fourteenth QA pass: a did-you-mean menu
    ("I would like to file a complaint", ("lapor", "")),
    ("I want to report a broken street light", ("lapor", "a broken street light")),
    ("Hi, I want to report a big pothole on Jalan Hamka", ("lapor", "a big pothole on Jalan Hamka")),
    ("cek laporan sy", ("status", "")),
    ("laporan saya sudah sampai mana?", ("status", "")),
    ("min laporan sy udh smp mn", ("status", "")),
    ("status pengaduan pdg-263c85", ("status", "PDG-263C85")),
    ("check my report", ("status", "")),
    # after an answer: a yes, a "then", or asking the bot to file it
    ("iya saya mau lapor", ("lapor", "")),
    ("satu lagi, mau lapor lampu jalan mati", ("lapor", "lampu jalan mati")),
    ("yes please report it", ("lapor", "")),
    ("tolong laporkan", ("lapor", "")),
    ("iy lapor aj", ("lapor", "")),
    ("iyo lapor", ("lapor", "")),
    ("ambo nio mambuek laporan", ("lapor", "")),
    ("lah tigo hari nyo karuah, ambo nio lapor", ("lapor", "lah tigo hari nyo karuah")),
    # only saying to report (the ninth QA pass)
    ("yes please report", ("lapor", "")), ("sy mau lprkan", ("lapor", "")), ("tolong dilaporkan", ("lapor", "")),
    ("oke saya lapor sekarang ya", ("lapor", "")), ("ya udah jadi lapor deh", ("lapor", "")),
    ("ambo nio lapor se", ("lapor", "")), ("lpr", ("lapor", "")),
    ("hi im a student at Unand, I want to report that the bus skips the Unand stop",
     ("lapor", "the bus skips the Unand stop")),
    ("lampu jalan di simpang Lapai mati lah duo minggu. tolong dilaporkan yo",
     ("lapor", "lampu jalan di simpang Lapai mati lah duo minggu")),
    # the tenth QA pass
    ("ambo nak malapor se lah", ("lapor", "")), ("ambo nio malaporkan iko", ("lapor", "")),
    ("buek laporan", ("lapor", "")), ("y udh lpor aja", ("lapor", "")), ("lpor aj lgsg", ("lapor", "")),
    ("ibu mau lapor nak bukan tanya", ("lapor", "")), ("ok can you file it for me please", ("lapor", "")),
    ("ya udah saya lapor aja soal meteran itu", ("lapor", "meteran itu")),
    ("oke kalau gitu jadi lapor deh yang parkir tadi", ("lapor", "parkir tadi")),
])
def test_a_command_said_in_words(text, command):
    assert typed_command(text) == command


@pytest.mark.parametrize("text", [
    "mau lapor pungli ke mana?",  # a question about reporting: the FAQ answers it
    "mau lapor, caranya gimana",
    "bagaimana cara mau lapor",
    "mau laporan keuangan",  # not a complaint
    "mau tanya jadwal posyandu",
    "How can I report a broken street light",
    "cek status izin",  # DPMPTSP's permit status: an FAQ
    "cek laporan keuangan",
    "pengaduan",
    "iya saya mau lapor, gimana caranya?",
    "laporkan ke mana?",
    "ok",
    "air keruh 3 hari, saya mau lapor ke mana?",
    "ya",
])
def test_not_a_command(text):
    assert typed_command(text) is None


@pytest.mark.parametrize(("text", "only_how"), [
    ("yaudah gimana cara laporinnya", True),
    ("mau lapor, caranya gimana", True),
    ("cara melapor?", True),
    ("gimana cara lapor jalan rusak", False),  # names what: the FAQ matcher answers
    ("lapor kemana kalau ktp hilang", False),
    ("cara lapor pungli", False),
    ("laporan saya gimana", False),  # one's own complaint
])
def test_asking_only_how_to_report(text, only_how):
    assert asks_how_to_report(text) is only_how


@pytest.mark.parametrize(("text", "person"), [
    ("saya mau bicara sama petugas aja", True),
    ("tolong sambungkan ke petugas dinsos langsung", True),
    ("bisa hubungi admin/operator manusia?", True),
    ("I want to speak with an officer", True),
    ("ambo nio bacakap jo urang se lah", True),
    ("petugas kebersihan tidak datang ke rumah", False),  # a story
    ("butuh petugas untuk angkat pohon tumbang", False),  # a request for the service
    ("hubungi petugas damkar nomor berapa", False),  # the contact question
])
def test_asking_for_a_person(text, person):
    assert asks_for_human(text) is person


@pytest.mark.parametrize(("text", "missed"), [
    ("bukan itu", True), ("bukan itu yang saya maksud", True), ("salah min", True), ("not that", True),
    ("gak nyambung", True),
    ("bukan itu min, maksud saya akta kematian", False),  # says what was meant: a question of its own
    ("salah alamat", False), ("bukan KTP tapi KIA", False),
])
def test_saying_the_answer_missed(text, missed):
    assert says_not_that(text) is missed


@pytest.mark.parametrize("text", ["yes make a report", "selamat siang, mau lapor", "assalamualaikum, sy mau lapor",
                                  "I want to make a report", "yes please file a report"])
def test_wanting_to_report_in_the_fifteenth_qa_pass(text: str) -> None:
    assert typed_command(text) == ("lapor", "")  # had got did-you-mean menus ("assalamualaikum" as the story)


def test_asking_where_to_complain_in_english() -> None:
    assert asks_how_to_report("where do i complain")


@pytest.mark.parametrize(("text", "command"), [
    ("laporan se lah pak", ("lapor", "")),  # the seventeenth QA pass: it became the story
    ("udah nelpon 112 tp sibuk, saya lapor disini aja", ("lapor", "udah nelpon 112 tp sibuk")),
    ("saya lupa nomor laporan", ("status", "")), ("nomornya lupa", ("status", "")),
    ("I forgot my ticket number", ("status", "")),
    ("saya lupa nomor kk saya", None), ("lupa nomor pin atm", None),
])
def test_commands_of_the_seventeenth_qa_pass(text: str, command: tuple[str, str] | None) -> None:
    assert typed_command(text) == command


@pytest.mark.parametrize(("text", "command"), [
    # the nineteenth QA pass: a menu of where to report roads instead of the resident's ticket
    ("pak, lobang di bypass yg sy laporkan kmrn gmn kabarnya?", ("status", "")),
    ("sampah yg kemarin sy laporin udah diangkut belum?", ("status", "")),
    ("jalan yang saya laporkan sudah diperbaiki?", ("status", "")),
    ("cara lapor jalan rusak yg sy maksud gimana", None), ("yang saya laporkan ke mana?", None),
])
def test_what_the_resident_reported_asked_after_is_their_complaints(text: str, command: tuple[str, str] | None) -> None:
    assert typed_command(text) == command


@pytest.mark.parametrize(("text", "command"), [
    ("laporan lampu jalan yg kmrn udh diperbaiki blm ya", ("status", "")),  # the twentieth QA pass: the FAQ
    ("laporan keuangan yang kemarin gimana cara buatnya", None),
])
def test_a_complaint_named_by_its_topic_asked_after(text: str, command: tuple[str, str] | None) -> None:
    assert typed_command(text) == command


@pytest.mark.parametrize("text", ["any update on my street light report?", "lah ado tanggapan dari laporan anjiang liar?"])
def test_complaints_asked_after_in_english_and_minang(text: str) -> None:
    """Twenty-first QA pass: both got the FAQ menu of where to report."""
    assert typed_command(text) == ("status", "")


@pytest.mark.parametrize(("text", "command"), [  # the twenty-second QA pass: FAQ menus (disability aid, …)
    ("can you file it for me?", ("lapor", "")), ("could you report this for me?", ("lapor", "")),
    ("udh gotong royong tp tetap aja, mau lapor aja lah", ("lapor", "udh gotong royong tp tetap aja")),
    ("can you report potholes here?", None),
])
def test_asking_the_bot_to_file_it(text: str, command: tuple[str, str] | None) -> None:
    assert typed_command(text) == command
