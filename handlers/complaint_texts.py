"""What a resident reads while filing a complaint and afterwards (its status, rating and withdrawal), in
Bahasa Indonesia, in the style of handlers.texts, which keeps the menu, the answers and the buttons."""

from __future__ import annotations

import datetime as dt
import re

from handlers import texts
from handlers.messages import Option
from knowledge.kb import Opd
from knowledge.privacy import mask

DESCRIBE = "Ceritakan masalahnya: apa, di mana, sejak kapan."
DETAIL_ADDED = "Baik, keterangan itu kami tambahkan ke laporan. Silakan periksa lagi ringkasannya:"
DETAIL_TAKEN = "Baik, keterangan itu kami tambahkan ke laporan."
WHICH_PART = "Bagian mana yang perlu diubah?"
EDIT_OPTIONS = (Option("Ubah masalah", "edit:masalah"), Option("Ubah lokasi", "edit:lokasi"),
                Option("Ubah instansi", "edit:instansi"), Option("Ubah foto", "edit:foto"))
ANOTHER_PROBLEM = ("Sepertinya itu masalah lain. Kita selesaikan laporan ini dulu; setelah terkirim, saya ingatkan "
                   "untuk melaporkan masalah itu juga.")
EVIDENCE_STORY = ("Untuk membuat laporan, ceritakan masalahnya: apa, di mana, sejak kapan. Ketik **batal** jika "
                  "Anda tidak ingin melapor.")
DESCRIBE_WHAT = ("Masalahnya apa? Misalnya jalan berlubang, sampah tidak diangkut, lampu jalan mati, atau air PDAM "
                 "tidak mengalir. Sebutkan juga di mana dan sejak kapan.")
DESCRIBE_MORE = "Ceritanya terlalu singkat. Mohon jelaskan apa masalahnya, di mana, dan sejak kapan."
CHOOSE_OPD = "Laporan ini sebaiknya diteruskan ke instansi mana? Pilih salah satu:"
CHOOSE_OPD_ALL = "Pilih instansi tujuan laporan:"
CHOOSE_CATEGORY = "Pilih jenis masalahnya:"
LOCATION = "Kirim lokasi (tombol 📍) atau ketik alamat/patokan. Ketik **lewati** jika tidak ada."


def location_in_story(place: str) -> str:
    """Ask where, when the story named a street: its button takes that address."""
    return (f"Apakah lokasinya **{place}**? Pilih tombolnya jika benar, atau kirim lokasi (tombol 📍) / ketik alamat "
            "yang lebih lengkap. Ketik **lewati** jika tidak ada.")


LOCATION_SHORT = "Alamatnya terlalu singkat. Ketik alamat atau patokan, atau ketik **lewati**."
PHOTO = "Kirim foto (opsional) atau ketik **lewati**."
PHOTO_AGAIN = "Silakan kirim foto, atau ketik **lewati** jika tidak ada foto."


def name_question(name: str) -> str:
    """Ask whether the resident's name (as their chat app shows it) may be named when the city makes the
    complaint public (a report, a social-media reply); the officers handling it always see it.
    Formatting marks in the name ("*Andi*") are left out: they would break the bold around it."""
    name = re.sub(r"[*_~`]+", "", name).strip() or "-"
    return (f"Boleh nama Anda (**{name}**) disebut jika laporan ini dipublikasikan Pemerintah Kota, misalnya "
            "dalam laporan atau balasan di media sosial? Nama Anda tetap terlihat oleh petugas instansi yang "
            "menangani.")



PICK_ONE = "Silakan pilih salah satu pilihan di bawah, atau ketik **batal** untuk membatalkan laporan."
LOCATION_AGAIN = ("Itu bukan alamat. Ketik alamat atau patokan tempat masalahnya, kirim lokasi (tombol 📍), "
                  "atau ketik **lewati**.")
DRAFT_DROPPED = "Laporan yang belum terkirim dibatalkan."
DRAFT_GOES_ON = ("Laporan Anda sedang kami siapkan, mari kita lanjutkan. (Untuk membuat laporan lain, ketik **batal** "
                 "dulu.)")
NOT_FILED = ("Baik, laporan tidak dibuat. Jika nanti ada masalah layanan kota yang ingin dilaporkan, ketik /lapor; "
             "pertanyaan juga boleh langsung diketik.")
PHOTO_RECEIVED = "Foto diterima."
LOCATION_RECEIVED = "Lokasi diterima."


def address_elsewhere(region: str, city_name: str) -> str:
    """Say that a typed address seems to be in another region; it is kept, and can be changed."""
    return (f"Catatan: alamat itu tampaknya di luar {city_name} ({region}). Laporan ini hanya dapat ditangani "
            f"bila lokasinya di {city_name}; ketik **ubah lokasi** di ringkasan untuk menggantinya.")


def location_outside(city_name: str, *, asking: bool) -> str:
    """Say that a shared pin is outside the city and was not used; ask again when at the location step."""
    text = f"Lokasi yang Anda kirim berada di luar wilayah {city_name}, jadi tidak kami pakai."
    if asking:
        text += " Kirim lokasi masalahnya (tombol 📍), ketik alamat atau patokannya, atau ketik **lewati**."
    return text


DESCRIPTION_CUT = "Cerita Anda sangat panjang; yang kami simpan adalah 4.000 karakter pertama."
CONFIRM_AGAIN = ("Ketik **ya** untuk mengirim laporan, **ubah masalah**, **ubah lokasi**, **ubah foto**, **ubah "
                 "instansi** atau **ubah nama** untuk mengganti isinya, atau **batal** untuk membatalkan.")


def office_asked(proposed: str, named: str) -> str:
    """Answer a resident who asks whether another office handles their complaint."""
    return (f"Menurut kami laporan seperti ini ditangani **{proposed}**. Jika Anda yakin **{named}** yang "
            "menanganinya, pilih tombolnya; atau tetap kirim ke instansi tadi:")


def office_asked_outside(proposed: str, body: str) -> str:
    """Answer a resident who asks whether a body outside the city handles their complaint ("bukan PLN ya?")."""
    short = body.split(" (")[0]
    return (f"Menurut kami laporan seperti ini ditangani **{proposed}**, bukan {short}. Jika masalahnya memang urusan "
            f"{short}, hubungi langsung: **{body}**; laporan di sini hanya diteruskan ke instansi Pemerintah Kota.")


def route_proposal(opd: Opd, category_name: str | None) -> str:
    what = f" (kategori: {category_name})" if category_name else ""
    return f"Laporan ini akan diteruskan ke **{opd.label}**{what}. Sudah benar?"


def place(address: str | None, latitude: float | None, longitude: float | None, kelurahan: str | None,
          kecamatan: str | None) -> str:
    """Return where a complaint is, as told: the address, the map point, the kelurahan (or "-")."""
    location = mask(address or "")  # an address is no place for a NIK or phone number either
    if latitude is not None and longitude is not None:
        point = f"titik {latitude:.5f}, {longitude:.5f}"
        location = f"{location} ({point})" if location else point
    said = (address or "").lower()  # what the typed address already names is not said twice
    parts = [f"{label} {name}" for label, name in (("Kel.", kelurahan), ("Kec.", kecamatan))
             if name and name.lower() not in said]
    if parts:
        location = f"{location} — {', '.join(parts)}" if location else ", ".join(parts)
    return location or "-"


def shown_description(description: str) -> str:
    """Return a complaint's story as the resident is shown it again: the beginning of a long one, and
    any NIK or phone number masked (the chat need not carry it twice; the OPD gets it as written)."""
    description = mask(description)
    if len(description) > 300:
        description = description[:297].rstrip() + "… (teks lengkap tetap tersimpan)"
    return description


def _name_line(data: dict) -> str:
    """Say whose name the complaint carries: one the resident typed, the channel's, or none."""
    if data.get("name"):
        return f"{data['name']} ({'boleh disebut' if data.get('show_name') else 'tidak disebut di publikasi'})"
    return "ditampilkan" if data.get("show_name") else "anonim"


NUMBER_NOT_KEPT = ("Nomor telepon tidak kami simpan bersama nama: petugas membalas lewat percakapan ini, dan "
                   "perkembangan laporan kami kabarkan di sini.")
NAME_OPTIONAL = ("Siapa nama Anda? (opsional) Nama hanya dilihat petugas instansi yang menangani, dan tidak disebut "
                 "di publikasi kecuali Anda izinkan. Ketik nama Anda, atau **lewati** untuk tetap anonim.")
NAME_ASK = ("Silakan ketik nama Anda (misalnya **Budi Santoso**). Nama hanya dilihat petugas instansi, kecuali Anda "
            "menulis **boleh disebut**.")


def name_taken(name: str, shown: bool) -> str:
    if shown:
        return f"Baik, nama **{name}** kami cantumkan di laporan ini dan boleh disebut bila laporan dipublikasikan."
    return (f"Baik, nama **{name}** kami cantumkan untuk petugas instansi saja; nama itu tidak disebut bila laporan "
            "dipublikasikan.")


NAME_REMOVED = "Baik, nama yang Anda ketik kami hapus; laporan dikirim tanpa nama."
NAME_HIDDEN = ("Baik, nama Anda tidak akan disebut bila laporan dipublikasikan. Petugas instansi yang menangani tetap "
               "dapat melihat identitas Anda untuk menindaklanjuti laporan.")


def summary(data: dict, opd: Opd | None, category_name: str | None) -> str:
    """Return the summary the resident confirms before the complaint is filed."""
    location = place(data.get("address"), data.get("latitude"), data.get("longitude"), data.get("kelurahan"),
                     data.get("kecamatan"))
    description = shown_description(data.get("description", ""))
    return (
        "**Ringkasan laporan**\n"
        f"- Masalah: {description}\n"
        f"- Instansi: {opd.label if opd else '-'}\n"
        f"- Kategori: {category_name or 'Lainnya'}\n"
        f"- Lokasi: {location}\n"
        f"- Foto: {'ada' if data.get('photo') else 'tidak ada'}\n"
        f"- Nama: {_name_line(data)}\n\n"
        "Ketik **ya** untuk mengirim, **ubah masalah** / **ubah lokasi** / **ubah foto** / **ubah instansi** / "
        "**ubah nama** untuk mengganti, atau **batal**."
    )


def filed(ticket: str, opd_label: str, due: dt.date) -> str:
    return (
        f"Terima kasih, laporan Anda sudah kami terima dengan nomor **{ticket}**.\n"
        f"Laporan diteruskan ke **{opd_label}** dan akan ditanggapi paling lambat {texts.date_long(due)}.\n"
        f"Cek status kapan saja dengan /status {ticket}"
    )


REPORT_ALSO = Option("Laporkan juga", "also:report")
REPORT_AGAIN = Option("Laporkan lagi", "also:report")  # the story of a complaint withdrawn, reported again


def withdrawn_for_good(ticket: str) -> str:
    """Say a withdrawn complaint cannot be brought back, and how to report it again."""
    return (f"Maaf, laporan **{ticket}** sudah dibatalkan dan tidak bisa diaktifkan lagi. Jika masalahnya masih ada, "
            "pilih **Laporkan lagi**: ceritanya sudah kami isi, Anda tinggal memeriksa dan mengirimnya.")


TOLD_STORY = Option("Laporkan cerita tadi", "story:told")


def describe_or_told(story: str) -> str:
    """Ask for the story, offering the problem the resident told just before."""
    return f"{DESCRIBE}\n\nAtau pilih **{TOLD_STORY.label}** untuk melaporkan: “{story}”."


def place_noted(place: str) -> str:
    """Say that a place given on its own after a problem was told is kept for the report."""
    return (f"Baik, lokasinya kami catat: “{place}”. Untuk melaporkan masalah tadi, pilih "
            f"**{texts.REPORT.label}**; lokasi ini akan kami tawarkan saat ditanya.")


def place_changed(address: str) -> str:
    """Say that the complaint's place was changed or corrected, as it now reads."""
    return f"Baik, lokasinya kami ubah menjadi: “{address}”."


def place_kept(address: str) -> str:
    """Say that a place typed before it was asked is kept as the complaint's place."""
    return f"Baik, lokasinya kami catat: “{address}”."


def amended_place(address: str, fix: str) -> str:
    """Return an address with the correction the resident gave of a part of it."""
    return f"{address} (ralat: {fix})"


def story_taken(story: str) -> str:
    """Return the note that a report starts with what the resident told before."""
    return f"Baik, laporan dibuat dari cerita Anda: “{story}” (bisa diubah di ringkasan dengan **ubah masalah**)."


def also_mentioned(text: str) -> str:
    """Return the reminder, after filing, of another problem the resident told during the complaint."""
    return f"Tadi Anda juga menyebut: “{text}”. Tekan **Laporkan juga** untuk membuat laporan tentang itu."


def same_complaint(ticket: str) -> str:
    return (f"Hari ini Anda sudah mengirim laporan serupa dengan nomor **{ticket}**, dan laporan itu belum "
            f"selesai (cek dengan /status {ticket}). Jika ini masalah lain, ketik **ya** untuk tetap mengirim; "
            f"jika sama, ketik **batal**.")


def time_to_answer(days: int) -> str:
    """Return how long the OPD has for a complaint being written (asked in the middle of it)."""
    return (f"Setelah laporan ini terkirim, instansinya menanggapi paling lambat **{days} hari kerja**, dan setiap "
            f"perubahan statusnya kami kabarkan di sini.")


def after_filing(ticket: str, opd_label: str, due: dt.date) -> str:
    """Return what happens to a complaint just filed (asked "how long will it take?" right after)."""
    return (f"Laporan **{ticket}** sudah diteruskan ke **{opd_label}** dan akan ditanggapi paling lambat "
            f"{texts.date_long(due)}. Setiap perubahan statusnya kami kabarkan di percakapan ini; Anda juga bisa "
            f"mengeceknya dengan /status {ticket}. Laporan yang melewati tanggal itu ditandai terlambat di halaman "
            f"pemantauan Pemerintah Kota.")


def due_is_latest(ticket: str, opd_label: str, due: dt.date) -> str:
    """Answer a resident who finds the deadline of the complaint just filed too long."""
    return (f"Mohon maaf, {texts.date_long(due)} adalah batas **paling lambat**; **{opd_label}** bisa menanganinya lebih "
            f"cepat. Laporan **{ticket}** sudah mereka terima, dan perubahan statusnya kami kabarkan di sini. Jika "
            "keadaannya membahayakan orang sekarang, jangan menunggu:")


def send_photo_now(ticket: str) -> str:
    return f"Silakan kirim fotonya sekarang; foto itu kami tambahkan ke laporan **{ticket}**."


def photo_added(ticket: str) -> str:
    return f"Terima kasih, foto sudah ditambahkan ke laporan **{ticket}**. Cek status kapan saja dengan /status {ticket}"


def filed_already(ticket: str) -> str:
    return (f"Laporan Anda sudah terkirim dengan nomor **{ticket}**; tidak perlu dikirim lagi.\n"
            f"Cek status kapan saja dengan /status {ticket}")


# --- status and rating ----------------------------------------------------------------------

NONE_SENT_YET = "Belum ada laporan Anda yang terkirim; laporan yang sedang Anda buat belum dikirim."
NO_COMPLAINTS = "Anda belum pernah membuat laporan. Ketik **lapor** untuk membuat laporan baru."
NOT_FOUND = ("Nomor laporan tidak ditemukan. Periksa kembali nomornya; laporan hanya dapat dicek dari akun "
             "Telegram atau WhatsApp, atau dari peramban (browser) yang sama, yang dipakai saat melapor.")
STATUS_HINT = ("Ketik **status NOMOR** untuk melihat rincian laporan, atau **batalkan NOMOR** untuk membatalkan "
               "laporan yang belum selesai.")


def rating_thanks(n: int, ticket: str, before: int | None = None) -> str:
    """Return the thanks for a complaint's rating, naming the complaint (a change of rating is said so); a low
    one gets an apology and what to do next."""
    if before is not None and before != n:
        head = f"Nilai Anda untuk laporan **{ticket}** diubah dari {before} menjadi {n}/5."
    else:
        head = f"Terima kasih atas penilaian Anda untuk laporan **{ticket}** ({n}/5)!"
    if n >= 3:
        return f"{head} Masukan Anda membantu kami melayani lebih baik."
    return (f"{head.rstrip('!.')}. Mohon maaf, penanganannya belum memuaskan; penilaian ini "
            f"kami sampaikan ke instansinya. Jika masalahnya belum selesai, ketik /lapor untuk melapor lagi, atau "
            f"/status {ticket} untuk melihat catatan petugas.")
NOTHING_TO_RATE = ("Tidak ada laporan Anda yang menunggu penilaian. Penilaian diminta setelah laporan selesai "
                   "ditangani; cek laporan Anda dengan /status.")
RATE_NOW = "Laporan ini belum Anda beri nilai. Seberapa puas Anda dengan penanganannya? 1 (buruk) sampai 5 (sangat baik):"
RATING_FAILED = "Maaf, penilaian untuk laporan itu tidak dapat disimpan."
WITHDRAW_LABEL = "Batalkan laporan ini"
WITHDRAW_YES_LABEL = "Ya, batalkan"
WITHDRAW_NO_LABEL = "Tidak, lanjutkan"


def cancel_after_filing(ticket: str) -> str:
    """Answer a cancel that comes just after the complaint was sent."""
    return (f"Laporan **{ticket}** sudah terkirim ke instansi. Jika ingin menariknya kembali, ketik "
            f"**batalkan {ticket}**.")


def withdraw_question(ticket: str) -> str:
    return (f"Yakin ingin membatalkan laporan **{ticket}**? Laporan yang dibatalkan tidak akan ditindaklanjuti "
            "oleh instansi.")


def withdrawn(ticket: str) -> str:
    return (f"Laporan **{ticket}** sudah dibatalkan. Terima kasih sudah memberi tahu. Jika masalahnya muncul "
            "lagi, ketik **lapor** untuk membuat laporan baru.")


def withdraw_kept(ticket: str) -> str:
    return f"Baik, laporan **{ticket}** tetap diproses. Ketik **status {ticket}** untuk melihat perkembangannya."


def withdraw_too_late(ticket: str, status: str) -> str:
    return f"Laporan **{ticket}** sudah berstatus **{status}**, jadi tidak dapat dibatalkan lagi."


