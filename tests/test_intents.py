"""Commands said in words: a complaint opening or a menu label typed without its menu."""

import pytest

from handlers.intents import typed_command


@pytest.mark.parametrize(("text", "command"), [
    ("Buat laporan", ("lapor", "")),
    ("cek status laporan.", ("status", "")),
    ("Tanya layanan", ("tanya", "")),
    ("saya mau buat laporan", ("lapor", "")),
    ("min, mau lapor lampu jalan mati di depan SD 12", ("lapor", "lampu jalan mati di depan SD 12")),
    ("ambo nio malapor", ("lapor", "")),
    ("I would like to file a complaint", ("lapor", "")),
    ("I want to report a broken street light", ("lapor", "a broken street light")),
    ("Hi, I want to report a big pothole on Jalan Hamka", ("lapor", "a big pothole on Jalan Hamka")),
    ("cek laporan sy", ("status", "")),
    ("laporan saya sudah sampai mana?", ("status", "")),
    ("min laporan sy udh smp mn", ("status", "")),
    ("status pengaduan pdg-263c85", ("status", "PDG-263C85")),
    ("check my report", ("status", "")),
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
])
def test_not_a_command(text):
    assert typed_command(text) is None
