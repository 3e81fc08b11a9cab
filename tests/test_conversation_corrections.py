"""A complaint's content as the resident meant it: corrections, details and buttons typed in the middle
(from the seventh blind QA pass: an address sent as a story, a button's label saved as the place)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest_chat import Chat
from handlers import complaint_texts
from handlers.messages import Photo
from tests.test_conversation_complaint import COMPLAINT, complaints, file_complaint


async def _at_location(chat: Chat) -> None:
    await chat.say("/lapor")
    await chat.say(COMPLAINT)
    await chat.say("ya")
    if "Pilih jenis masalahnya" in chat.text:
        await chat.say("1")


async def test_reporting_from_an_entry_picked_for_a_few_words_asks_for_the_story(chat: Chat) -> None:
    await chat.say("jalanan komplek")  # a few words the router cannot place surely: no story
    await chat.say(option="faq:lapor-jalan-rusak")
    await chat.say(option="report:lapor-jalan-rusak")
    assert "Ceritakan masalahnya" in chat.text


async def test_a_label_of_a_list_above_the_step_is_a_choice_not_the_place(chat: Chat) -> None:
    await _at_location(chat)
    await chat.say("gimana jalanan komplek?")  # a question at the place step: a list, then the step again
    label = "Bagaimana mengurus izin menggali bahu jalan untuk…"  # cut to fit a button: no question mark
    assert label in [o.label for r in chat.last for o in r.options]
    await chat.say(label)  # typed (or sent by the web chat) from the list above the step
    assert chat.last[0].kind == "answer" and "Kirim lokasi" in chat.last[-1].text  # answered, the step again
    await chat.say("Jl. Sudirman depan SD 12")
    await chat.say("lewati")
    await chat.say("lewati")
    assert "Lokasi: Jl. Sudirman depan SD 12" in chat.text


async def test_a_corrected_address_keeps_only_the_new_place(chat: Chat) -> None:
    await _at_location(chat)
    await chat.say("simpang haru")
    await chat.say("eh salah alamat, maksudnya simpang DPR bukan simpang haru")
    await chat.say("lewati")
    await chat.say("lewati")
    assert "Lokasi: simpang DPR" in chat.text and "haru" not in chat.text


async def test_a_question_about_the_service_is_no_story(chat: Chat) -> None:
    await chat.say("/lapor")
    await chat.say("is my name shown to the agency?")
    assert "Sudah benar?" not in chat.text and "Ceritakan masalahnya" in chat.last[-1].text


async def test_more_detail_typed_at_the_summary_is_added_to_the_story(chat: Chat) -> None:
    await _at_location(chat)
    for _ in range(3):
        await chat.say("lewati")
    assert "Ringkasan laporan" in chat.text and "ubah masalah" in chat.text
    await chat.say("tumpukannya dekat Alfamart, baunya menyengat sekali")
    assert "kami tambahkan" in chat.text and "baunya menyengat sekali" in chat.text
    await chat.say("hmm")  # no detail: the summary's question again
    assert "kami tambahkan" not in chat.text


async def test_asking_for_a_person_is_told_honestly_what_can_be_done(chat: Chat) -> None:
    for said in ("saya mau bicara sama petugas aja", "can I talk to a human?", "bisa hubungi admin/operator manusia?"):
        await chat.say(said)
        assert "asisten otomatis" in chat.text and "Buat laporan" in chat.options
    await _at_location(chat)
    await chat.say("saya mau bicara dengan manusia")  # mid-way: said, and the place asked again (not saved)
    assert "asisten otomatis" in chat.last[0].text and "Kirim lokasi" in chat.last[-1].text
    await chat.say("mau minta petugas datang ke Jl. Sudirman")  # a place, not a request for a person
    await chat.say("lewati")
    await chat.say("lewati")
    assert "Lokasi: mau minta petugas datang ke Jl. Sudirman" in chat.text


async def test_no_photo_said_in_other_words_skips_the_step(chat: Chat) -> None:
    await _at_location(chat)
    await chat.say("Jl. Sudirman depan SD 12")
    for said in ("ndak ado foto", "i don't have a photo"):  # the seventh QA pass: "ndak ado foto" asked again
        assert "Kirim foto" in chat.text
        await chat.say(said)
        assert "Kirim foto" not in chat.text and "kirim foto" not in chat.text and "tambahkan" not in chat.text
        await chat.say("ubah foto")


async def test_more_of_the_story_at_the_route_question_is_added_and_routed_again(chat: Chat) -> None:
    await chat.say("/lapor")
    await chat.say("jalan depan SD 12 berlubang besar")
    assert "DPUPR" in chat.text and "Sudah benar?" in chat.text
    await chat.say("sebenarnya yg lebih parah itu lubangnya sudah bikin 2 motor jatuh minggu ini")  # was "pick one"
    assert "kami tambahkan" in chat.text and "Sudah benar?" in chat.text
    for answer in ("ya", "lewati", "lewati", "lewati"):
        await chat.say(answer)
    assert "2 motor jatuh" in chat.text and "berlubang besar" in chat.text


async def test_a_kelurahan_named_in_the_story_does_not_steer_the_route(padang: Chat) -> None:
    await padang.say("/lapor")
    await padang.say("lampu jalan mati di kelurahan ulak karang")  # typed in lower case: was BPBD's
    assert "Dinas Perhubungan" in padang.text and "Sudah benar?" in padang.text
    await padang.say("/batal")
    await padang.say("/lapor")
    await padang.say("pelayanan di kantor kelurahan Kampung Jao lambat, pegawainya judes")  # was Dukcapil's
    assert "Diskominfo" in padang.text and "kelurahan atau kecamatan" in padang.text


async def test_turning_down_the_office_in_words_asks_for_another_or_takes_the_one_named(padang: Chat) -> None:
    """From the eighth QA pass: "bukan itu instansinya" had been added to the story."""
    await padang.say("/lapor")
    await padang.say("pohon besar condong ke jalan di Jl. Bandar Olo, takut roboh kena angin")
    await padang.say("bukan itu instansinya")
    assert "Pilih" in padang.text and "kami tambahkan" not in padang.text
    await padang.say("/batal")
    await padang.say("/lapor")
    await padang.say("pohon besar condong ke jalan di Jl. Bandar Olo, takut roboh kena angin")
    await padang.say("bukan, ini harusnya ke BPBD")
    assert "kami tambahkan" not in padang.text and "Pilih jenis masalahnya" in padang.last[-1].text
    for answer in ("Pohon tumbang atau rawan tumbang", "Jl. Bandar Olo", "lewati", "lewati"):
        await padang.say(answer)
    assert "Instansi: Badan Penanggulangan Bencana Daerah" in padang.text


async def test_another_problem_at_the_place_step_is_kept_for_after_filing(padang: Chat) -> None:
    await padang.say("/lapor")
    await padang.say("jalan di depan SD 12 berlubang besar, sudah 2 motor jatuh")
    await padang.say("ya")
    await padang.say("Ya, benar")  # the button pressed again: the place is asked again, not the office
    assert padang.last[-1].request == "location" and "Sudah benar?" not in padang.text
    await padang.say("oh iya satu lagi, lampu jalan di depannya juga mati")  # had been saved as the place
    assert "masalah lain" in padang.text and "Kirim lokasi" in padang.last[-1].text
    await padang.say("Jl. Sudirman depan SD 12")
    await padang.say("lewati")
    await padang.say("lewati")
    assert "Lokasi: Jl. Sudirman depan SD 12" in padang.text
    await padang.say("alamatnya salah, harusnya Jl. Hamka depan SD 12")  # at the summary: the place, not the story
    assert "Lokasi: Jl. Hamka depan SD 12" in padang.text and "alamatnya salah" not in padang.text
    await padang.say("ya")
    assert "sudah kami terima" in padang.text and "Laporkan juga" in padang.options
    await padang.choose("Laporkan juga")
    assert "Dinas Perhubungan" in padang.text and "Sudah benar?" in padang.text


async def test_a_photo_sent_right_after_filing_is_added_to_that_complaint(chat: Chat) -> None:
    """From the eighth QA pass: "tambah foto ke laporan" had shown the status, and a photo opened a new report."""
    ticket = await file_complaint(chat)
    await chat.say("mau tambah foto ke laporan")
    assert "kirim fotonya sekarang" in chat.text and chat.last[-1].request == "photo"
    await chat.say(photo=Photo("test/after.jpg"))
    assert f"foto sudah ditambahkan ke laporan **{ticket}**" in chat.text
    [row] = await complaints(chat)
    assert row.photo_path == "test/after.jpg"


async def _at_summary(chat: Chat) -> None:
    await _at_location(chat)
    for answer in ("Jl. Sudirman no 12", "lewati", "lewati"):
        await chat.say(answer)
    assert "Ringkasan laporan" in chat.text


@pytest.mark.parametrize("said", ["ga jd deh, tkt ktahuan", "never mind, I already reported this earlier",
                                  "ok saya telpon PLN aja. batal"])
async def test_a_cancel_with_a_reason_at_the_summary_cancels(chat: Chat, said: str) -> None:
    """From the ninth QA pass: each had been added to the story ("Baik, keterangan itu kami tambahkan")."""
    await _at_summary(chat)
    await chat.say(said)
    assert "dibatalkan" in chat.text and "tambahkan" not in chat.text and not await complaints(chat)


async def test_at_the_summary_a_no_asks_which_part_and_an_office_named_is_taken(chat: Chat) -> None:
    await _at_summary(chat)
    await chat.say("eh salah, bukan no 12 tapi no 21")  # had been added to the story
    assert "Bagian mana yang perlu diubah?" in chat.text and "Ubah lokasi" in chat.options
    await chat.say("Ubah lokasi")
    await chat.say("Jl. Sudirman no 21")
    assert "Lokasi: Jl. Sudirman no 21" in chat.text
    await chat.say("ke dinsos aja deh")  # a few words naming an office: that office, its category asked
    assert "tambahkan" not in chat.text
    while "Pilih jenis masalahnya" in chat.text:
        await chat.say("1")
    assert "Instansi: Dinas Sosial" in chat.text


async def test_small_things_the_ninth_qa_pass_found(padang: Chat) -> None:
    await padang.say("/lapor")
    await padang.say("ada sarang tawon besar di plafon rumah, anak saya masih balita")
    await padang.say("Pilih instansi lain")
    await padang.say("damkar aja")  # a few words naming the office (had needed the whole label)
    assert "Pilih instansi" not in padang.text
    while "Pilih jenis masalahnya" in padang.text:
        await padang.say("1")
    await padang.say("how long until someone comes?")  # the time the OPD has, not the KTP-el's printing time
    assert "hari kerja" in padang.last[0].text and "KTP" not in padang.text
    await padang.say("ambo nio bicaro jo urang, bukan robot")  # a person asked for, in Minangkabau
    assert "asisten otomatis" in padang.last[0].text
    await padang.say("/batal")
    await padang.say("/lapor")
    await padang.say("lampu jalan di depan rumah mati sudah seminggu")
    for answer in ("ya", "lewati", "lewati", "lewati", "ya"):
        await padang.say(answer)
    await padang.say("cek")  # right after filing: how it stands
    assert "sudah diteruskan ke" in padang.text


async def test_what_the_tenth_qa_pass_found_at_the_summary_and_steps(padang: Chat) -> None:
    await padang.say("/lapor")
    await padang.say("lampu jalan di depan rumah mati sudah seminggu")
    await padang.say("oke lanjut laporannya")  # a yes (had been added to the story)
    assert "Kirim lokasi" in padang.last[-1].text
    await padang.say("how long does dishub usually take to respond?")  # the OPD's time, not the KTP-el's
    assert "hari kerja" in padang.last[0].text
    await padang.say("ga jadi deh, takut nanti ketahuan sama tetangga")  # had been saved as the place
    assert "dibatalkan" in padang.text
    await padang.say("/lapor")
    await padang.say("lampu jalan di depan rumah mati sudah seminggu")
    for answer in ("ya", "Jl. Bypass km 6", "lewati", "lewati"):
        await padang.say(answer)
    await padang.say("lokasinyo salah tu, nan batua Jl. Bypass km 14")  # Minangkabau: the place, not the story
    assert "Lokasi: Jl. Bypass km 14" in padang.text
    await padang.say("yo, kirim lah")  # a yes (had been added to the story and the summary shown again)
    assert "sudah kami terima" in padang.text
    [row] = await complaints(padang)
    assert row.description == "lampu jalan di depan rumah mati sudah seminggu"


@pytest.mark.parametrize("cancel", ["/batal", "ga jadi deh, takut ketahuan"])
@pytest.mark.parametrize("back", ["eh jadi deh, kirim yang tadi", "ga jadi batal", "lanjutkan laporan tadi",
                                  "I changed my mind, send it", "Lanjutkan laporan",
                                  "hmm, tapi trotoarnya memang bahaya. kirim aja deh laporannya tadi",  # the thirteenth
                                  "eh tunggu, PLN bilang itu punya pemko. jadi saya lapor aja",
                                  "eh jadi deh, lanjutin laporan tadi"])  # the fourteenth
async def test_a_cancelled_complaint_can_be_taken_back(chat: Chat, cancel: str, back: str) -> None:
    """Tenth QA pass: "eh jadi deh, kirim yang tadi" after cancelling had to tell it all again."""
    await _at_location(chat)
    await chat.say(cancel)
    assert "dibatalkan" in chat.text and "Lanjutkan laporan" in chat.options
    await chat.say(back)
    assert "saya lanjutkan" in chat.text and "Kirim lokasi" in chat.last[-1].text  # where it was left
    await chat.say("Jl. Sudirman depan SD 12")
    await chat.say("lewati")
    await chat.say("lewati")
    await chat.say("ya")
    filed = await complaints(chat)
    assert len(filed) == 1 and filed[0].description == COMPLAINT and filed[0].address == "Jl. Sudirman depan SD 12"


async def test_a_cancelled_complaint_is_kept_for_half_an_hour_only(chat: Chat) -> None:
    await _at_location(chat)
    await chat.say("/batal")
    start = chat.services.now()
    chat.services.now = lambda: start + dt.timedelta(minutes=31)
    await chat.say("eh jadi deh, kirim yang tadi")
    assert "sudah tidak tersimpan" in chat.text and "Kirim lokasi" not in chat.text
    await chat.say("Lanjutkan laporan")  # the old button: still nothing to bring back
    assert "sudah tidak tersimpan" in chat.text and not await complaints(chat)


async def test_after_a_cancel_a_question_opening_with_jadi_is_a_question(chat: Chat) -> None:
    await _at_location(chat)
    await chat.say("/batal")
    await chat.say("jadi gimana cara bikin ktp")
    assert "saya lanjutkan" not in chat.text and "Kirim lokasi" not in chat.text


async def test_a_new_complaint_forgets_the_cancelled_one(chat: Chat) -> None:
    await _at_location(chat)
    await chat.say("/batal")
    await chat.say("/lapor")
    await chat.say("lampu jalan di gang kami mati sejak lebaran")
    await chat.say("/batal")
    await chat.say("jadi deh")
    assert "saya lanjutkan" in chat.text
    for said in ("ya", "1", "lewati", "lewati", "lewati", "ya"):
        if said != "1" or "Pilih jenis masalahnya" in chat.text:
            await chat.say(said)
    filed = await complaints(chat)
    assert [c.description for c in filed] == ["lampu jalan di gang kami mati sejak lebaran"]


async def test_the_street_the_story_named_is_offered_as_the_place(padang: Chat) -> None:
    """Eleventh QA pass: "I already told you: Jalan Veteran no 55, Purus"."""
    await padang.say("/lapor")
    await padang.say("The street light in front of my house on Jalan Veteran no 55, Purus is off for 2 weeks")
    await padang.say("ya")
    assert "Jalan Veteran no 55, Purus" in padang.options
    await padang.say("Jalan Veteran no 55, Purus")
    await padang.say("lewati")
    await padang.say("tidak")
    assert "Lokasi: Jalan Veteran no 55, Purus — Kec. Padang Barat" in padang.text


@pytest.mark.parametrize(("said", "shown"), [("nama saya Rahmat Hidayat", False),
                                             ("tolong pakai nama saya rahmat hidayat", True),
                                             ("nama saya Rahmat Hidayat, boleh dicantumkan", True),
                                             ("nama saya Rahmat Hidayat, tapi jangan disebut ya", False)])
async def test_a_name_typed_for_the_complaint_is_its_name_not_more_story(chat: Chat, said: str, shown: bool) -> None:
    """Twelfth QA pass: "nama saya Rahmat Hidayat" at the summary was added to the problem and 'Nama: anonim' stayed;
    thirteenth: "…, tapi jangan disebut ya" had been marked to be published. Published only when said."""
    from knowledge.records.models import ResidentRow

    await _at_location(chat)
    await chat.say("lewati")
    await chat.say("lewati")
    await chat.say("tidak")  # no name at the name step first
    assert "Nama: anonim" in chat.text
    await chat.say(said)
    line = "boleh disebut" if shown else "tidak disebut di publikasi"
    assert f"Nama: Rahmat Hidayat ({line})" in chat.text and "Masalah: " + COMPLAINT + "\n" in chat.text
    await chat.say("ya")
    [filed] = await complaints(chat)
    assert filed.show_name == shown and filed.description == COMPLAINT
    async with chat.services.db.session() as session:
        assert (await session.get(ResidentRow, filed.resident_id)).display_name == "Rahmat Hidayat"


async def test_a_detail_or_a_corrected_place_at_the_photo_step_is_kept(chat: Chat) -> None:
    """Twelfth QA pass: both had been dropped with "Silakan kirim foto"; "tambahkan:" had been kept in the story."""
    await _at_location(chat)
    await chat.say("jalan raya indarung dekat pasar")
    await chat.say("oh iya tambahan, airnya sudah menggenang sampai ke teras")
    assert "kami tambahkan" in chat.text and "Kirim foto" in chat.last[-1].text
    await chat.say("eh maaf salah, bukan di indarung, tapi di jalan raya lubuk begalung depan SPBU")
    assert "lokasinya kami ubah menjadi: “jalan raya lubuk begalung depan SPBU”" in chat.text
    assert "Kirim foto" in chat.last[-1].text
    await chat.say("lewati")
    await chat.say("lewati")
    await chat.say("tambahkan: kemarin motor tetangga mogok")
    assert f"Masalah: {COMPLAINT}\nairnya sudah menggenang sampai ke teras\nkemarin motor tetangga mogok\n" in chat.text
    assert "Lokasi: jalan raya lubuk begalung depan SPBU" in chat.text and "indarung" not in chat.text


@pytest.mark.parametrize("said", ["lho saya bilang JANGAN disebut namanya", "anonim saja", "hapus nama saya"])
async def test_a_name_kept_out_of_publication_when_asked(chat: Chat, said: str) -> None:
    """Thirteenth QA pass: "jangan disebut" after a name was added to the story and the name stayed published."""
    await _at_location(chat)
    await chat.say("lewati")
    await chat.say("lewati")
    await chat.say("tolong pakai nama saya Hendra")
    assert "Nama: Hendra (boleh disebut)" in chat.text
    await chat.say(said)
    hidden = "kami hapus" if said != "lho saya bilang JANGAN disebut namanya" else "tidak akan disebut"  # or removed
    assert hidden in chat.text and "JANGAN" not in chat.text and "Nama: Hendra (boleh" not in chat.text
    await chat.say("ya")
    [filed] = await complaints(chat)
    assert not filed.show_name and filed.description == COMPLAINT


async def test_questioning_the_office_proposed_with_what_it_is_about_routes_again(padang: Chat) -> None:
    """Thirteenth QA pass: "lho kok perhubungan? ini soal bansos PKH saya yang tidak cair" got the same Dishub
    proposal again; "kok dinas perdagangan? ini selokan, harusnya ke PU" was saved as the place."""
    await padang.say("/lapor")
    await padang.say("sudah terdaftar dulu tapi sekarang berhenti")
    assert "Dinas Perhubungan" in padang.text  # "berhenti" read as a bus stop
    await padang.say("lho kok perhubungan? ini soal bansos PKH saya yang tidak cair")
    assert "Dinas Sosial (Dinsos)" in padang.text and "Sudah benar?" in padang.text
    await padang.say("kok dinas sosial?")  # no reason given: the other offices
    assert "instansi mana" in padang.text and "Dinas Sosial" not in " ".join(padang.options[:3])


async def test_what_residents_typed_mid_way_in_the_fourteenth_qa_pass_is_used_not_added_to_the_story(
        padang: Chat) -> None:
    story = "got depan rumah saya di Jl. Parak Gadang tersumbat sampah sejak 2 minggu, tiap hujan meluap"
    await padang.say("/lapor")
    await padang.say(story)
    await padang.say("ya")
    await padang.say("bisa minta kiriman air tangki gak dari pdam?")  # a question: answered, not the place
    assert "kirim lokasi" in padang.text.lower() and "Kirim foto" not in padang.text
    await padang.say("komplek wisma indah 3 blok F, lapai")
    await padang.say("eh salah, blok G no 5 maksudnya")  # the place amended, not the story
    assert "lokasinya kami ubah menjadi: “komplek wisma indah 3 blok F, lapai (ralat: blok G no 5)”" in padang.text
    assert "Kirim foto" in padang.text
    await padang.say("lewati")
    if "nama" in padang.text.lower() and "Ringkasan" not in padang.text:
        await padang.say("lewati")
    await padang.say("sy pak nasrul")  # a name, not a detail of the story
    assert "nama **Nasrul**" in padang.text
    await padang.say("eh kayaknya ini lebih ke sampah ya, ke DLH aja deh")  # another office, in a sentence
    assert "Pilih jenis masalahnya" in padang.text
    await padang.say("Sampah tidak diangkut")
    assert "Instansi: Dinas Lingkungan Hidup" in padang.text
    assert f"Masalah: {story}\n" in padang.text + "\n" and "nasrul" not in padang.text.lower().split("nama:")[0]
    assert "Lokasi: komplek wisma indah 3 blok F, lapai (ralat: blok G no 5)" in padang.text


async def test_turning_down_the_office_with_what_it_is_about_routes_the_story_again(padang: Chat) -> None:
    """Fourteenth QA pass: "bukan, iko soal jalan balubang" listed other offices and lost what it said."""
    await padang.say("/lapor")
    await padang.say("tolong ditindak, sudah lama dibiarkan begini di dekat rumah kami")
    await padang.say("bukan, iko soal jalan balubang")
    assert "keterangan itu kami tambahkan" in padang.text and "(DPUPR)" in padang.text
    assert "Jalan rusak" in padang.text


async def test_what_residents_typed_in_the_fifteenth_qa_pass(padang: Chat) -> None:
    await padang.say("air pdam mati udh 3 hr di rmh sy")
    await padang.say("rmh sy di lubuk begalung")  # a place, not a story (the router had placed it at DLH, 0.65)
    assert "lokasinya kami catat: “lubuk begalung”" in padang.text
    await padang.say("iya lapor aja")
    assert "cerita Anda: “air pdam mati udh 3 hr di rmh sy”" in padang.text and "(PDAM)" in padang.text
    await padang.say("iya buat laporan")  # a yes at the route question
    if "Pilih jenis masalahnya" in padang.text:
        await padang.say("1")
    assert padang.options[0] == "lubuk begalung"
    await padang.choose(padang.options[0])
    await padang.say("lewati")
    await padang.say("ambo Rahmi, no hp 081234567890")  # a name (the phone number dropped), not the story
    assert "nama **Rahmi**" in padang.text and "Masalah: air pdam mati udh 3 hr di rmh sy\n" in padang.text
    await padang.say("saya tidak mau kasih nama")
    assert "Nama: anonim" in padang.text
    await padang.say("eh ga jadi, ke dishub aja deh")  # another office, not a cancel
    assert "dibatalkan" not in padang.text and "Pilih jenis masalahnya" in padang.text
    await padang.say("Lainnya / tidak tahu")
    assert "Instansi: Dinas Perhubungan" in padang.text
    await padang.say("kirim se lah")  # a yes in Minang
    assert "sudah kami terima" in padang.text


async def test_statements_told_one_after_another_are_offered_together(padang: Chat) -> None:
    await padang.say("pohon tumbang menimpa rumah tetangga, anak kecil luka")
    await padang.say("anaknya udh dibawa ke rs, skrg pohonnya masih nutup jalan")
    await padang.say("/lapor")
    if "Laporkan cerita tadi" in padang.options:  # not placed surely: offered, both statements
        assert "pohon tumbang menimpa rumah tetangga" in padang.text and "masih nutup jalan" in padang.text
        await padang.choose("Laporkan cerita tadi")
    assert "Badan Penanggulangan Bencana" in padang.text  # had gone to Dinkes with the last statement alone


async def test_a_name_said_with_the_wish_to_report_is_the_complaints_name(padang: Chat) -> None:
    await padang.say("tetangga setiap sore membakar sampah plastik, asapnya masuk ke rumah")
    await padang.say("Ya, saya ingin membuat laporan. Atas nama Bu Wati.")
    assert "Atas nama" not in padang.text
    await padang.say("ya")
    await padang.say("lewati")
    await padang.say("lewati")
    assert "Nama: Bu Wati (tidak disebut di publikasi)" in padang.text and "Wati" not in padang.text.split("Nama:")[0]


async def test_stories_and_names_of_the_sixteenth_qa_pass(padang: Chat) -> None:
    await padang.say("jembatan kecil di dekat SD 05 kuranji rusak parah")
    await padang.say("lubangnya dalam, tdk ada pagar, bahaya buat anak2")
    await padang.choose("Buat laporan")  # both messages are the story (only the second had been kept)
    assert "rusak parah\nlubangnya dalam" in padang.text
    await padang.say("yes correct")  # an English yes at the route question
    if "Pilih jenis masalahnya" in padang.text:
        await padang.say("1")
    await padang.say("perumahan belimbing blok F, kuranji")
    await padang.say("gk ada foto nak hp sy jadul")  # no photo, with a reason: skipped
    assert "Kirim foto" not in padang.text
    await padang.skip_to_summary()
    await padang.say("eh salah, blok G bukan F, dekat mushala al ikhlas")  # had asked which part to change
    assert "Lokasi: perumahan belimbing blok F, kuranji (ralat: blok G, dekat mushala al ikhlas)" in padang.text
    await padang.say("nama sy Nurhayati ya nak bkn anonim")  # had been read as asking for anonymity
    assert "Nama: Nurhayati (boleh disebut)" in padang.text


async def test_a_story_with_dimana_mana_is_a_story_and_a_name_said_first_is_kept(padang: Chat) -> None:
    story = "sampah di depan rumah saya udah 5 hari ga diangkut2 baunya minta ampun lalat dimana mana"
    await padang.say(story)
    await padang.choose("Buat laporan")  # "dimana mana" (everywhere) had made it a question: the story asked again
    assert f"cerita Anda: “{story}”" in padang.text
    await padang.say("/batal")
    await padang.say("nama saya Yusrizal, saya mau lapor jalan rusak berlubang di depan SD 12")
    assert "Sudah benar?" in padang.text
    await padang.say("ya")
    await padang.skip_to_summary()
    assert "Nama: Yusrizal" in padang.text and "Masalah: jalan rusak berlubang di depan SD 12" in padang.text
    await padang.say("/batal")
    await padang.say("/lapor")
    await padang.say("kan udah sy bilang tadi, got mampet di depan rumah tiap hujan meluap")
    await padang.say("ya")
    await padang.skip_to_summary()
    assert "Masalah: got mampet di depan rumah tiap hujan meluap" in padang.text


async def test_a_privacy_worry_is_answered_and_an_emergency_gets_no_unrelated_answer(padang: Chat) -> None:
    await padang.say("tiok malam ado karaoke di sabalah rumah ambo sampai jam 2 pagi, bisiang bana")
    await padang.say("ambo ndak nio namo ambo diketahui dek urang tu")  # had become the complaint (to Dinsos)
    assert "Identitas Anda hanya terlihat oleh petugas" in padang.text
    await padang.choose("Buat laporan")
    assert "karaoke" in padang.text and "namo ambo" not in padang.text
    await padang.say("/batal")
    await padang.say("aia sungai alah naiak sampai ka pinggang, ado urang gaek indak bisa kalua rumah, tolong!!")
    assert padang.last[0].kind == "emergency" and "KTP" not in padang.text  # had added the KTP-el home visits


async def test_what_residents_typed_in_the_seventeenth_qa_pass(padang: Chat) -> None:
    await padang.say("/lapor")
    await padang.say("Ada genangan air tinggi di depan rumah sudah 3 hari")
    await padang.say("maaf salah, bukan genangan, itu air PDAM bocor dari pipa")  # the office and the story
    assert "Pilih jenis masalahnya" in padang.text and any("air" in o.lower() for o in padang.options)
    await padang.skip_to_summary()
    assert "air pdam bocor dari pipa" in padang.text and "Instansi: Perumda Air Minum" in padang.text
    await padang.say("ya tapi saya takut anak saya kena imbas, identitas saya aman kan?")  # had got "pilih salah satu"
    assert "Identitas Anda hanya terlihat oleh petugas" in padang.text
    await padang.say("/batal")
    await padang.say("/lapor")
    await padang.say("banjir sepinggang di perumahan jondul rawang, air masuk rumah warga")
    if "Sudah benar?" in padang.text:
        await padang.choose("Pilih instansi lain")
    await padang.say("BPBD lah pak ini bencana banjir")  # six words naming the office: had been refused
    assert "Badan Penanggulangan Bencana" in padang.text or "Pilih jenis masalahnya" in padang.text
    assert "Silakan pilih salah satu" not in padang.text


async def test_what_residents_typed_in_the_eighteenth_qa_pass(padang: Chat) -> None:
    await padang.say("lampu jalan mati dekat SPBU by pass sudah seminggu")  # a landmark, not Pertamina's matter
    assert "Pertamina" not in padang.text and "Dinas Perhubungan" in padang.text
    await padang.say("yes correct")  # a yes is no story
    await padang.say("/lapor")
    assert "yes correct" not in padang.text
    await padang.say("/batal")
    await padang.say("/lapor")
    await padang.say("jalan berlubang besar di depan SD 12 kuranji, motor sering jatuh")
    await padang.say("ya")
    await padang.say("ga ada lokasi, ini soal jalan")  # no place: skipped, not saved as the place
    assert "Kirim foto" in padang.text
    await padang.say("nama sy ga ikut dikirim kan?")  # had got the due date
    assert "Identitas Anda hanya terlihat oleh petugas" in padang.text
    await padang.say("lewati")
    await padang.say("cantumin nama sy aja, Rudi Hartono")  # had been added to the story
    assert "nama **Rudi Hartono**" in padang.text


# --- the nineteenth blind QA pass -------------------------------------------------------------------


async def test_a_customer_number_at_the_route_question_is_a_detail_not_a_no(padang: Chat) -> None:
    """"no pelanggan sy 0123456" after PDAM was proposed had listed three other offices, and the number was lost."""
    await padang.say("/lapor")
    await padang.say("air pdam ga ngalir udh 3 hari di rumah sy")
    assert "(PDAM)" in padang.text
    await padang.say("no pelanggan sy 0123456")
    assert "keterangan itu kami tambahkan" in padang.text and "(PDAM)" in padang.text and "Sudah benar?" in padang.text
    await padang.say("ya")
    await padang.skip_to_summary()
    assert "no pelanggan sy 0123456" in padang.text


async def test_asking_whether_another_office_handles_it_asks_back_instead_of_moving_the_complaint(padang: Chat) -> None:
    """"bukannya satpol pp yg nertibin?" had silently moved a parking complaint from Dishub to Satpol PP."""
    await padang.say("/lapor")
    await padang.say("banyak parkir liar di depan pasar raya, macet tiap sore")
    assert "(Dishub)" in padang.text
    await padang.say("bukannya satpol pp yg nertibin?")
    assert "Menurut kami" in padang.text and padang.options == ["Ke Satpol PP", "Tetap ke Dishub"]
    await padang.choose("Tetap ke Dishub")
    await padang.skip_to_summary()
    assert "Instansi: Dinas Perhubungan (Dishub)" in padang.text
    await padang.say("bukannya satpol pp yg nertibin?")  # at the summary too
    await padang.choose("Ke Satpol PP")
    await padang.skip_to_summary()
    assert "Instansi: Satuan Polisi Pamong Praja (Satpol PP)" in padang.text


async def test_a_change_asked_at_the_end_of_a_remark_is_made_not_added_to_the_story(chat: Chat) -> None:
    await _at_location(chat)
    await chat.skip_to_summary()
    await chat.say("eh td sy cuma nanya. ubah instansi")
    assert "Pilih instansi tujuan laporan" in chat.text
    await chat.choose(chat.options[0])
    await chat.skip_to_summary()
    assert "cuma nanya" not in chat.text


@pytest.mark.parametrize("said", ["nama: Yusniar", "nama Yusniar"])
async def test_a_name_said_with_a_colon_or_after_nama_is_the_name(chat: Chat, said: str) -> None:
    """"nama: Yusniar" at the photo step was ignored and the complaint went out anonymous."""
    await _at_location(chat)
    await chat.say("lewati")  # the place
    await chat.say(said)  # at the photo step
    assert "nama **Yusniar** kami cantumkan" in chat.text and "Kirim foto" in chat.text
    await chat.skip_to_summary()
    assert "Nama: Yusniar (tidak disebut di publikasi)" in chat.text


async def test_ubah_nama_asks_the_name_and_takes_it_bare_then_the_step_goes_on(chat: Chat) -> None:
    await _at_location(chat)
    await chat.say("lewati")
    await chat.say("ubah nama")  # at the photo step
    assert chat.last[0].text.startswith("Silakan ketik nama Anda")
    await chat.say("dedi kurniawan")
    assert "nama **Dedi Kurniawan** kami cantumkan" in chat.text and "Kirim foto" in chat.text
    await chat.skip_to_summary()
    assert "Nama: Dedi Kurniawan" in chat.text and "**ubah nama**" in chat.text
    await chat.say("ubah nama")
    await chat.say("ya")  # a yes is no name: the summary's yes
    assert "Laporan diteruskan" in chat.text or "Laporan Anda" in chat.text or "diteruskan ke" in chat.text


@pytest.mark.parametrize("said", ["kamera hp sy rusak", "ga sempat moto pak", "my phone camera is broken"])
async def test_why_there_is_no_photo_skips_it_and_is_not_the_story(chat: Chat, said: str) -> None:
    await _at_location(chat)
    await chat.say("lewati")
    await chat.say(said)
    await chat.skip_to_summary()
    assert said not in chat.text and "Foto: tidak ada" in chat.text


async def test_a_detail_of_the_story_corrected_is_kept_as_a_correction(padang: Chat) -> None:
    """"eh maaf salah, bukan km 10 tp km 12, dekat spbu" had been added as "km 12 dekat spbu", the story then
    saying both."""
    await padang.say("/lapor")
    await padang.say("jalan by pass km 10 ada lobang besar, udh 2 minggu")
    await padang.say("eh maaf salah, bukan km 10 tp km 12, dekat spbu")
    assert "Sudah benar?" in padang.text
    await padang.say("ya")
    await padang.skip_to_summary()
    assert "(ralat: bukan km 10, tetapi km 12, dekat spbu)" in padang.text
    await padang.say("bukan km 12 tapi km 13")  # at the summary too
    assert "(ralat: bukan km 12, tetapi km 13)" in padang.text and "Ringkasan laporan" in padang.text


# --- the twentieth blind QA pass ---------------------------------------------------------------------


async def test_a_body_outside_the_city_asked_about_at_the_route_question_is_answered_not_a_no(padang: Chat) -> None:
    """"bukan PLN ya yg ngurus?" had been read as turning Dishub down; "eh ga jadi, dishub udh bener" then cancelled
    the complaint; "kantor dukcapil buka sabtu gak?" had been offered as the complaint's office."""
    await padang.say("/lapor")
    await padang.say("lampu jalan di depan rumah sy mati 3 hari, jl. bagindo aziz chan")
    await padang.say("bukan PLN ya yg ngurus?")
    assert "ditangani **Dinas Perhubungan (Dishub)**, bukan PLN" in padang.text and "Sudah benar?" in padang.text
    await padang.say("eh btw kantor dukcapil buka sabtu gak?")
    assert "Jika Anda yakin" not in padang.text and "Sudah benar?" in padang.last[-1].text
    await padang.say("eh ga jadi, dishub udh bener")
    assert "dibatalkan" not in padang.text and "lokasinya" in padang.text.lower()


async def test_the_office_said_wrong_at_the_summary_with_the_right_one_named_takes_it(padang: Chat) -> None:
    await padang.say("/lapor")
    await padang.say("pedagang di pasar raya buang sampah ke got, baunya sampai ke jalan")
    await padang.choose(padang.options[0])
    await padang.skip_to_summary()
    await padang.say("instansinya salah tu, hrsnya dinas lingkungan hidup")
    await padang.skip_to_summary()
    assert "Instansi: Dinas Lingkungan Hidup (DLH)" in padang.text and "hrsnya" not in padang.text


async def test_without_a_name_from_the_channel_the_name_is_asked_and_may_be_skipped(chat: Chat) -> None:
    """Twentieth QA pass: the web chat never asked a name; a bare "Yuliana" at the summary was refused."""
    chat.display_name = None
    await _at_location(chat)
    await chat.say("lewati")
    await chat.say("lewati")
    assert chat.last[-1].text.startswith("Siapa nama Anda? (opsional)")
    await chat.say("Yuliana")
    assert "nama **Yuliana** kami cantumkan" in chat.text and "Ringkasan laporan" in chat.text
    await chat.say("batal")
    await _at_location(chat)
    await chat.say("lewati")
    await chat.say("lewati")
    await chat.say("lewati")
    assert "Nama: anonim" in chat.text


@pytest.mark.parametrize(("said", "name", "shown"), [
    ("panggil aja Uni Yet, boleh disebut kok", "Uni Yet", True), ("call me John", "John", False),
])
async def test_a_name_said_as_what_to_be_called(chat: Chat, said: str, name: str, shown: bool) -> None:
    await _at_location(chat)
    await chat.say(said)
    await chat.skip_to_summary()
    shown_as = "boleh disebut" if shown else "tidak disebut di publikasi"
    assert f"Nama: {name} ({shown_as})" in chat.text and said not in chat.text


async def test_going_back_to_the_report_and_sending_it_without_a_name_are_not_the_story(chat: Chat) -> None:
    await _at_location(chat)
    await chat.skip_to_summary()
    await chat.say("ok balik ke laporan tadi")
    assert chat.last[-1].kind == "summary"
    await chat.say("kirim aja tanpa nama")
    assert "balik ke laporan" not in chat.text and "tanpa nama" not in chat.text and "Nama: anonim" in chat.text


@pytest.mark.parametrize("said", ["ga usah foto lah", "udah gelap", "takuik dimarahi"])
async def test_more_reasons_for_no_photo_skip_it(chat: Chat, said: str) -> None:
    await _at_location(chat)
    await chat.say("lewati")
    await chat.say(said)
    await chat.skip_to_summary()
    assert said not in chat.text and "Foto: tidak ada" in chat.text


# --- the twenty-second blind QA pass -------------------------------------------------------------------


async def test_ga_usah_at_an_optional_step_skips_it_and_keeps_the_complaint(chat: Chat) -> None:
    """"gak usah" at the photo step and "ga usah" at the name step had cancelled the complaint."""
    chat.display_name = None
    await _at_location(chat)
    await chat.say("lewati")
    await chat.say("gak usah")
    assert "dibatalkan" not in chat.text and "Siapa nama Anda" in chat.text
    await chat.say("ga usah")
    assert "dibatalkan" not in chat.text and "Ringkasan laporan" in chat.text and "Nama: anonim" in chat.text


@pytest.mark.parametrize(("said", "name", "number_said"), [
    ("panggil aja bu Yanti", "Bu Yanti", False), ("Rina, hp 082112345678 kalau perlu dihubungi", "Rina", True),
])
async def test_names_of_the_twenty_second_pass(chat: Chat, said: str, name: str, number_said: bool) -> None:
    chat.display_name = None
    await _at_location(chat)
    await chat.say("lewati")
    await chat.say("lewati")
    await chat.say(said)
    assert f"nama **{name}** kami cantumkan" in chat.text
    assert ("Nomor telepon tidak kami simpan" in chat.text) == number_said
    assert "082112345678" not in chat.text


async def test_a_kilometre_corrected_after_the_place_amends_it(padang: Chat) -> None:
    """A bypass address is given by its kilometre: "eh salah, km 12 maksudnya" had been added to the story."""
    await padang.say("/lapor")
    await padang.say("jalan berlubang besar dekat sd 12, bahaya buat motor")
    await padang.say("ya")
    await padang.say("jl. raya by pass km 10, kuranji")
    await padang.say("eh salah, km 12 maksudnya")
    assert "lokasinya kami ubah menjadi: “jl. raya by pass km 10, kuranji (ralat: km 12)”" in padang.text


@pytest.mark.parametrize("said", [["ubah nama", "lewati"], ["anonim aja"], ["kirim tanpa nama aja"]])
async def test_a_name_given_can_be_taken_back(padang: Chat, said: list[str]) -> None:
    """Twenty-third QA pass: after "ubah nama", "lewati" or "anonim aja" kept "Nama: Siti Aminah"."""
    await padang.say("/lapor")
    await padang.say("lampu jalan mati di depan masjid raya, udh seminggu")
    await padang.say("ya")
    await padang.skip_to_summary()
    await padang.say("ubah nama")
    await padang.say("Siti Aminah")
    assert "Nama: Siti Aminah" in padang.text
    for text in said:
        await padang.say(text)
    assert "kami hapus" in padang.text and "Nama: anonim" in padang.text and "Siti" not in padang.text


async def test_what_the_twenty_third_qa_pass_typed_mid_way_is_used_as_meant(padang: Chat) -> None:
    """"eh bukan jalan, yg rusak itu jembatan kecil …" at the place step had been saved as the place; an address
    typed at the route question was added to the story and routed again; "jl. raya" became "jl, raya"."""
    await padang.say("lapor jalan rusak di jl. raya indarung")
    await padang.say("Jl. Raya Indarung dekat Pasar Baru")  # at "Sudah benar?": the place, not a market's matter
    assert "lokasinya kami catat: “Jl. Raya Indarung dekat Pasar Baru”" in padang.text
    assert "Jalan rusak" in padang.text and "Sudah benar?" in padang.text
    await padang.say("ya")
    await padang.say("eh bukan jalan, yg rusak itu jembatan kecil di atas bandar, papannya patah")
    assert "Jembatan rusak" in padang.text and "Sudah benar?" in padang.text
    await padang.say("ya")
    await padang.say("https://i.imgur.com/abc123.jpg")  # at the photo step: a detail, as written
    await padang.skip_to_summary()
    assert "Lokasi: Jl. Raya Indarung dekat Pasar Baru" in padang.text
    assert "(ralat: jembatan kecil di atas bandar papannya patah)" in padang.text
    assert "https://i.imgur.com/abc123.jpg" in padang.text


async def test_the_problem_corrected_at_the_place_step_is_no_place(padang: Chat) -> None:
    await padang.say("lapor jalan rusak di jl. raya indarung")
    await padang.say("ya")
    await padang.say("eh bukan jalan, yg rusak itu jembatan kecil di atas bandar, papannya patah")
    assert "Jembatan rusak" in padang.text and "Sudah benar?" in padang.text
    await padang.say("ya")
    assert "lokasi" in padang.text.lower() and "jembatan kecil" not in padang.text


@pytest.mark.parametrize(("story", "place"), [
    ("lubang besar di jl. by pass km 10 kuranji, bahaya", "jl. by pass km 10, kuranji"),
    ("sampah numpuk di jl. gajah mada gunung pangilun dpn toko", "jl. gajah mada, gunung pangilun")])
def test_the_street_a_story_names_is_found_before_its_kelurahan(story: str, place: str) -> None:
    """Twenty-third QA pass: neither place was offered at the place step (a kilometre, a kelurahan after the street)."""
    from handlers.complaint_words import place_in_story
    from knowledge.kb import default_kb_path
    from knowledge.places import Places

    assert place_in_story(story, Places.for_kb(default_kb_path())) == place


@pytest.mark.parametrize("said", ["jangan pake nama sy deh, takut ketauan tetangga", "hapus aja namanya, anonim aja"])
async def test_the_twenty_fourth_qa_pass_asks_for_no_name(padang: Chat, said: str) -> None:
    """The name had stayed, and "hapus aja namanya, anonim aja" had been added to the story."""
    await padang.say("/lapor")
    await padang.say("tetangga setel musik keras tiap malam sampe jam 2, berisik")
    await padang.say("ya")
    await padang.skip_to_summary()
    await padang.say("nama: Hendra Saputra")
    await padang.say(said)
    assert "kami hapus" in padang.text and "Nama: anonim" in padang.text and "Hendra" not in padang.text
    assert said not in padang.text


async def test_a_stale_button_or_a_status_request_at_the_summary_is_no_detail(padang: Chat) -> None:
    """Twenty-fourth QA pass: "Laporkan cerita tadi" and "cek laporan sy" had been added to the story."""
    await padang.say("/lapor")
    await padang.say("lampu jalan mati udh seminggu di jl. by pass km 10")
    await padang.say("Laporkan cerita tadi")
    assert "kami tambahkan" not in padang.text
    await padang.say("ya")
    await padang.skip_to_summary()
    await padang.say("cek laporan sy")
    assert complaint_texts.NONE_SENT_YET in padang.text and "\ncek laporan sy" not in padang.text
