"""Reply → Telegram rendering: escaping, bold, keyboards, splitting; checked against the fake's HTML parser."""

from __future__ import annotations

from pathlib import Path

from telegram import InlineKeyboardMarkup, ReplyKeyboardMarkup, ReplyKeyboardRemove

from bot.channels.telegram_render import (
    INDEX_PREFIX,
    LOCATION_LABEL,
    MAX_TEXT,
    chosen_label,
    render,
    to_html,
    utf16_len,
    with_keyboard_removed,
)
from handlers.messages import Option, Reply
from tests.fake_telegram import visible_text


def test_user_text_is_escaped_and_bold_converted():
    html = to_html("**Syarat** KTP <script>alert(1)</script> & <b>bukan tebal</b>")
    assert html.startswith("<b>Syarat</b> KTP &lt;script&gt;")
    assert "&amp; &lt;b&gt;bukan tebal&lt;/b&gt;" in html
    visible, error = visible_text(html, "HTML")
    assert error is None
    assert visible.startswith("Syarat KTP <script>")


def test_unbalanced_stars_stay_literal_and_parse():
    for text in ("harga 5 ** 2", "**", "a ** b ** c **", "****", "**<i>**"):
        assert visible_text(to_html(text), "HTML")[1] is None, text


def test_options_become_inline_buttons_with_values_as_callback_data():
    options = (Option("👍 Ya", "fb:up:ktp"), Option("👎 Tidak", "fb:down:ktp"))
    reply = Reply("Apakah jawaban ini membantu?", options=options)
    [out] = render(reply)
    assert isinstance(out.markup, InlineKeyboardMarkup)
    [row] = out.markup.inline_keyboard
    assert [(b.text, b.callback_data) for b in row] == [("👍 Ya", "fb:up:ktp"), ("👎 Tidak", "fb:down:ktp")]


def test_long_labels_one_per_row_and_too_long_values_fall_back_to_numbers():
    long_value = "x" * 65
    options = (Option("Cara mengurus KTP elektronik yang hilang", "faq:ktp-el-hilang"),
               Option("Pilihan dengan nilai terlalu panjang untuk Telegram", long_value))
    [out] = render(Reply("Maksud Anda?", options=options))
    rows = out.markup.inline_keyboard
    assert len(rows) == 2
    assert rows[1][0].callback_data == f"{INDEX_PREFIX}2"
    assert all(len(b.callback_data.encode()) <= 64 for r in rows for b in r)
    assert chosen_label(out.markup, "faq:ktp-el-hilang") == "Cara mengurus KTP elektronik yang hilang"


def test_rating_buttons_in_one_row():
    options = tuple(Option(str(n), f"rate:PDG-ABC123:{n}") for n in range(1, 6))
    [out] = render(Reply("Beri nilai", options=options))
    assert len(out.markup.inline_keyboard) == 1


def test_location_request_is_a_reply_keyboard_with_share_button_and_skip():
    [out] = render(Reply("Kirim lokasi", request="location"))
    assert isinstance(out.markup, ReplyKeyboardMarkup)
    buttons = [b for row in out.markup.keyboard for b in row]
    assert buttons[0].text == LOCATION_LABEL and buttons[0].request_location
    assert buttons[1].text == "Lewati"
    assert out.markup.one_time_keyboard


def test_long_text_is_split_within_telegram_limit_and_keyboard_on_last_part():
    paragraph = "**Langkah** " + "kata " * 300
    text = "\n\n".join([paragraph] * 6)
    outs = render(Reply(text, options=(Option("Menu", "cmd:start"),)))
    assert len(outs) >= 2
    for o in outs:
        visible, error = visible_text(o.text, "HTML")
        assert error is None
        assert utf16_len(visible) <= MAX_TEXT
    assert all(o.markup is None for o in outs[:-1]) and outs[-1].markup is not None


def test_emoji_heavy_text_respects_utf16_limit():
    outs = render(Reply("😀" * 3000))
    assert len(outs) == 2
    assert all(utf16_len(visible_text(o.text, "HTML")[0]) <= MAX_TEXT for o in outs)


def test_photo_reply_uses_caption_and_refuses_paths_outside_media(tmp_path: Path):
    (tmp_path / "a.jpg").write_bytes(b"\xff\xd8\xff")
    [out] = render(Reply("Foto **laporan**", photo="a.jpg"), tmp_path)
    assert out.method == "sendPhoto" and out.text == "Foto <b>laporan</b>"
    [out] = render(Reply("Foto", photo="../etc/passwd"), tmp_path)
    assert out.method == "sendMessage"


def test_keyboard_removal_rides_on_first_message_without_keyboard():
    outs = render(Reply("Terima kasih")) + render(Reply("Kirim foto", options=(Option("Lewati", "skip"),)))
    outs, pending = with_keyboard_removed(outs)
    assert isinstance(outs[0].markup, ReplyKeyboardRemove) and not pending
    outs, pending = with_keyboard_removed(render(Reply("Pilih", options=(Option("Ya", "ya"),))))
    assert pending and isinstance(outs[0].markup, InlineKeyboardMarkup)


def test_photo_with_long_text_sends_photo_then_text(tmp_path: Path):
    (tmp_path / "a.jpg").write_bytes(b"\xff\xd8\xff")
    outs = render(Reply("Laporan baru " + "x" * 1500, photo="a.jpg", options=(Option("Ya", "ya"),)), tmp_path)
    assert [o.method for o in outs] == ["sendPhoto", "sendMessage"]
    assert outs[0].text == "" and outs[1].markup is not None


def test_inline_keyboards_carry_their_json_equal_to_ptbs():
    long_value = "x" * 65
    option_sets = [
        (Option("👍 Ya", "fb:up:ktp"), Option("👎 Tidak", "fb:down:ktp")),
        (Option("Cara mengurus KTP elektronik yang hilang", "faq:ktp-el-hilang"), Option("<b>&</b>", long_value)),
        tuple(Option(str(n), f"rate:PDG-ABC123:{n}") for n in range(1, 6)),
    ]
    for options in option_sets:
        outs = render(Reply("teks " * 2000, options=options))  # split: the keyboard rides on the last part
        assert outs[-1].markup_json == outs[-1].markup.to_dict()
        assert all(o.markup_json is None and o.markup is None for o in outs[:-1])
    located = render(Reply("Kirim lokasi", options=(Option("Lewati", "skip"),), request="location"))[-1]
    assert located.markup_json is None and isinstance(located.markup, ReplyKeyboardMarkup)


def test_masked_personal_data_renders_as_written() -> None:
    """The masks' hints had been asterisks: "NIK **** hp 08******56" came out as "NIK <b>** hp 08</b>****56"."""
    from knowledge.privacy import mask

    masked = mask("NIK saya 1371012345678901 hp 081234567856")
    assert to_html(f"Masalah: {masked}") == f"Masalah: {masked}"
