"""Masking personal data (NIK, phone numbers, e-mail) in texts and log records."""

from __future__ import annotations

import logging

import pytest

from knowledge.privacy import MaskingFilter, has_personal_data, mask, without_personal_data


@pytest.mark.parametrize("text, expected", [
    ("NIK saya 1371012345678901", "NIK saya ••••"),
    ("nik: 1371 0123 4567 8901 tolong dicek", "NIK •••• tolong dicek"),  # the label is not said twice
    ("NIK 137101-120390-0001", "NIK ••••"),
    ("hp 0812-3456-7890", "hp 08••••••90"),
    ("+62 812 3456 7890", "08••••••90"),
    ("6281234567890", "08••••••90"),
    ("NIK sy 1371012345678901", "NIK sy ••••"),  # the label a word before is not repeated
    ("no ktp saya: 1371012345678901", "no ktp saya: ••••"),
    ("wa saya 081234567890 ya pak", "wa saya 08••••••90 ya pak"),
    ("telp (0751) 7051234", "telp 07••••••34"),
    ("email budi.santoso@gmail.com", "email b•••@gmail.com"),
    ("KK 1371010101010001 hp 62 812-3456-789", "KK •••• hp 08••••••89"),  # its own label
    ("NIK1371045507890003", "NIK ••••"),  # written without a space
    ("no ktp: 1371041234560001", "no KTP ••••"),
    ("pesanan 12345678901234567", "pesanan 12345678901234567"),  # 17 digits: not a NIK
])
def test_personal_data_is_masked(text: str, expected: str) -> None:
    assert mask(text) == expected


@pytest.mark.parametrize("text", [
    "kode pos 250111",
    "RT 003 RW 002 nomor 12",
    "status PDG-7KQ2XM",
    "tiket PDG-A1B2C3 sudah 3 hari",
    "biaya Rp 1.500.000 per tahun",
    "tanggal 05-03-2026 jam 08.30",
    "jalan no 123456",
    "nomor antrian 0123",
    "",
])
def test_ordinary_numbers_and_tickets_are_kept(text: str) -> None:
    assert mask(text) == text


def test_masking_filter_masks_messages_and_arguments(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("test.privacy")
    logger.addFilter(MaskingFilter())
    try:
        with caplog.at_level(logging.INFO, logger="test.privacy"):
            logger.info("question from %s: %s", "tg", "NIK saya 1371012345678901, hp 081234567890")
            logger.info("plain %d", 250111)
    finally:
        logger.filters.clear()
    assert caplog.messages == ["question from tg: NIK saya ••••, hp 08••••••90", "plain 250111"]


@pytest.mark.parametrize(("text", "expected"), [
    ("jalan berlubang, NIK saya 1371012345678901 hp 0812-3456-7890", "jalan berlubang,"),
    ("tolong hubungi saya di +62 812 3456 7890, lampu mati", "tolong hubungi , lampu mati"),
    ("email: budi.s@mail.com sampah menumpuk", "sampah menumpuk"),
    ("NIK saya tidak terdaftar di RT 03 RW 05", "NIK saya tidak terdaftar di RT 03 RW 05"),  # no number: kept
])
def test_personal_data_and_its_labels_are_left_out_for_routing(text: str, expected: str) -> None:
    assert without_personal_data(text) == expected
    assert has_personal_data(text) == (expected != text)
