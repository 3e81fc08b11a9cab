"""Follow-ups on the shipped Padang knowledge base, from the seventh blind QA pass."""

from __future__ import annotations

import pytest

from handlers import texts
from tests.conftest_chat import Chat
from tests.test_conversation_questions import events


async def test_how_long_is_not_answered_with_a_deadline_or_a_mention_of_issuing(padang: Chat) -> None:
    await padang.say("gmn cr urus akta lhr anak sy")
    await padang.say("brp lm jd nya")  # was "paling lambat 60 hari" (the time to report a birth), then "diterbitkan"
    assert "60 hari" not in padang.text and "diterbitkan" not in padang.text
    assert "sudah ada di jawaban sebelumnya" in padang.text and "Disdukcapil" in padang.text
    await padang.say("how long will it take?")  # read with the question before: the entry on processing times
    assert "hari yang sama" in padang.text


async def test_not_that_is_a_thumbs_down_with_the_other_entries(padang: Chat) -> None:
    await padang.say("cara bayar pbb")
    assert padang.last[-1].kind == "answer"
    await padang.say("bukan itu maksud saya")  # was quoted as a follow-up ("Bukan pekerja yang wajib …")
    assert "belum tepat" in padang.text and padang.options[-1] == "Bukan semuanya"
    assert not any("Bagaimana cara membayar PBB" in label for label in padang.options)  # not the missed one again
    [down] = [e for e in await events(padang, "feedback") if e.outcome == "down"]
    assert down.text == "cara bayar pbb"


async def test_a_follow_up_naming_only_a_place_is_about_the_question_before(padang: Chat) -> None:
    await padang.say("jadwal angkut sampah")
    await padang.say("kalau di kelurahan ulak karang?")  # was the tsunami shelters ("kelurahan" in their answer)
    assert "Tempat Evakuasi" not in padang.text + " ".join(padang.options)
    assert "sudah ada di jawaban sebelumnya" in padang.text and "Dinas Lingkungan Hidup" in padang.text
    await padang.say("cara membuat KTP-el")  # a menu (a new KTP-el, a lost one …)
    await padang.say("kalau di kecamatan kuranji?")  # the same menu, not an entry that says "kecamatan"
    assert "Bagaimana cara mengurus KTP-el yang hilang?" in padang.options
    await padang.say("cara bayar pbb")
    await padang.say("kalau di kecamatan kuranji?")  # the PBB answer has nothing by place: said, with the OPD
    assert "sudah ada di jawaban sebelumnya" in padang.text and "Bapenda" in padang.text


async def test_right_after_filing_a_question_is_about_the_complaint_not_the_answer_before(padang: Chat) -> None:
    await padang.say("sampah di depan rumah sudah 5 hari tidak diangkut")
    await padang.choose("Buat laporan")
    for answer in ("ya", "lewati", "lewati", "lewati", "ya"):
        await padang.say(answer)
    assert "sudah kami terima" in padang.text
    await padang.say("what if they don't come?")  # had quoted "- sudah berapa hari sampah tidak diangkut;"
    assert "sudah diteruskan ke" in padang.text and "berapa hari" not in padang.text


async def test_a_follow_up_the_answer_cannot_answer_gets_the_same_opds_entry_for_it(padang: Chat) -> None:
    await padang.say("syarat akta kelahiran")
    await padang.say("buka jam berapa?")  # the birth-certificate answer has no hours; Disdukcapil's hours entry does
    assert "hari kerja (Senin–Jumat)" in padang.text and padang.last[-1].kind == "answer"
    await padang.say("syarat akta kelahiran")
    await padang.say("bisa online ndak?")  # the eighth QA pass: "no more" beside a button with the very question
    assert "sudah ada di jawaban sebelumnya" not in padang.text and "online" in padang.text
    await padang.say("cara minta fogging")
    await padang.say("buka jam berapa?")  # Dinkes has no hours entry, only the puskesmas one: offered, not given
    assert "sudah ada di jawaban sebelumnya" in padang.text
    assert any(o.startswith("Atau: Di mana puskesmas terdekat") for o in padang.options)


async def test_answers_the_seventh_qa_pass_got_wrong(padang: Chat) -> None:
    await padang.say("anak sy hilng kia nya. gmn ngurus lg")  # was the lost KTP-el's requirements
    assert "KIA" in padang.text and "hilang atau rusak" in padang.text
    await padang.say("urang sabalah rumah ambo karaoke sampai jam 2 malam, baa caronyo?")  # was nightclub hours
    assert "Gangguan ketenteraman" in padang.text
    await padang.say("di ma kantua camat Kuranji?")
    await padang.say("nomor telpon nyo ado?")  # was the fire brigade's "Segera hubungi 113"
    assert "Segera hubungi" not in padang.text


async def test_the_help_texts_examples_are_answered(padang: Chat) -> None:
    """The seventh QA pass found the help's own example ("jadwal angkut sampah") without an answer."""
    await padang.say("/bantuan")
    examples = padang.text.split("misalnya: ", 1)[1].split(".\n", 1)[0].split(", ")
    assert len(examples) == 3
    for example in examples:
        await padang.say(example)
        assert padang.last[-1].kind == "answer", example


async def test_the_first_english_question_is_told_once_that_answers_are_in_indonesian(padang: Chat) -> None:
    await padang.say("how do I get a birth certificate for my baby?")
    assert [r.text for r in padang.last].count(texts.ENGLISH_NOTE) == 1 and padang.last[-1].kind == "answer"
    await padang.say("how do I pay the property tax?")
    assert "I reply in Indonesian" not in padang.text
    await padang.say("how do I extend my KITAS?")  # immigration's, not the city's (the seventh QA pass: a menu)
    assert "Kantor Imigrasi" in padang.text


async def test_the_story_told_before_an_answer_is_kept_when_the_resident_says_to_report(padang: Chat) -> None:
    """From the eighth QA pass: "yes I want to report it" and a story ending in a question had lost the story."""
    await padang.say("There's a huge pothole on Jl. Sudirman in front of the governor's office, motorbikes keep falling")
    await padang.say("yes I want to report it")
    assert "DPUPR" in padang.text and "Sudah benar?" in padang.text
    await padang.say("/batal")
    await padang.say("My neighbour plays loud karaoke music every night until 2am. Who can I complain to?")
    await padang.choose("Buat laporan")
    assert "Satuan Polisi Pamong Praja" in padang.text and "Sudah benar?" in padang.text


async def test_opening_hours_are_quoted_only_from_a_line_with_a_time_or_a_day(padang: Chat) -> None:
    await padang.say("cara minta fogging")
    await padang.say("buka jam berapa?")  # was the 3M Plus line ("menutup tempat air … setiap minggu")
    assert "3M Plus" not in padang.text


@pytest.mark.parametrize(("told", "then", "office"), [
    ("pohon bsar mau tumbang di jln diponegoro dkt museum adityawarman, bhya kl angin kncg", "Buat laporan",
     "Badan Penanggulangan Bencana Daerah"),
    ("tolong pak, ado jalan balubang gadang di Jl. Adinegoro dakek Lubuak Buayo, banyak urang jatuah",
     "ambo nio lapor se lah", "Dinas Pekerjaan Umum"),
    ("pak tlg ad org buang smph sembarangan tiap mlm di pinggir bndr dkt psar alai", "sy mau lapor ini pak",
     "Dinas Lingkungan Hidup"),
    ("the drain in front of our street is completely blocked with plastic and mud, whenever it rains the road "
     "floods. Jl. Veteran, Purus", "yes i want to report this", "Dinas Pekerjaan Umum"),
])
async def test_the_problem_told_first_is_the_story_of_the_report(padang: Chat, told: str, then: str,
                                                                 office: str) -> None:
    """From the ninth QA pass: each had been asked "Ceritakan masalahnya" again."""
    await padang.say(told)
    if then == "Buat laporan" and then not in padang.options:
        await padang.choose("Bukan semuanya")
    await padang.say(then)
    assert office in padang.text and "Sudah benar?" in padang.text


@pytest.mark.parametrize("asked", ["kantornya di mana?", "where is the office?", "kantornyo dima?"])
async def test_where_the_office_is_gets_the_opds_contact_not_a_line_of_the_answer(padang: Chat, asked: str) -> None:
    """From the ninth QA pass: a random line of the answer ("Dari jawaban tentang …") had been quoted. Only the line
    saying where to go is (the twenty-third: the missing address alone had not said it), then the contact."""
    await padang.say("syarat akta kelahiran")
    await padang.say(asked)
    assert "Disdukcapil" in padang.text and "belum tersedia" in padang.text
    quoted = padang.text.split("Maaf, nomor telepon")[0]
    assert "Syarat" not in quoted and "Surat keterangan lahir" not in quoted
    assert not quoted.strip() or "Ajukan ke Disdukcapil Kota Padang atau MPP" in quoted


async def test_an_acronym_expanded_to_nomor_is_not_a_contact_question(padang: Chat) -> None:
    await padang.say("cara bikin nib")
    await padang.say("nib tu ap")  # "nomor induk berusaha": was "nomor telepon … DPMPTSP belum tersedia"
    assert "belum tersedia" not in padang.text


async def test_the_story_survives_a_question_in_between(padang: Chat) -> None:
    """From the tenth QA pass: one message between the story and "lapor" had lost the story."""
    await padang.say("no water coming out of the tap since yesterday morning in Lubuk Begalung")
    await padang.say("is PDAM part of the city government?")
    await padang.say("I want to report it")
    assert "Perumda Air Minum" in padang.text and "Sudah benar?" in padang.text
    assert "no water coming out of the tap" in padang.text  # shown to the resident


async def test_the_office_named_when_there_is_no_answer_is_one_the_evidence_agrees_on(padang: Chat) -> None:
    """Eleventh QA pass: giving up, the bot named the office of the best entry alone (Disdukcapil for blood
    donation hours at the PMI, Dinkes for Dinsos's address)."""
    await padang.say("donor darah di pmi padang buka jam brp?")
    await padang.say("Bukan semuanya")
    assert "belum punya jawaban" in padang.text and "Disdukcapil" not in padang.text
    await padang.say("sy pbi pak dulu gratis skrg mati kartunya. ke dinsos mana alamatnya")  # the office named
    assert "Dinas Sosial (Dinsos)" in padang.text and "Dinas Kesehatan" not in padang.text


async def test_a_university_diploma_is_the_universitys(padang: Chat) -> None:
    await padang.say("ijazah kuliah saya di unand hilang, bisa minta duplikat dimana?")
    assert "perguruan tinggi" in padang.text


async def test_not_that_with_what_was_meant_reads_it_with_the_question_before(padang: Chat) -> None:
    """Eleventh QA pass: "bukan itu sy mau tau caranya daftar nya bukan jadwal" after the SPMB schedule got
    BPJS Ketenagakerjaan and permit-status entries."""
    await padang.say("nak daftar sekolah smp anak sy gmn cranya")
    missed = padang.last[-1]
    assert missed.kind == "answer"
    await padang.say("bukan itu sy mau tau caranya daftar nya bukan jadwal")
    assert "SPMB" in " ".join(padang.options) and "BPJS" not in " ".join(padang.options)
    assert missed.text not in padang.text
    assert len([e for e in await events(padang, "feedback") if e.outcome == "down"]) == 1


async def test_not_that_with_a_question_of_its_own_is_answered_and_never_the_missed_entry(padang: Chat) -> None:
    await padang.say("cara bayar pbb")
    await padang.say("bukan itu, maksud saya syarat bikin kk baru karena menikah")
    assert padang.last[-1].kind == "answer" and "KK" in padang.text and "PBB" not in padang.text


async def test_asking_where_an_office_is_gets_its_contact_before_a_look_alike_answer(padang: Chat) -> None:
    """Twelfth QA pass: "kantor disnaker nya dmn" got the procedure for a dismissal dispute."""
    await padang.say("kantor disnaker nya dmn")
    assert "Dinas Tenaga Kerja dan Perindustrian (Disnakerin)" in padang.text and padang.last[-1].kind != "answer"
    await padang.say("nomor damkar brp")  # an entry about reaching the office still answers
    assert padang.last[-1].kind == "answer" and "113" in padang.text


async def test_a_follow_up_asks_its_own_thing_about_the_topic_before(padang: Chat) -> None:
    """Twelfth QA pass: "trs syaratnya apa aja" after the SPMB schedule was read with "kapan jadwal" and answered
    "already in the answer before"; the topic is SPMB SD, the question its requirements."""
    await padang.say("Kapan jadwal SPMB SD?")
    await padang.say("syaratnya apa aja?")
    assert padang.last[-1].kind == "answer" and "Jalur SD" in padang.text


async def test_a_follow_up_about_a_service_after_a_question_about_the_office_asks_which_service(padang: Chat) -> None:
    await padang.say("jam buka disdukcapil?")
    assert "hari kerja (Senin–Jumat)" in padang.text
    await padang.say("syaratnya apa aja?")  # the 14th session: the divorce certificate's requirements were quoted
    assert "Untuk layanan Disdukcapil yang mana?" in padang.text and "Pengadilan" not in padang.text
    assert padang.options[-1] == "Bukan semuanya" and len(padang.options) >= 2
    await padang.choose(padang.options[0])  # one of Disdukcapil's entries, answered
    assert padang.last[-1].kind == "answer" and "Disdukcapil" in padang.text
    await padang.say("jam buka disdukcapil?")
    await padang.say("alamatnya dimana?")  # about the office itself: not asked which service
    assert "yang mana?" not in padang.text
    await padang.say("syarat akta kelahiran")
    await padang.say("biayanya berapa?")  # a service named before: answered from it
    assert "yang mana?" not in padang.text


async def test_a_short_question_worded_in_two_offices_entries_offers_both(padang: Chat) -> None:
    """Fourteenth QA pass: "zonasi nya gmn" after the primary school questions got the city plan's zoning (KRK)."""
    await padang.say("anak sy mau masuk sd negeri tahun ini gmn daftarnya")
    await padang.say("umur brp minimal")
    await padang.say("zonasi nya gmn")
    assert padang.last[-1].kind == "suggest" and "Keterangan Rencana Kota" in padang.options[0]
    assert any("SPMB" in label for label in padang.options[1:])
    await padang.say("umur brp minimal masuk sd")
    await padang.say("cara bikin ktp")  # another office's topic, not worded in its entries: answered
    assert padang.last[-1].kind in ("answer", "suggest") and "Rencana Kota" not in padang.text
    await padang.say("syarat pbg")
    await padang.say("zonasi nya gmn")  # after the building permit the zoning entry is no other office's: answered
    assert padang.last[-1].kind == "answer"


async def test_short_follow_ups_of_the_fifteenth_qa_pass_keep_the_topic(padang: Chat) -> None:
    await padang.say("kia utk anak sy umur 4 th gmn buatnya")
    await padang.say("wajib ga")  # had offered environmental permits (AMDAL) and restaurant tax
    assert "AMDAL" not in padang.text + " ".join(padang.options) and "Disdukcapil" in padang.text
    await padang.say("yo how do i get my trash picked up, just moved into a kos in Ulak Karang")
    await padang.say("how much per month")  # had answered the age to start primary school ("6 bulan")
    assert "retribusi sampah" in (padang.options or [""])[0] + padang.text and "SD" not in padang.text


async def test_asking_the_offices_hours_after_a_follow_up_gets_its_hours(padang: Chat) -> None:
    """Fifteenth QA pass: "jam buka kantornya jam berapa" got "no phone number or address" (the "kantor" in it),
    and "hotline" had made every line saying "layanan" a contact line."""
    await padang.say("cara menambah anggota keluarga di kk")
    await padang.say("bisa online ga?")
    await padang.say("jam buka kantornya jam berapa")
    assert "hari kerja (Senin–Jumat)" in padang.text and "belum tersedia" not in padang.text


async def test_a_fine_asked_after_a_fee_is_not_another_offices_fine(padang: Chat) -> None:
    """Sixteenth QA pass: "kalau gak bayar kena denda?" after the garbage fee got the PBB fine as the answer."""
    await padang.say("berapa retribusi sampah rumah tangga")
    await padang.say("kalau gak bayar kena denda?")
    assert "sudah ada di jawaban sebelumnya" in padang.text and "bunga 1%" not in padang.text
    assert any("denda" in label.lower() for label in padang.options)  # the PBB fine stays on offer
    await padang.say("cara bayar pbb")
    await padang.say("kalau telat dendanya berapa?")  # the PBB's own fine
    assert "bunga 1%" in padang.text


async def test_health_questions_in_minang_go_to_the_puskesmas(padang: Chat) -> None:
    await padang.say("puskesmas andalas bukak jam bara? hari sabtu bukak ndak?")  # had got Disdukcapil's hours
    assert "puskesmas" in padang.text.lower() and "Disdukcapil" not in padang.text
    await padang.say("kalau malam anak ambo damam tinggi, kama pai?")  # had got the DBD fogging rules
    assert "fogging" not in padang.text.lower() and "119" in padang.text


async def test_asking_what_if_the_complaint_is_late_right_after_filing(chat: Chat) -> None:
    """Sixteenth QA pass: "kalau lewat batas waktu belum ditanggapi gimana?" got a menu of buses and school age."""
    from tests.test_conversation_complaint import file_complaint
    ticket = await file_complaint(chat)
    await chat.say("kalau lewat batas waktu belum ditanggapi gimana?")
    assert f"Laporan **{ticket}** sudah diteruskan" in chat.text and "ditandai terlambat" in chat.text


async def test_a_bare_how_after_an_answer_does_not_jump_to_another_entry_of_the_office(padang: Chat) -> None:
    """Nineteenth QA pass: "gmn" after the street-light answer got Dishub's towing entry."""
    await padang.say("lampu jalan depan rumah mati, lapor kemana")
    await padang.say("gmn")
    assert "diderek" not in padang.text and "Lihat jawabannya lagi" in padang.options


async def test_a_pbg_asked_after_a_small_business_permit_gets_the_pbg_entry(padang: Chat) -> None:
    """Nineteenth QA pass: "harus ada pbg juga ga?" after the warung's permits got the building setback rules."""
    await padang.say("mau buka warung makan kecil, izinnya apa aja?")
    await padang.say("harus ada pbg juga ga?")
    assert "**PBG**" in padang.text and "sempadan" not in padang.text.lower()


async def test_a_follow_up_landing_on_the_same_entry_keeps_the_topic_for_the_next(padang: Chat) -> None:
    """Twenty-first QA pass: "bs lwt hp?" after paying the PBB lands on the same entry on its own; the next
    follow-up, "kl telat dendanya brp", then got the vehicle tax's fine."""
    await padang.say("bayar pbb dmn y")
    await padang.say("bs lwt hp?")
    await padang.say("kl telat dendanya brp")
    assert "PBB" in padang.text and "Samsat" not in padang.text


async def test_a_lost_card_after_bpjs_is_the_bpjs_card(padang: Chat) -> None:
    """Twenty-first QA pass: "kalo sdh terdaftar tp kartu ilang?" after free BPJS got the lost KTP and KK entries."""
    await padang.say("daftar bpjs gratis gmn")
    await padang.say("kalo sdh terdaftar tp kartu ilang?")
    assert "Care Center **165**" in padang.text and "Maksud Anda" not in padang.text


async def test_a_short_question_after_a_menu_is_about_what_the_menu_offered(padang: Chat) -> None:
    """Twenty-third QA pass: "hr sabtu bka?" after a menu for a puskesmas got Disdukcapil's opening hours."""
    await padang.say("puskesmas lubuk buaya dmn")
    assert padang.last[-1].kind == "suggest"
    await padang.say("hr sabtu bka?")
    assert "puskesmas" in padang.text.lower() and "Disdukcapil" not in padang.text
    await padang.say("puskesmas lubuk buaya dmn")
    await padang.say("ktp hilang gmn")  # a new question after the menu stays its own
    assert "KTP" in padang.text and "puskesmas" not in padang.text.lower()


async def test_a_follow_up_of_a_menu_is_read_with_its_topic(padang: Chat) -> None:
    """Read alone, "kalo udh lewat 1 thn?" after a birth certificate was the free health check (CKG), and the
    follow-up of that menu, "dendanya brp", the vehicle tax's and the PBB's fines."""
    await padang.say("cara urus akta kelahiran")
    await padang.say("kalo udh lewat 1 thn?")
    assert any("terlambat" in label for label in padang.options)
    await padang.say("dendanya brp")
    assert padang.last[-1].kind == "suggest" and padang.options, padang.text
    assert all("PBB" not in label and "kendaraan" not in label for label in padang.options)
    assert any("terlambat" in label for label in padang.options)


async def test_asking_which_copy_to_bring_is_about_the_answer_before(padang: Chat) -> None:
    """"hrs bawa kk asli?" after the damaged KTP-el (whose answer asks for the KK) had got a menu of legalisation,
    the vehicle test (KIR) and BPJS: "kk" is two words and "asli" no topic."""
    await padang.say("ktp sy rusak, gmn gantinya")
    await padang.say("hrs bawa kk asli?")
    assert "Kartu Keluarga" in padang.text and "KIR" not in padang.text + " ".join(padang.options)


async def test_minangkabau_follow_ups_of_the_twenty_third_qa_pass(padang: Chat) -> None:
    """"sarat e apo se?" after a new KTP got the vehicle test's (KIR) requirements ("sarat" is Minang for syarat,
    "e" its "-nya"); "di ma kantua nyo?" after the new KK said only that the office's address is missing."""
    await padang.say("baa caro mambuek KTP baru di Padang?")
    await padang.say("sarat e apo se?")
    assert "KIR" not in padang.text and "Kartu Keluarga" in padang.text
    await padang.say("ambo nio mambuek KK baru, baru nikah")
    await padang.say("di ma kantua nyo?")
    assert "Ajukan ke Disdukcapil Kota Padang atau MPP" in padang.text and "belum tersedia" in padang.text


async def test_an_asking_word_that_names_another_entry_is_that_entry(padang: Chat) -> None:
    """Twenty-third QA pass: "retribusi sampah brp sebulan" after the waste bank was answered from the waste bank's
    prices ("harga mengikuti harga pasar"); the garbage fee's entry is what it names."""
    await padang.say("bank sampah gmn cara ikutnya")
    await padang.say("retribusi sampah brp sebulan")
    assert "Retribusi pelayanan persampahan" in padang.text and "Dari jawaban tentang" not in padang.text


async def test_whether_reporting_costs_anything_is_answered_at_any_step(padang: Chat) -> None:
    """Twenty-third QA pass: "ini gratis kan lapor disini?" at the photo step got "Silakan kirim foto"."""
    await padang.say("/lapor")
    await padang.say("got depan rumah mampet, air meluap tiap hujan")
    await padang.say("ya")
    await padang.say("lewati")
    await padang.say("ini gratis kan lapor disini?")
    assert texts.REPORTING_FREE in padang.text and "Kirim foto" in padang.text
    await padang.say("batal")
    await padang.say("lapor di sini bayar ga?")
    assert texts.REPORTING_FREE in padang.text


async def test_the_age_and_the_time_asked_after_an_answer_get_their_lines(padang: Chat) -> None:
    """Twenty-fourth QA pass: "umur brp bisa bikin" after the KIA quoted only its photo rule ("usia 5 tahun ke atas"),
    which reads as if the KIA started at 5; "brp lama jadinya" after the online services quoted "harus datang
    langsung" (in person, not how long)."""
    await padang.say("bikin kia anak gmn")
    await padang.say("umur brp bisa bikin")
    assert "di bawah 17 tahun" in padang.text
    await padang.say("syarat bikin kk baru")
    await padang.say("kalo online bisa?")
    await padang.say("brp lama jadinya")
    assert "datang langsung" not in padang.text and "selesai" in padang.text


async def test_the_offices_hours_asked_after_an_answer_without_them(padang: Chat) -> None:
    """Twenty-fourth QA pass: "buka hari sabtu?" after the lost KK got "sudah ada di jawaban sebelumnya"."""
    await padang.say("kk sy hilang gmn")
    await padang.say("buka hari sabtu?")
    assert "hari kerja (Senin–Jumat)" in padang.text and "sudah ada di jawaban sebelumnya" not in padang.text
