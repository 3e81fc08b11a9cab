"""Rendering replies for WhatsApp: formatting, splitting, buttons, lists, requests and every limit."""

from __future__ import annotations

import pytest

from bot.channels.whatsapp_render import (
    PHOTO_HINT,
    RenderError,
    buttons_body,
    render,
    render_safely,
    shorten,
    split_label,
    template_body,
    template_param,
    to_whatsapp,
    validate,
)
from handlers import complaint_texts, texts
from handlers.messages import Option, Reply
from tests.fake_graph import TEMPLATES, GraphReject, validate_message

FAQ_LABELS = ("Bagaimana cara mengurus KTP-el yang hilang atau rusak di Kota Padang?",
              "Apa saja syarat membuat akta kelahiran untuk anak yang baru lahir?",
              "Jam berapa kantor Disdukcapil buka?")


def accepted_by_meta(body: dict) -> None:
    """Check a body with the fake Graph API's own (independent) validation."""
    try:
        validate_message({"messaging_product": "whatsapp", "to": "6281234567890", **body}, TEMPLATES)
    except GraphReject as exc:
        pytest.fail(f"the Graph API would refuse {body}: {exc.code} {exc.details}")


@pytest.mark.parametrize(("core", "expected"), [
    ("Layanan ini **gratis**.", "Layanan ini *gratis*."),
    ("**Cara menggunakan**\n- ketik **lapor**", "*Cara menggunakan*\n- ketik *lapor*"),
    ("Cek pulsa: tekan *123# lalu OK", "Cek pulsa: tekan *123# lalu OK"),  # a lone marker stays
    ("Kode *888*1# untuk paket", "Kode *888*1# untuk paket"),  # markers inside a word never format
    ("5 * 3 = 15 dan 2 * 2 = 4", "5 * 3 = 15 dan 2 * 2 = 4"),
    ("Ini *penting* sekali", "Ini ∗penting* sekali"),  # would turn bold: neutralised
    ("nama _file_ dan ~coret~", "nama ˍfile_ dan ∼coret~"),
    ("kode `abc` dan ```blok```", "kode ˋabc` dan ˋˋˋblok```"),
    ("Lihat https://padang.go.id/a_b_c_d dan www.x.id/*a*", "Lihat https://padang.go.id/a_b_c_d dan www.x.id/*a*"),
    ("**bold dengan _miring_ di dalam**", "*bold dengan ˍmiring_ di dalam*"),
])
def test_core_markup_becomes_whatsapp_formatting_and_stray_markers_are_neutralised(core: str, expected: str):
    assert to_whatsapp(core) == expected


def test_long_text_is_split_under_4096_characters():
    paragraph = "Persyaratan layanan administrasi kependudukan di Kota Padang. " * 20
    bodies = render(Reply("\n\n".join([paragraph] * 12)))
    assert len(bodies) >= 3
    assert all(b["type"] == "text" and len(b["text"]["body"]) <= 4096 for b in bodies)
    emoji = render(Reply("🙏" * 3000))  # emoji count twice in UTF-16
    assert all(len(b["text"]["body"].encode("utf-16-le")) // 2 <= 4096 for b in emoji)


def test_up_to_three_options_become_reply_buttons_with_values_as_ids():
    [body] = render(Reply(complaint_texts.name_question("Siti"), options=(texts.NAME_SHOW, texts.NAME_ANON)))
    inter = body["interactive"]
    assert inter["type"] == "button"
    assert [(b["reply"]["id"], b["reply"]["title"]) for b in inter["action"]["buttons"]] == [
        ("name:show", "Tampilkan nama"), ("name:anon", "Anonim (disarankan)")]
    accepted_by_meta(body)


def test_long_button_titles_are_shortened_at_a_word_and_kept_unique():
    options = (Option("Pilih instansi lain yang lebih tepat", "route:other"), Option("Ya, benar", "route:ok"))
    [body] = render(Reply("Sudah benar?", options=options))
    titles = [b["reply"]["title"] for b in body["interactive"]["action"]["buttons"]]
    assert titles == ["Pilih instansi lain…", "Ya, benar"]
    twins = buttons_body("x", (Option("Laporan jalan rusak di Jalan Sudirman", "a"),
                               Option("Laporan jalan rusak di Jalan Khatib", "b")))
    titles = [b["reply"]["title"] for b in twins["interactive"]["action"]["buttons"]]
    assert len(set(titles)) == 2 and titles[0].startswith("1. ") and all(len(t) <= 20 for t in titles)
    accepted_by_meta(twins)


def test_four_to_ten_options_become_a_list_with_long_labels_in_the_description():
    options = tuple(Option(label, f"faq:{i}") for i, label in enumerate(FAQ_LABELS)) + (texts.NONE_OF_THESE,)
    [body] = render(Reply(texts.DID_YOU_MEAN, options=options))
    inter = body["interactive"]
    assert inter["type"] == "list" and inter["action"]["button"] == "Lihat pilihan"
    rows = inter["action"]["sections"][0]["rows"]
    assert [r["id"] for r in rows] == ["faq:0", "faq:1", "faq:2", "nf:none"]
    assert rows[0]["title"] == "Bagaimana cara mengurus…" and rows[0]["description"].startswith("KTP-el yang hilang")
    assert all(len(r["title"]) <= 24 and len(r.get("description", "")) <= 72 for r in rows)
    assert "description" not in rows[3]
    accepted_by_meta(body)


def test_more_than_ten_options_become_numbered_text():
    options = tuple(Option(f"Dinas nomor {i}", f"opd:{i}") for i in range(1, 18))
    bodies = render(Reply(complaint_texts.CHOOSE_OPD_ALL, options=options))
    assert [b["type"] for b in bodies] == ["text"]
    assert "1. Dinas nomor 1\n" in bodies[0]["text"]["body"] and "17. Dinas nomor 17" in bodies[0]["text"]["body"]


def test_location_request_uses_the_send_location_message():
    [body] = render(Reply(complaint_texts.LOCATION, options=(texts.SKIP,), request="location"))
    inter = body["interactive"]
    assert inter["type"] == "location_request_message" and inter["action"] == {"name": "send_location"}
    assert "*lewati*" in inter["body"]["text"] and "Atau ketik" not in inter["body"]["text"]
    [body] = render(Reply("Kirim lokasi Anda.", options=(Option("Tidak tahu", "loc:none"),), request="location"))
    assert body["interactive"]["body"]["text"].endswith("Atau ketik: Tidak tahu")
    accepted_by_meta(body)


def test_photo_request_is_text_with_a_hint_and_the_skip_button():
    [body] = render(Reply(complaint_texts.PHOTO, options=(texts.SKIP,), request="photo"))
    assert body["interactive"]["type"] == "button"
    assert PHOTO_HINT in body["interactive"]["body"]["text"]
    assert body["interactive"]["action"]["buttons"][0]["reply"] == {"id": "skip", "title": "Lewati"}


def test_text_longer_than_a_button_body_goes_first_as_text():
    long = "Jawaban panjang tentang perizinan usaha. " * 60  # ~2,500 characters
    bodies = render(Reply(long, options=(Option("👍 Ya", "fb:x:up"), Option("👎 Tidak", "fb:x:down"))))
    assert [b["type"] for b in bodies] == ["text", "interactive"]
    assert len(bodies[-1]["interactive"]["body"]["text"]) <= 1024
    for body in bodies:
        accepted_by_meta(body)


def test_options_without_text_get_a_prompt():
    [body] = render(Reply("", options=texts.MENU))
    assert body["interactive"]["body"]["text"] == "Silakan pilih:"


@pytest.mark.parametrize("reply", [
    Reply(texts.greeting.__doc__ or "halo", options=texts.MENU),
    Reply(complaint_texts.LOCATION_SHORT, options=(texts.SKIP,), request="location"),
    Reply(complaint_texts.CHOOSE_CATEGORY, options=tuple(Option(f"Kategori masalah nomor {i} yang panjang", f"cat:{i}")
                                                for i in range(9)) + (texts.CATEGORY_NONE,)),
    Reply("Beri nilai", options=tuple(Option(str(n), f"rate:PDG-ABC123:{n}") for n in range(1, 6))),
    Reply(""),
])
def test_every_rendered_body_passes_the_graph_api_checks(reply: Reply):
    for body in render(reply):
        accepted_by_meta(body)


def _button(i: int, title: str = "Ya", button_id: str | None = None) -> dict:
    return {"type": "reply", "reply": {"id": button_id or f"b{i}", "title": title}}


def _list(rows: list[dict], *, button: str = "Pilih", sections: int = 1, section_title: str = "Pilihan") -> dict:
    chunks = [rows[i::sections] for i in range(sections)]
    return {"type": "interactive", "interactive": {"type": "list", "body": {"text": "x"}, "action": {
        "button": button, "sections": [{"title": section_title, "rows": c} for c in chunks]}}}


@pytest.mark.parametrize(("body", "problem"), [
    ({"type": "text", "text": {"body": "x" * 4097}}, "longer than 4096"),
    ({"type": "text", "text": {"body": ""}}, "missing or empty"),
    ({"type": "interactive", "interactive": {"type": "button", "body": {"text": "x"},
                                             "action": {"buttons": [_button(i) for i in range(4)]}}}, "4 buttons"),
    ({"type": "interactive", "interactive": {"type": "button", "body": {"text": "x"},
                                             "action": {"buttons": [_button(0, "x" * 21)]}}}, "button title"),
    ({"type": "interactive", "interactive": {"type": "button", "body": {"text": "x"}, "action": {
        "buttons": [_button(0, "A", "same"), _button(1, "B", "same")]}}}, "ids are not unique"),
    ({"type": "interactive", "interactive": {"type": "button", "body": {"text": "x" * 1025},
                                             "action": {"buttons": [_button(0)]}}}, "body"),
    (_list([{"id": f"r{i}", "title": "t"} for i in range(11)]), "11 rows"),
    (_list([{"id": "r", "title": "x" * 25}]), "row title"),
    (_list([{"id": "r", "title": "t", "description": "x" * 73}]), "row description"),
    (_list([{"id": "r", "title": "t"}], button="x" * 21), "list button text"),
    (_list([{"id": "a", "title": "t"}, {"id": "b", "title": "u"}], sections=2, section_title="x" * 25),
     "section title"),
    (template_body("status_laporan", "id", ["PDG-ABC123", "Selesai", "baris\nbaru"]), "newline"),
])
def test_validate_refuses_every_broken_limit(body: dict, problem: str):
    with pytest.raises(RenderError, match=problem):
        validate(body)


def test_a_render_bug_degrades_to_plain_text(monkeypatch: pytest.MonkeyPatch):
    import bot.channels.whatsapp_render as render_module

    def broken(reply: Reply) -> list[dict]:
        raise RenderError("simulated")

    monkeypatch.setattr(render_module, "render", broken)
    bodies = render_safely(Reply("Pilih:", options=texts.MENU))
    assert [b["type"] for b in bodies] == ["text"] and "4. Bantuan" in bodies[0]["text"]["body"]


def test_labels_shorten_at_words():
    assert shorten("Cek status laporan", 20) == "Cek status laporan"
    assert shorten("Pengaduan pelayanan kesehatan puskesmas", 20) == "Pengaduan pelayanan…"
    assert split_label("Lainnya / tidak tahu") == ("Lainnya / tidak tahu", None)
    title, rest = split_label("Apa saja syarat membuat akta kelahiran?")
    assert (title, rest) == ("Apa saja syarat membuat…", "akta kelahiran?")


def test_template_parameters_are_one_clean_line():
    assert template_param("  Petugas   sudah\n\tmeninjau  lokasi ") == "Petugas sudah meninjau lokasi"
    assert template_param("") == "-" and template_param(None) == "-"
    assert len(template_param("x" * 1000)) == 300
