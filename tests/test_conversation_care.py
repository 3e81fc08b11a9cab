"""What a resident testing the web chat by hand found (2026-12-07): emergencies, leaving a flow in words,
tickets named in words, asking what the bot can do, buttons pressed again, an OPD's contact, and the
complaint flow's rough edges (a photo or a question at the wrong step, no name to show, a long story)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from handlers import texts
from handlers.asks import asks_about_others, asks_about_privacy, asks_what_is_kept
from handlers.emergency import in_crisis, is_emergency
from handlers.messages import Option, Photo, pick_option
from knowledge.records.models import ComplaintRow, EventRow
from knowledge.records.tickets import find_city_ticket
from tests.conftest_chat import Chat
from tests.test_conversation_complaint import COMPLAINT, file_complaint


async def events(chat: Chat, kind: str) -> list[EventRow]:
    async with chat.services.db.session() as session:
        return list((await session.scalars(select(EventRow).where(EventRow.kind == kind)
                                           .order_by(EventRow.id))).all())


async def complaints(chat: Chat) -> list[ComplaintRow]:
    async with chat.services.db.session() as session:
        return list((await session.scalars(select(ComplaintRow).order_by(ComplaintRow.id))).all())


# --- emergencies ----------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "tolong ada kebakaran di pasar raya sekarang!!",
    "rumah saya kebanjiran air sampai dada, anak2 terjebak",
    "rumah tetangga terbakar sekarang api besar",
    "ada orang tenggelam di pantai air manis",
    "ada yg pingsan di jalan, butuh ambulans",
    "help! my neighbour's house is on fire",
    "there's a fire near the market",
    # found in the third QA pass: Minang, floods with people stuck, the injured, crimes in progress
    "api nya gadang bana di pasar raya, tolong!",
    "ado urang kacelakaan di simpang haru, badarah-darah",
    "aia gadang masuak rumah, urang tuo indak bisa kalua",
    "air sudah masuk rumah setinggi dada, kami tidak bisa keluar, tolong",
    "flood water rising fast, we are stuck on the roof",
    "motor saya ditabrak, saya luka-luka, harus kemana?",
    "korban tabrak lari tergeletak di jalan",
    "anak saya kejepit di pagar besi",
    "ada kabel listrik putus dan korsleting, keluar api",
    "ada perampokan sedang terjadi di toko depan rumah",
    # Minangkabau, from the web-chat QA pass: a seizure (kajang), fainting (pangsan), unconscious
    "anak ambo paneh tinggi sampai kajang-kajang",
    "ado urang pangsan di jalan",
    "anak ambo indak sadar",
    # from the residents' QA pass: floodwater in the house at knee height or more, even without "stuck"
    "air sudah masuk rumah setinggi lutut di kuranji, kami harus kemana",
    "banjia lah sapinggang di rumah ambo",
    # the tenth QA pass: the depth further from the water; smoke seen now
    "tolong pak, aia lah masuak ka rumah kami di Kampuang Kalawi, lah sapinggang, ado urang gaek nan indak bisa bajalan",
    "there is smoke coming out of a shophouse on Jalan Niaga right now, what number do I call??",
    # the eleventh: asking whom to call because it is an emergency
    "ini darurat gak? saya harus telpon siapa",
    "this is an emergency, who do I call?",
    # the twelfth: a hazard about to hurt someone
    "how long will it take? the tree can fall anytime, it's raining hard",
    "it's dangerous, the tree is leaning on a power line now",
    "kabel listrik putus di jalan, masih ada percikan api, orang lewat bahaya",
    "pohon besar depan sekolah bisa tumbang sewaktu-waktu",
    # the thirteenth: water rising, water in the house
    "air sungai di belakang rumah naik terus, sudah hampir masuk rumah, hujan belum berhenti",
    "airnya sudah masuk rumah sekarang, selutut",
    # the fourteenth QA pass ("my neighbour collapsed" got a did-you-mean menu)
    "hello where can i get an ambulance in padang, my neighbour collapsed", "my dad is having a heart attack",
    "ayah saya kena serangan jantung, tolong", "nenek sesak napas parah sekarang",
    # the sixteenth (a menu of illegal buildings and parking)
    "anak kecil jatuh ke gorong2 yg tutupnya hilang di jl sawahan, kakinya berdarah", "anaknya luka parah pak, gimana ini",
    # the seventeenth (menus, one offering the ODGJ entry)
    "gempa barusan kerasa banget ya, berapa magnitudonya? ada potensi tsunami ga??",
    "did you feel the earthquake just now? is there a tsunami warning?",
    # the eighteenth ("urusan PLN", a menu of child development, "no answer … DPUPR")
    "ada kabel listrik putus di jalan, ada anak kena setrum barusan masih tergeletak", "anaknya ga gerak pak tolong!!",
    "ibu2 jatuh di got depan pasar... kepalanya berdarah", "air sungai batang kuranji naik cepat, warga mulai panik",
    "pohonnya makin goyang",
    # the nineteenth (no numbers, or a calm FAQ): someone stuck in a lift, a child locked in a car
    "tolong, ado urang tasangkuik di lift mal, lah satangah jam",
    "tolong ada anak kecil kekunci di dalam mobil… panas bgt",
    "my son is locked in the car and it's hot",
    # the twenty-second: someone being beaten now (had got a Damkar entry on people locked in a room)
    "pak tolong suami sy lg mukulin sy skrg, sy kunci diri di kamar mandi", "my husband is beating me",
])
def test_emergencies_happening_now(text: str) -> None:
    assert is_emergency(text)


@pytest.mark.parametrize("text", [
    "syarat surat keterangan kebakaran utk asuransi",
    "cara menolong orang tenggelam",
    "tolong perbaiki jalan, sering kecelakaan",
    "saya terjebak macet di by pass",
    "sampah hanyut di sungai",
    "jalan tenggelam kalau hujan",
    "bantuan untuk korban kebakaran kemarin apa saja",
    "hidran ditutupi lapak, kalau ada kebakaran tidak bisa dipakai",
    "rambu dilarang parkir roboh, sekarang mobil parkir sembarangan",
    "Is the fire brigade hiring?",
    "nomor darurat 112 tidak diangkat waktu ada tabrakan tadi malam",
    "tahun lalu ada kecelakaan di jalan ini, sekarang lubangnya belum ditambal",
    "di tikungan ini pernah ada kecelakaan, minta dipasang cermin",
    "saya mau donor darah untuk korban kecelakaan, dimana?",
    "film tentang kebakaran hutan bagus ga",
    "kenapa banyak kebakaran di padang akhir-akhir ini?",
    "rambu dilarang parkir roboh ditabrak mobil, sekarang mobil parkir sembarangan",
    "ranting pohon menjuntai ke kabel listrik, takut korsleting",
    "ktp saya tidak bisa keluar dari dukcapil",
    "jalan kajang rusak",  # kajang without a person is an awning or a name, not a seizure
    "kemarin banjir selutut di jalan depan rumah",
    "kalau banjir setinggi lutut apa yang harus dilakukan",
    "lutut saya sakit, puskesmas buka jam berapa",
    "atap rumah bocor kalau hujan, ada bantuan?",
    "smoke coming from my neighbours kitchen every day",
    "kalau darurat telpon siapa?",  # a what-if: the FAQ on 112 answers it
    "nomor darurat padang berapa",
    "kalau pohon bisa tumbang sewaktu-waktu lapor kemana",
    "what if a tree is about to fall?",
    "air pdam naik terus tagihannya", "harga naik terus",
    "the old bridge collapsed last year", "apakah BPJS menanggung serangan jantung?",
    "kalau anak saya sesak napas ke puskesmas mana?",
    "kemarin anak saya luka ringan jatuh dari motor", "tahun lalu tetangga kritis di rumah sakit",
    "warga yang terluka parah dalam kecelakaan bulan lalu sudah dapat santunan?",
    "kalau gempa ke mana evakuasinya?", "gempa kemarin merusak sekolah, siapa yang perbaiki?",
    "kalau anak kena setrum harus gimana?", "pohon di depan rumah bergoyang kena angin kemarin", "harga cabai naik cepat",
    "mobil saya terkunci, kuncinya ketinggalan di dalam", "lift di mal sering rusak, siapa yang mengawasi?",
    "suami sy sering mukul sy, sy harus lapor kemana", "anak sy lagi dipukuli temannya di sekolah tiap hari",
])
def test_not_emergencies(text: str) -> None:
    assert not is_emergency(text)


async def test_an_emergency_gets_the_numbers_first_as_a_question_and_as_a_complaint(chat: Chat) -> None:
    await chat.say("/start")
    await chat.say("tolong ada kebakaran di pasar sekarang!!")
    assert chat.last[0].text.startswith("⚠️") and "**112**" in chat.last[0].text
    assert "Maksud Anda" not in chat.text and "/lapor" in chat.last[-1].text  # no menu of look-alikes
    await chat.say("/lapor")
    await chat.say("rumah tetangga terbakar sekarang api besar di jalan melati")
    assert chat.last[0].text.startswith("⚠️") and "tidak ditangani seketika" in chat.last[0].text
    assert "diteruskan ke" in chat.text or "instansi" in chat.text  # the complaint can still be filed
    await chat.say("batal")
    await chat.say("syarat surat keterangan kebakaran untuk asuransi")
    assert "⚠️" not in chat.text


# --- thinking of ending one's life -----------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "aku ingin bunuh diri malam ini", "sy capek hidup, rasanya mau mati aja",
    "ambo lah indak tahan hiduik, nio mati se",
    "ga mau hidup lagi", "hidup ku udah ga ada artinya", "pengen mati aja", "lebih baik aku mati",
    "teman saya bilang mau mengakhiri hidupnya", "i want to die", "I keep thinking about killing myself",
    "sometimes I want to end my life",
])
def test_thinking_of_ending_a_life_is_heard(text: str) -> None:
    assert in_crisis(text)


@pytest.mark.parametrize("text", [
    "lampunya mau mati", "mati lampu lagi", "saya mau lapor lampu jalan mati", "hidup sehat di padang gimana",
    "tidak ingin hidup mewah", "akta kematian ayah", "air mati terus", "pajak motor mati 2 tahun",
])
def test_a_lamp_or_a_tax_that_lapsed_is_no_crisis(text: str) -> None:
    assert not in_crisis(text)


async def test_someone_thinking_of_ending_their_life_gets_kind_words_and_where_help_is_not_a_menu(chat: Chat) -> None:
    await chat.say("/start")
    await chat.say("sy capek hidup, rasanya mau mati aja")  # had got BPJS, neglected elderly and death certificates
    assert len(chat.last) == 1 and chat.last[0].text == texts.CRISIS and not chat.last[0].options
    assert "**112**" in chat.text and "puskesmas" in chat.text and "Maksud Anda" not in chat.text
    assert not [e for e in await events(chat, "unanswered")]  # not shown to OPD admins as a question to answer
    assert [e.outcome for e in await events(chat, "question")] == ["crisis"]
    await chat.say("aku ingin bunuh diri malam ini")  # the mental-health entry, found for sure, may follow
    assert chat.last[0].text == texts.CRISIS and "⚠️" not in chat.text


# --- leaving a flow in words ----------------------------------------------------------------------


@pytest.mark.parametrize("words", ["gak jadi", "eh gak jadi deh", "ga jadi lapor", "cancel", "batalkan aja",
                                   "oh gt, ok batal aja"])  # the last: the twenty-fourth QA pass
async def test_a_flow_is_left_with_words_at_any_step(chat: Chat, words: str) -> None:
    await chat.say("/start")
    await chat.say("/lapor")
    await chat.say(COMPLAINT)
    await chat.say("ya")
    assert chat.last[-1].request == "location"
    await chat.say(words)
    assert "dibatalkan" in chat.text
    state = await chat.services.state.get(f"{chat.channel}:{chat.user_id}")
    assert not state.get("flow") and not state.get("lapor")
    await chat.say("/lapor")
    await chat.say(words)  # at the description step too, not "too short"
    assert "dibatalkan" in chat.text


async def test_cancel_words_inside_a_description_are_the_description(chat: Chat) -> None:
    await chat.say("/lapor")
    await chat.say("perbaikan jalan rusak di depan sekolah gak jadi dikerjakan padahal sudah dijanjikan")
    assert "dibatalkan" not in chat.text and "Sudah benar?" in chat.text


# --- tickets and complaints asked after in words ----------------------------------------------------


def test_a_ticket_is_found_however_it_is_written() -> None:
    for text in ("cek status TST-AB12CD", "status: TST-AB12CD", "cek status TST AB12CD", "tst-ab12cd sudah diproses?",
                 "no laporan TST-AB12CD", "TST-AB12CD?", "tstab12cd"):
        assert find_city_ticket(text, "TST") == "TST-AB12CD", text
    for text in ("cara daftar", "TST-AB12CDE", "XTST-AB12CD", "PDG-AB12CD"):
        assert find_city_ticket(text, "TST") is None, text
    assert find_city_ticket("tst-ab12co", "TST") == "TST-AB12C0"  # O for 0


async def test_a_ticket_named_in_a_short_message_gets_its_status(chat: Chat) -> None:
    await chat.say("/start")
    ticket = await file_complaint(chat)
    code, rest = ticket.split("-")
    for text in (f"cek status {ticket}", f"{ticket.lower()} sudah diproses belum?", f"status: {code} {rest}",
                 f"no laporan {ticket}", f"{ticket}?"):
        await chat.say(text)
        assert f"Laporan {ticket}" in chat.text and "Status:" in chat.text, text
    assert "Lokasi: -" in chat.text and "Foto: tidak ada" in chat.text  # what was filed, in the details too
    await chat.say("gmn perkembangan laporan sampah saya")
    assert ticket in chat.text and "status" in chat.text.lower()


# --- what the bot can do, thanks in Minang, salam -------------------------------------------------


async def test_asking_what_the_bot_can_do_gets_the_help_not_an_faq(chat: Chat) -> None:
    await chat.say("/start")
    for text in ("apa aja yg bisa dibantu?", "bisa bantu apa aja min?", "saya butuh bantuan", "what can you do?"):
        await chat.say(text)
        assert "Cara menggunakan" in chat.text, text
    assert not await events(chat, "unanswered")


async def test_minang_thanks_and_the_salam_get_their_answer(chat: Chat) -> None:
    await chat.say("assalamualaikum")
    assert chat.text.startswith("Waalaikumsalam")
    await chat.say("Assalamu alaikum wr wb min")
    assert chat.text.startswith("Waalaikumsalam") and "Halo juga" in chat.text
    await chat.say("halo")
    assert not chat.text.startswith("Waalaikumsalam")
    await chat.say("tarimo kasih yo")
    assert "Sama-sama" in chat.text


# --- buttons pressed again, numbers alone ------------------------------------------------------------


async def test_a_button_label_or_a_number_sent_again_is_a_stale_choice_not_a_question(chat: Chat) -> None:
    await chat.say("/start")
    await chat.say("ktp saya hilang gimana")
    await chat.say("👍 Ya")
    assert "Terima kasih atas masukan" in chat.text
    await chat.say("👍 Ya")  # pressed again: read as an acknowledgement
    assert chat.text.startswith("Baik.")
    for text in ("5", "👎 Tidak", "Ya, kirim", "Bukan semuanya", "7"):  # "7": the menu offers 4
        await chat.say(text)
        assert "sudah tidak berlaku" in chat.text, text
    await chat.say("1")  # the stale reply offers the menu again: its first option
    assert "Silakan ketik pertanyaan" in chat.text
    assert not await events(chat, "unanswered")
    assert len(await events(chat, "feedback")) == 1


def test_a_label_cut_to_fit_a_button_can_be_sent_back() -> None:
    long = Option("Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu (D...", "opd:dpmptsp")
    cut = Option("Bagaimana cara mengurus surat pindah keluar kota untuk satu…", "faq:pindah")
    options = (Option("Dinas Sosial (Dinsos)", "opd:dinsos"), long, cut)
    assert pick_option("Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu (D...", options) == long
    assert pick_option("Bagaimana cara mengurus surat pindah keluar kota untuk satu…", options) == cut
    assert pick_option("Dinas Penanaman Modal", options) is None


def test_a_plain_yes_or_no_answers_a_yes_no_question() -> None:
    yes, no = Option("Ya, batalkan", "withdraw-yes:T"), Option("Tidak, lanjutkan", "withdraw-no:T")
    assert pick_option("iya", (yes, no)) == yes and pick_option("Gak", (yes, no)) == no
    feedback = (Option("👍 Ya", "fb:x:up"), Option("👎 Tidak", "fb:x:down"))
    assert pick_option("ok", feedback) is None  # "ok" after an answer is a thank-you, not a rating
    assert pick_option("ya", (Option("Ya, benar", "a"), Option("Ya, kirim", "b"))) is None  # which one?


# --- the complaint flow's rough edges ---------------------------------------------------------------


async def to_the_name_step(chat: Chat, story: str = COMPLAINT) -> None:
    """Start a complaint, accept the proposed OPD and skip the place and the photo."""
    for text in ("/lapor", story, "ya", "lewati", "lewati"):
        await chat.say(text)


async def test_a_photo_sent_at_the_summary_is_kept(chat: Chat) -> None:
    await to_the_name_step(chat)
    await chat.say("Anonim (disarankan)")
    assert "Foto: tidak ada" in chat.text
    await chat.say(photo=Photo("test/late.jpg"))
    assert "Foto diterima" in chat.text and "Foto: ada" in chat.text
    await chat.say("ya")
    [row] = await complaints(chat)
    assert row.photo_path == "test/late.jpg"


async def test_a_question_at_the_address_step_is_answered_not_stored_as_the_address(chat: Chat) -> None:
    await chat.say("/lapor")
    await chat.say(COMPLAINT)
    await chat.say("ya")
    await chat.say("eh btw ktp saya hilang gimana ya?")
    assert "surat keterangan hilang" in chat.text  # the FAQ's answer
    assert "belum terkirim" in chat.text and chat.last[-1].request == "location"
    await chat.say("Jl. Melati no. 5")
    await chat.say("lewati")
    await chat.say("Anonim (disarankan)")
    assert "Lokasi: Jl. Melati no. 5" in chat.text


async def test_without_a_name_from_the_channel_one_is_asked_and_with_one_it_is_shown(chat: Chat) -> None:
    await to_the_name_step(chat)
    assert "**Siti Rahma**" in chat.text and chat.options == ["Tampilkan nama", "Anonim (disarankan)"]
    web = chat.as_user("web-1", "web")
    web.display_name = None
    await to_the_name_step(web)
    assert "Siapa nama Anda? (opsional)" in web.text and web.options == ["Lewati"]
    await web.say("lewati")
    assert "Ringkasan laporan" in web.text and "Nama: anonim" in web.text


async def test_a_long_story_is_filed_whole_and_a_too_long_one_is_cut_with_notice(chat: Chat) -> None:
    story = "Sampah di depan rumah kami tidak diangkut. " * 40  # about 1,700 characters
    await to_the_name_step(chat, story)
    assert "4.000 karakter" not in chat.text
    await chat.say("Anonim (disarankan)")
    assert "(teks lengkap tetap tersimpan)" in chat.text
    await chat.say("ya")
    [row] = await complaints(chat)
    assert row.description == story.strip()
    await chat.say("/lapor")
    await chat.say("Sampah menumpuk. " * 400)
    assert "4.000 karakter pertama" in chat.text


# --- an OPD's contact --------------------------------------------------------------------------------


async def test_asking_for_an_opds_contact_gets_that_opds_contact(chat: Chat) -> None:
    await chat.say("/start")
    await chat.say("alamat kantor dlh dimana?")
    assert "Kontak **Dinas Lingkungan Hidup (DLH)**" in chat.text and "Jl. Bersih No. 2" in chat.text
    await chat.say("berapa nomor telepon dinas sosial?")  # the test KB gives Dinsos no contact
    assert "Dinas Sosial" in chat.text and "belum tersedia" in chat.text and "Lingkungan" not in chat.text
    assert "112" not in chat.text  # the fourteenth QA pass: an office's address is no emergency
    [unanswered] = await events(chat, "unanswered")
    assert unanswered.opd == "dinsos" and unanswered.outcome == "contact"
    outcomes = [(e.outcome, e.opd, e.answered) for e in await events(chat, "question")]
    assert outcomes[-2:] == [("contact", "dlh", True), ("contact", "dinsos", False)]



async def test_a_complaint_for_a_body_that_is_not_the_citys_says_so_and_still_lets_the_resident_choose(chat: Chat) -> None:
    await chat.say("/lapor")
    await chat.say("listrik padam di kampung kami sejak pagi tadi")
    assert "urusan **PLN" in chat.text and "Lainnya" in chat.options


# --- the second QA pass -------------------------------------------------------------------------------


async def test_an_emergency_typed_at_a_later_step_gets_the_numbers_and_is_not_stored(chat: Chat) -> None:
    await chat.say("/lapor")
    await chat.say(COMPLAINT)
    await chat.say("ya")
    await chat.say("tolong ada kebakaran di sebelah!")
    assert chat.last[0].text.startswith("⚠️") and chat.last[-1].request == "location"
    state = await chat.services.state.get(f"{chat.channel}:{chat.user_id}")
    assert "address" not in state["lapor"]


async def test_lapor_followed_by_a_question_is_a_question_and_a_question_at_the_description_is_answered(
        chat: Chat) -> None:
    await chat.say("/start")
    await chat.say("lapor ktp hilang ke mana?")
    assert "Ceritakan masalahnya" not in chat.text and chat.last[-1].kind in ("answer", "suggest")
    state = await chat.services.state.get(f"{chat.channel}:{chat.user_id}")
    assert not state.get("flow")
    await chat.say("/lapor")
    await chat.say("eh bentar, syarat ktp hilang apa ya?")  # answered (here: did you mean), then the step again
    assert chat.last[0].kind in ("answer", "suggest") and "belum terkirim" in chat.text
    assert chat.last[-1].text.startswith("Ceritakan masalahnya")
    suggestion = next(o for r in chat.last for o in r.options if o.value.startswith("faq:"))
    await chat.say(option=suggestion.value)  # a did-you-mean button pressed mid-flow is answered
    assert chat.last[0].kind == "answer"
    await chat.say("udah ga usah")
    assert "dibatalkan" in chat.text


async def test_going_back_in_the_flow_and_editing_at_the_summary(chat: Chat) -> None:
    await chat.say("/lapor")
    await chat.say(COMPLAINT)
    await chat.choose("Pilih instansi lain")
    await chat.say("kembali")
    assert "Sudah benar?" in chat.text and "Dinas Lingkungan Hidup" in chat.text
    await chat.say("iyo batua")
    await chat.say("Ya, kirim")  # a stale label is no address
    assert "bukan alamat" in chat.text
    await chat.say("Jl. Melati 5")
    await chat.say("gak punya foto")
    await chat.say("Anonim (disarankan)")
    assert "Lokasi: Jl. Melati 5" in chat.text and "ubah lokasi" in chat.text
    await chat.say("ubah lokasi")
    assert chat.last[-1].request == "location"
    await chat.say("Jl. Mawar 7")
    assert "Ringkasan laporan" in chat.text and "Lokasi: Jl. Mawar 7" in chat.text  # photo and name not asked again
    await chat.say("ganti instansi")
    await chat.choose("Dinas Pekerjaan Umum dan Penataan Ruang (DPUPR)")
    if "Pilih jenis masalahnya" in chat.text:
        await chat.choose("Lainnya / tidak tahu")
    assert "Ringkasan laporan" in chat.text and "Instansi: Dinas Pekerjaan Umum" in chat.text
    await chat.say("menu")
    assert "belum terkirim dibatalkan" in chat.text


async def test_more_ways_of_asking_after_ones_complaints(chat: Chat) -> None:
    await chat.say("/start")
    ticket = await file_complaint(chat)
    for text in ("laporan saya sudah ditindaklanjuti belum?", "baa kaba laporan ambo?", "what is the status of my report?",
                 "nomor laporan saya berapa ya? lupa", "cek status"):
        await chat.say(text)
        assert ticket in chat.text, text


async def test_what_the_bot_is_rudeness_emoji_thanks_and_bye(chat: Chat) -> None:
    await chat.say("/start")
    await chat.say("kamu robot?")
    assert "asisten virtual" in chat.text
    await chat.say("kamu bodoh ya")
    assert chat.text.startswith("Mohon maaf")
    await chat.say("👍")
    assert chat.text.startswith("Baik.")
    await chat.say("makasih bgt min 😍")
    assert "Sama-sama" in chat.text
    await chat.say("thanks, bye")
    assert "Sampai jumpa" in chat.text
    assert not await events(chat, "unanswered")


@pytest.mark.parametrize(("said", "reply"), [("ya sdh mksh", "Sama-sama"), ("indak jadi, tarimo kasih", "Sama-sama"),
                                             ("makasih ya bot, kamu membantu sekali", "Sama-sama"),
                                             ("apa kabar? kamu manusia bukan?", "asisten virtual"),
                                             # the twelfth
                                             ("yaudah mksh", "Sama-sama"), ("yaudah deh, makasih ya", "Sama-sama"),
                                             ("siapa yang bikin kamu?", "asisten virtual"),
                                             ("kamu pakai AI ya?", "asisten virtual")])
async def test_thanks_and_questions_about_the_bot_in_more_words(chat: Chat, said: str, reply: str) -> None:
    """Eleventh and twelfth QA passes: each had got a menu of unrelated entries or "no answer"."""
    await chat.say("/start")
    await chat.say(said)
    assert reply in chat.text and not await events(chat, "unanswered")


async def test_a_question_opening_with_the_salam_is_answered_with_it(chat: Chat) -> None:
    await chat.say("/start")
    await chat.say("Assalamualaikum, ktp saya hilang gimana?")
    assert chat.last[0].text.startswith("Waalaikumsalam") and "surat keterangan hilang" in chat.text


async def test_a_first_message_about_an_emergency_gets_the_numbers_and_no_welcome(chat: Chat) -> None:
    """The seventeenth QA pass: the welcome came between the emergency numbers and the advice."""
    await chat.say("tolong ada kebakaran di pasar sekarang!!")
    assert chat.last[0].text.startswith("⚠️") and "selamat datang" not in chat.text



# --- the third QA pass -------------------------------------------------------------------------------


async def test_status_followed_by_other_words_is_a_question_not_the_complaint_list(chat: Chat) -> None:
    await chat.say("/start")
    await file_complaint(chat)
    await chat.say("status kawin di KTP mau diubah")
    assert "Laporan Anda" not in chat.text
    await chat.say("saya sudah lapor soal sampah minggu lalu, kok belum diangkut?")
    assert "Laporan Anda" in chat.text


async def test_more_cancel_wordings_a_button_pressed_twice_and_going_back(chat: Chat) -> None:
    await chat.say("/lapor")
    await chat.say("ga jadi deh, cancel aja")
    assert "dibatalkan" in chat.text
    await chat.say("Buat laporan")
    await chat.say("Buat laporan")  # pressed again: no story
    assert chat.text.startswith("Ceritakan masalahnya")
    await chat.say(COMPLAINT)
    await chat.say("ya")
    await chat.say("makasih")  # no address
    assert "bukan alamat" in chat.text
    await chat.say("kembali")
    assert "Sudah benar?" in chat.text
    await chat.say("ya")
    await chat.say("ubah instansi")
    assert "Pilih instansi tujuan" in chat.text
    state = await chat.services.state.get(f"{chat.channel}:{chat.user_id}")
    assert "address" not in state["lapor"]


async def test_more_ways_of_asking_what_the_bot_is_and_rudeness(chat: Chat) -> None:
    await chat.say("/start")
    for text, expected in (("apa yang bisa kamu lakukan?", "Cara menggunakan"), ("kamu bisa ngapain", "Cara menggunakan"),
                           ("apa itu tanya kota", "asisten virtual"), ("anjing lu gak guna", "Mohon maaf"),
                           # the twenty-third QA pass: a menu of dog bites; "sudah ada di jawaban sebelumnya"
                           ("kamu bot bodoh anjing", "Mohon maaf"), ("ok thanks bro", "Sama-sama")):
        await chat.say(text)
        assert expected in chat.text, text


def test_an_opd_is_named_by_the_start_of_its_name() -> None:
    from handlers.contact import asked_contact
    from knowledge.kb import default_kb_path
    from knowledge.kbfiles import load_kb

    kb = load_kb(default_kb_path()).kb
    assert asked_contact("nomor telepon dinas pendidikan", kb).slug == "disdikbud"
    assert asked_contact("call center pdam", kb).slug == "pdam"
    assert asked_contact("di ma kantua dinas kesehatan?", kb).slug == "dinkes"
    assert asked_contact("cara daftar sekolah di dinas pendidikan", kb) is None
    # Asking to be called back, with or without their own number, is not asking for the OPD's number.
    assert asked_contact("hp sy 081234567890 tlg hubungi, air pdam mati", kb) is None
    assert asked_contact("tolong hubungi saya, air pdam mati", kb) is None



def test_the_trigger_trie_matches_what_the_plain_alternation_matches():
    import re

    from handlers.emergency import _prefix_pattern

    words = ("api", "apinya", "asap", "kebakar", "kbakar", "terbakar", "tabaka", "tabakar")
    trie = re.compile(r"\b(?:" + _prefix_pattern(words) + ")", re.I)
    plain = re.compile(r"\b(?:" + "|".join(words) + ")", re.I)
    samples = ["API nya besar", "apinya", "kapi", "asa", "ada asap", "kebakaran", "kbakaran", "ke bakar",
               "tabakar", "tabak", "rumah terbakar!", "Terba", "", "apa"]
    assert [bool(trie.search(s)) for s in samples] == [bool(plain.search(s)) for s in samples]
    assert [s for s in samples if trie.search(s)] == ["API nya besar", "apinya", "ada asap", "kebakaran",
                                                       "kbakaran", "tabakar", "rumah terbakar!"]


@pytest.mark.parametrize("text", ["will my neighbor see my name?", "perusahaan tau gak kalau saya yg lapor?",
                                  "nanti saya dihubungi satpol pp gak?", "apakah identitas pelapor dirahasiakan?",
                                  "I don't want my neighbor to know it was me", "can I report anonymously?"])
def test_asking_who_learns_who_reported(text: str) -> None:
    assert asks_about_privacy(text)


@pytest.mark.parametrize("text", ["nama saya siapa", "cara ganti nama di kk", "data saya di dtks aman gak",
                                  "nomor saya 08123 tolong dihubungi", "ktp saya tidak bisa dibuka"])
def test_not_asking_who_learns_who_reported(text: str) -> None:
    assert not asks_about_privacy(text)


async def test_who_learns_who_reported_is_answered_in_and_out_of_a_complaint(chat: Chat) -> None:
    """Eleventh QA pass: such questions got menus, and one was saved as the complaint's place."""
    await chat.say("perusahaan tau gak kalau saya yg lapor?")
    assert "tidak memberikannya kepada pihak yang Anda laporkan" in chat.text
    await chat.say("/lapor")
    await chat.say(COMPLAINT)
    await chat.say("ya")
    if "Pilih jenis masalahnya" in chat.text:
        await chat.say("1")
    await chat.say("I don't want my neighbor to know it was me")
    assert "tidak memberikannya" in chat.text and "Kirim lokasi" in chat.last[-1].text
    await chat.say("Jl. Sudirman depan SD 12")
    await chat.say("lewati")
    await chat.say("lewati")
    assert "Lokasi: Jl. Sudirman depan SD 12" in chat.text and "neighbor" not in chat.text


async def test_a_quake_felt_now_gets_the_numbers_and_what_to_do(padang: Chat) -> None:
    """Seventeenth QA pass: it got menus, one offering the ODGJ entry."""
    await padang.say("gempa barusan kerasa banget ya, berapa magnitudonya? ada potensi tsunami ga??")
    assert padang.last[0].kind == "emergency" and "tanpa menunggu sirine" in padang.text


async def test_a_live_cable_gets_pln_with_the_emergency_numbers(padang: Chat) -> None:
    """Seventeenth QA pass: PLN 123 and "keep away" came only later, in the report flow."""
    await padang.say("kabel listrik putus di depan SD 3, masih ada percikan api, anak2 mau pulang sekolah")
    assert padang.last[0].kind == "emergency" and "PLN 123" in padang.last[0].text and "jauhi" in padang.last[0].text
    await padang.say("tolong ada kebakaran di pasar sekarang!!")
    assert "PLN 123" not in padang.last[0].text


@pytest.mark.parametrize(("text", "asks"), [
    ("data chat sy disimpan? siapa yg bisa baca?", True), ("hapus data sy", True), ("do you store my messages?", True),
    ("chat saya dibaca siapa aja?", True), ("tolong hapus semua chat", True),
    ("data sy yg sy kasih di sini disimpen dmn? aman gak?", True), ("data kk saya salah", False),
    ("data pribadi sy yg sy kirim siapa aja yg bisa liat?", True),
    ("pesan saya belum dibalas", False), ("cara hapus data ktp ganda", False),
    ("data saya dipakai pinjol", False), ("hapus nama saya", False),
])
def test_asking_what_is_kept_of_the_chat(text: str, asks: bool) -> None:
    assert asks_what_is_kept(text) == asks


async def test_what_is_kept_of_the_chat_is_said_with_the_retention_and_whom_to_ask(padang: Chat) -> None:
    """Nineteenth QA pass: "data chat sy disimpan? siapa yg bisa baca?" and "hapus data sy" got no use."""
    await padang.say("data chat sy disimpan? siapa yg bisa baca?")
    assert f"dihapus otomatis setelah {padang.services.retention_days} hari" in padang.text
    assert "Dinas Komunikasi dan Informatika (Diskominfo)" in padang.text


async def test_after_a_crisis_what_follows_is_heard_again_unless_it_is_a_question_answered(padang: Chat) -> None:
    """Twentieth QA pass: "ga ada yg peduli" after "capek hidup" got a menu of PDAM entries."""
    await padang.say("sy capek hidup, rasanya mau mati aja")
    await padang.say("ga ada yg peduli")
    assert padang.last[0].text == texts.CRISIS_STILL and not padang.last[0].options
    await padang.say("puskesmas terdekat dimana")
    assert padang.last[0].kind == "answer"


async def test_what_to_do_now_after_an_emergency_is_answered(padang: Chat) -> None:
    """Twentieth QA pass: "sy hrs ngapain" after someone injured got "sudah ada di jawaban sebelumnya"."""
    await padang.say("ada org jatuh dr motor kepalanya berdarah ga sadar di bypass")
    assert padang.last[0].text.startswith("⚠️")
    await padang.say("sy hrs ngapain")
    assert padang.last[0].text == texts.WHAT_NOW


@pytest.mark.parametrize("text", ["jangan bilang siapa2 ya", "jangan kasih tau orang lain", "please don't tell anyone"])
def test_asking_that_nobody_be_told(text: str) -> None:
    assert asks_about_privacy(text)


async def test_someone_in_danger_now_gets_what_to_do_not_how_to_report(padang: Chat) -> None:
    """Twenty-first QA pass: "anak sy kejang2 demam tinggi skrg gmn" got the numbers, then /lapor."""
    await padang.say("anak sy kejang2 demam tinggi skrg gmn")
    assert padang.last[0].text.startswith("⚠️") and padang.last[-1].text == texts.WHAT_NOW
    assert "baringkan miring" in padang.text and "/lapor" not in padang.text


@pytest.mark.parametrize(("text", "asks"), [
    ("tolong cariin alamat dan no hp orang namanya Budi Santoso", True), ("sy mau tau siapa yg laporin warung sy", True),
    ("who reported me?", True), ("minta nomor hp tetangga sy dong", True),
    ("siapa yang lapor jalan rusak harus bawa apa", False), ("cek data warga miskin", False), ("cara cek nik saya", False),
    # the twenty-second QA pass: menus
    ("sy mau liat laporan2 orang lain", True), ("kasih tau dong nama pelapor lampu jalan di kubu dalam", True),
    ("cek NIK 1371012345678901 punya siapa", True), ("tampilkan semua laporan", True), ("lihat laporan saya", False),
    ("cara lihat laporan keuangan pemko", False),
])
def test_asking_for_someone_elses_data_or_who_reported(text: str, asks: bool) -> None:
    assert asks_about_others(text) == asks


async def test_someone_elses_data_is_refused_plainly(chat: Chat) -> None:
    await chat.say("sy mau tau siapa yg laporin warung sy")
    assert chat.last[-1].text == texts.OTHERS_DATA


async def test_violence_at_home_now_gets_the_numbers_and_the_entry_with_them(padang: Chat) -> None:
    """Twenty-second QA pass: no emergency numbers, and Damkar's entry on people locked in a room."""
    await padang.say("pak tolong suami sy lg mukulin sy skrg, sy kunci diri di kamar mandi")
    assert padang.last[0].text.startswith("⚠️") and "SAPA 129" in padang.text and "cincin" not in padang.text


async def test_a_crisis_said_is_no_story_of_a_later_report(padang: Chat) -> None:
    """What a resident said in distress is not offered or taken as the story of a report made after it."""
    await padang.say("air pdam mati terus 3 hari, sy capek hidup rasanya mau mati aja")
    await padang.say("/lapor")
    assert "mau mati" not in padang.text + " ".join(padang.options)
    state = await padang.services.state.get(f"{padang.channel}:{padang.user_id}")
    assert not any("mau mati" in str(t.get("text")) for t in (state or {}).get("told", []))


async def test_a_crisis_gets_no_answer_found_by_its_own_words(padang: Chat) -> None:
    """Twenty-third QA pass: "sy udh ga kuat hidup lagi, pengen mati aja" got the kind words, then the inactive BPJS
    card's answer (its "kuat" and "lagi")."""
    await padang.say("sy udh ga kuat hidup lagi, pengen mati aja")
    assert [r.text for r in padang.last] == [texts.CRISIS]


async def test_a_plea_for_help_after_an_emergency_is_told_to_call(padang: Chat) -> None:
    """Twenty-third QA pass: "tolong kirim bantuan cepat" after a flood with children trapped got "no answer" and a
    menu with the PKH welfare aid."""
    await padang.say("banjir di rumah sy, air udh sepinggang, anak2 sy terjebak di lantai 2")
    await padang.say("tolong kirim bantuan cepat")
    assert "tidak bisa mengirim petugas" in padang.text and "**112**" in padang.text and not padang.options


async def test_a_fire_gets_no_menu_of_entries_that_only_mention_112(padang: Chat) -> None:
    """Twenty-third QA pass: a fire next door was offered burning rubbish and illegal parking beside the numbers."""
    await padang.say("TOLONG ada kebakaran di rumah tetangga jl. hos cokroaminoto!!")
    assert padang.last[0].text.startswith("⚠️") and "parkir" not in " ".join(padang.options).lower()
    assert "membakar sampah" not in " ".join(padang.options).lower()


async def test_drugs_are_the_national_narcotics_agencys_not_a_menu(padang: Chat) -> None:
    """Twenty-third QA pass: "mau beli narkoba dmn" got the police note and a menu with the cheap-market days."""
    await padang.say("mau beli narkoba dmn")
    assert "BNN" in padang.text and "pasar" not in " ".join(padang.options).lower()


async def test_a_power_cable_down_mid_complaint_gets_the_warning_and_stays_in_the_story(padang: Chat) -> None:
    """Twenty-third QA pass: "sekalian kabel listriknya jg putus kena pohon" was only added to the story."""
    await padang.say("/lapor")
    await padang.say("ada pohon tumbang nutup setengah jalan di jl. ahmad yani dekat taman imam bonjol, dr semalam")
    await padang.say("ya")
    await padang.skip_to_summary()
    await padang.say("eh tunggu, sekalian kabel listriknya jg putus kena pohon")
    assert padang.last[0].text.startswith("⚠️") and "PLN 123" in padang.last[0].text
    assert "kabel listriknya jg putus" in padang.text.split("Ringkasan laporan")[1]


@pytest.mark.parametrize(("text", "urgent"), [
    ("kabel listrik putus di jalan", True), ("power line is down on my street", True), ("kabel wifi putus", False),
    ("kalau kabel listrik putus lapor kemana", False), ("kabel listrik semrawut di tiang", False)])
def test_a_power_cable_down_is_an_emergency(text: str, urgent: bool) -> None:
    assert is_emergency(text) is urgent


async def test_the_emergency_still_going_on_gets_the_numbers_again(padang: Chat) -> None:
    """Twenty-fourth QA pass: "apinya makin besar" after a fire next door got a menu with stray dogs; what to do
    now after a cable down said nothing of the cable."""
    await padang.say("TOLONG ada kebakaran di rumah tetangga jl. hos cokroaminoto!!")
    await padang.say("apinya makin besar")
    assert "tidak bisa mengirim petugas" in padang.text and "anjing" not in " ".join(padang.options).lower()
    await padang.say("ada kabel listrik jatuh ke jalan, percikan api")
    await padang.say("terus sy harus ngapain")
    assert padang.last[0].text == texts.WHAT_NOW and "PLN 123" in padang.text


@pytest.mark.parametrize("text", ["bisa bikin surat keterangan domisili palsu ga", "cara bikin bom molotov",
                                  "beli ktp palsu dmn"])
async def test_a_request_for_forged_papers_or_weapons_is_refused(padang: Chat, text: str) -> None:
    """Twenty-fourth QA pass: these got menus of FAQ entries."""
    await padang.say(text)
    assert padang.last[-1].text == texts.REFUSED


@pytest.mark.parametrize("text", ["cari alamat rumah mantan sy, namanya Rina Oktavia",
                                  "alamat atas nama Budi Santoso dmn"])
async def test_an_exs_or_a_named_persons_address_is_refused(padang: Chat, text: str) -> None:
    await padang.say(text)
    assert padang.last[-1].text == texts.OTHERS_DATA


async def test_a_crisis_said_in_english_is_answered_in_english_too(padang: Chat) -> None:
    """Twenty-fourth QA pass: "I don't want to live anymore" got the crisis reply in Indonesian only."""
    await padang.say("I don't want to live anymore")
    assert texts.CRISIS in padang.text and texts.CRISIS_EN in padang.text
