"""Every text a resident reads, in Bahasa Indonesia: polite ("Anda"), short, next step clear.

Texts use the core's markup: `**bold**` and plain lines. Functions build texts that need data;
constants are plain strings. Dates are written the Indonesian way ("Jumat, 4 Desember 2026").
"""

from __future__ import annotations

import datetime as dt
import re

from handlers.messages import Option
from knowledge.kb import City, Contact, Opd
from knowledge.privacy import mask

DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
          "Oktober", "November", "Desember")
CONTACT_LABELS = {"phone": "Telepon", "whatsapp": "WhatsApp", "email": "Email", "address": "Alamat",
                  "hours": "Jam layanan", "website": "Situs"}

# --- menu -----------------------------------------------------------------------------------

ASK = Option("Tanya layanan", "cmd:tanya")
REPORT = Option("Buat laporan", "cmd:lapor")
STATUS = Option("Cek status laporan", "cmd:status")
HELP = Option("Bantuan", "cmd:bantuan")
ASK_AGAIN = Option("Tanya lagi", "cmd:tanya")
MENU = (ASK, REPORT, STATUS, HELP)


def date_long(day: dt.date) -> str:
    """Return e.g. "Jumat, 4 Desember 2026"."""
    return f"{DAYS[day.weekday()]}, {day.day} {MONTHS[day.month - 1]} {day.year}"


def date_short(day: dt.date) -> str:
    """Return e.g. "4 Des 2026"."""
    return f"{day.day} {MONTHS[day.month - 1][:3]} {day.year}"


def greeting(city: City, menu: bool = True) -> str:
    """Return the welcome text: the city's greeting (or a default) and what the bot does; with `menu`,
    the pointer to the menu sent with it (not when the welcome precedes the answer to a first message)."""
    pointer = "Pilih menu di bawah atau ketik pertanyaan Anda." if menu else ""
    if city.greeting.strip():
        return f"{city.greeting.strip()}\n\n{pointer}".strip()
    return (f"Halo, selamat datang! Saya **{city.bot_name}**, asisten virtual {city.name or 'pemerintah kota'}.\n\n"
            "Saya bisa menjawab pertanyaan tentang layanan kota, menerima laporan atau pengaduan, dan memberi "
            f"tahu status laporan Anda. {pointer}").strip()


def unknown_command(name: str) -> str:
    """Return the reply to a slash command the bot does not have ("/xyz"; `name` is letters only)."""
    return (f"Maaf, perintah /{name} tidak ada. Perintah yang bisa dipakai: /lapor (buat laporan), /status (cek "
            "laporan), /batal, /bantuan dan /start (menu). Pertanyaan bisa langsung diketik tanpa garis miring.")


def help_text(city: City) -> str:
    """Return the help text: commands, example questions and emergency numbers."""
    emergency = city.emergency.strip() or "Dalam keadaan darurat, segera hubungi **112** (gratis, 24 jam)."
    return (
        "**Cara menggunakan**\n"
        "- Ketik pertanyaan Anda, misalnya: syarat KTP-el baru, syarat akta kelahiran, jadwal angkut sampah.\n"
        "- **lapor** — buat laporan atau pengaduan\n"
        "- **status** — cek status laporan Anda (atau **status NOMOR**)\n"
        "- **batal** — batalkan proses yang sedang berjalan\n"
        "- **menu** — kembali ke menu awal\n\n"
        f"{emergency}"
    )


def emergency_first(city: City, electric: bool = False) -> str:
    """Return the warning that opens the reply to an emergency happening now: the numbers to call (with PLN's for a
    live cable or a sparking pole)."""
    numbers = city.emergency.strip() or "Dalam keadaan darurat, segera hubungi **112** (gratis, 24 jam)."
    pln = f"\n\n{ELECTRIC_DANGER}" if electric else ""
    return f"⚠️ {numbers}{pln}\n\nPesan dan laporan di sini tidak ditangani seketika."


ELECTRIC_DANGER = ("Kabel atau tiang listrik berbahaya: jauhi dan jauhkan orang lain, jangan disentuh, dan hubungi "
                   "**PLN 123** (atau aplikasi PLN Mobile).")


def about_bot(city: City) -> str:
    """Say what the bot is, when asked ("kamu siapa?", "kamu robot?")."""
    return (f"Saya **{city.bot_name}**, asisten virtual (program komputer) {city.name or 'pemerintah kota'}. "
            "Saya menjawab pertanyaan tentang layanan kota dan meneruskan laporan Anda ke instansi yang menangani; "
            "laporan Anda dibaca dan ditindaklanjuti oleh petugas. Silakan ketik pertanyaan Anda atau **lapor**.")


SORRY_NOT_HELPFUL = ("Mohon maaf jika jawaban saya belum membantu. Coba tuliskan pertanyaan Anda dengan kata lain, "
                     "atau sampaikan keluhan Anda sebagai laporan (ketik **lapor**) agar ditangani petugas.")
CANCELLED = "Baik, proses dibatalkan. Ada lagi yang bisa saya bantu?"
TAKE_BACK = Option("Lanjutkan laporan", "draft:back")
TAKEN_BACK = "Baik, laporan Anda tadi saya lanjutkan."
TAKE_BACK_GONE = ("Maaf, laporan yang dibatalkan tadi sudah tidak tersimpan. Silakan pilih **Buat laporan** untuk "
                  "melapor lagi.")


def cancelled_set_aside(minutes: int) -> str:
    """Say a complaint was cancelled, and how to bring it back."""
    return (f"Baik, laporan dibatalkan dan tidak dikirim. Jika berubah pikiran dalam {minutes} menit, pilih "
            "**Lanjutkan laporan**. Ada lagi yang bisa saya bantu?")


NOTHING_TO_CANCEL = "Tidak ada proses yang sedang berjalan. Ada yang bisa saya bantu?"
ASK_PROMPT = "Silakan ketik pertanyaan Anda, misalnya: cara membuat KTP-el."
YOU_ARE_WELCOME = "Sama-sama! Senang bisa membantu. Silakan ketik pertanyaan lain kapan saja."
GOODBYE = "Terima kasih sudah menghubungi kami. Sampai jumpa! Silakan ketik pertanyaan kapan saja jika perlu."
ACKNOWLEDGED = "Baik. Jika ada yang ingin ditanyakan lagi, silakan ketik pertanyaan Anda atau ketik /menu."
SALAM_REPLY = "Waalaikumsalam warahmatullahi wabarakatuh."
GREET_AGAIN = "Halo juga! Ada yang bisa saya bantu? Ketik pertanyaan Anda atau pilih menu di bawah."
APOLOGY = "Maaf, terjadi gangguan saat memproses pesan Anda. Silakan coba lagi sebentar lagi."
RATE_LIMITED = "Mohon tunggu sebentar sebelum mengirim pesan lagi."
NOT_UNDERSTOOD = ("Maaf, saya tidak dapat membaca pesan itu. Silakan ketik pertanyaan Anda dengan huruf, "
                  "atau pilih menu di bawah.")
UNSUPPORTED = ("Maaf, saya belum bisa membaca pesan jenis ini. Saya bisa menjawab pertanyaan yang diketik, "
               "menerima laporan (ketik **lapor**), dan mengecek status laporan (ketik **status**).")
PHOTO_FAILED = ("Maaf, foto Anda tidak dapat kami terima (gagal diunduh, terlalu besar, atau bukan foto JPEG/PNG). "
                "Silakan kirim ulang fotonya.")
PHOTO_FAILED_NEXT = "Untuk melapor dengan foto, ketik **lapor**, lalu kirim fotonya saat diminta."
STALE_OPTION = "Pilihan itu sudah tidak berlaku. Silakan ketik pertanyaan Anda atau pilih menu."
TRUNCATED = "Pesan Anda sangat panjang; saya hanya membaca 1.000 karakter pertama."
FLOW_REMINDER = "Laporan Anda belum terkirim. Lanjutkan dengan menjawab pertanyaan berikut, atau ketik **batal**."

# --- questions ------------------------------------------------------------------------------

HELPFUL = "Apakah jawaban ini membantu?"
HELPFUL_YES = "👍 Ya"
HELPFUL_NO = "👎 Tidak"
DID_YOU_MEAN = "Maksud Anda salah satu dari ini?"
OR_DID_YOU_MEAN = "Atau maksud Anda salah satu dari ini?"
MAYBE_RELATED = ("Maaf, saya belum menemukan jawaban yang pas untuk pertanyaan itu. Mungkin salah satu topik ini "
                 "terkait:")
NONE_OF_THESE = Option("Bukan semuanya", "nf:none")
NO_ANSWER = "Maaf, saya belum punya jawaban untuk pertanyaan itu."
WHICH_SERVICE = ("Untuk layanan apa? Tulis pertanyaannya lengkap, misalnya: **syarat membuat KTP-el** atau "
                 "**biaya akta kelahiran**.")


def which_service_of(office: str, offered: bool) -> str:
    """Ask which of an office's services a follow-up ("syaratnya apa aja?") is about."""
    choose = "Pilih di bawah, atau tulis" if offered else "Tulis"
    return f"Untuk layanan {office} yang mana? {choose} pertanyaannya lengkap dengan nama layanannya."


FAQ_GONE = "Maaf, informasi itu sudah tidak tersedia. Silakan ketik pertanyaan Anda lagi."
THANKS_UP = "Terima kasih atas masukan Anda! 🙏"
NOT_THAT_MAYBE = "Maaf, jawaban tadi belum tepat. Mungkin yang Anda maksud salah satu dari ini?"
NOT_THAT = ("Maaf, jawaban tadi belum tepat. Coba tuliskan pertanyaan Anda dengan kata lain, misalnya dengan "
            "menyebut layanannya. Jika ini masalah layanan kota, Anda bisa membuat laporan.")
THANKS_DOWN = ("Terima kasih atas masukan Anda. Kami akan memperbaiki jawaban ini. Jika masalah Anda belum "
               "selesai, Anda bisa membuat laporan.")


def source_line(opd: Opd) -> str:
    return f"Sumber: {opd.label}"


def contact_lines(contact: Contact) -> str:
    """Return an OPD's contact as "- Label: value" lines (empty when it has none)."""
    return "\n".join(f"- {CONTACT_LABELS[k]}: {v}" for k, v in contact.items())


POLICE_BODY = "Kepolisian (SPKT Polresta atau Polsek terdekat; darurat 110)"
POLICE_NOTE = ("Kejadian seperti pencurian, penipuan atau kekerasan dilaporkan ke **Kepolisian**: SPKT Polresta "
               "atau Polsek terdekat; dalam keadaan darurat hubungi **110**.")


def handled_elsewhere(body: str, city: str = "") -> str:
    """Say that a question belongs to a body that is not the city's (the police, immigration, another
    regency's government...); `city` is the KB's city name ("Kota Padang"). A crime (POLICE_BODY) may
    still have a part the city handles (a stolen KTP), so that note does not say it is not the city's."""
    if body == POLICE_BODY:
        return POLICE_NOTE
    # "PLN (telepon 123 atau aplikasi PLN Mobile)": the contact is said once; "tanyakan langsung ke" names the body
    short = body.split(" (")[0] if "(" in body and not body.startswith("(") else body
    return (f"Sepertinya ini urusan **{body}**, bukan layanan Pemerintah {city or 'Kota'}. Silakan tanyakan "
            f"langsung ke {short}.")


def police_report(city: str = "") -> str:
    """Say that a crime is reported to the police, before the OPDs are offered anyway."""
    return (f"Kejadian seperti pencurian, penipuan atau kekerasan ditangani **Kepolisian**, bukan Pemerintah "
            f"{city or 'Kota'}. Silakan melapor ke SPKT Polresta atau Polsek terdekat; dalam keadaan darurat "
            f"hubungi **110**. Jika laporan Anda tetap tentang layanan Pemerintah {city or 'Kota'}, pilih "
            "instansinya di bawah, atau ketik **batal**.")


def complaint_elsewhere(body: str, city: str = "") -> str:
    """Say that a complaint seems to be for a body that is not the city's, before the OPDs are offered."""
    return (f"Sepertinya ini urusan **{body}**, bukan layanan Pemerintah {city or 'Kota'}, sehingga lebih cepat "
            f"ditangani jika Anda menghubungi {body} langsung. Jika tetap ingin melapor ke Pemerintah "
            f"{city or 'Kota'}, pilih instansinya di bawah, atau ketik **batal**.")


LANGUAGES = ("Saya menjawab dalam Bahasa Indonesia, tetapi pertanyaan dalam bahasa Inggris atau bahasa Minang juga "
             "saya pahami; silakan langsung ketik pertanyaan Anda. (I reply in Indonesian, but you may ask in English.)")
# Said once, before the first answer to a question in English.
ENGLISH_NOTE = "(I reply in Indonesian; you are welcome to keep asking in English.)"
NO_CALLBACK = ("Maaf, layanan ini tidak dapat menelepon atau menghubungi Anda di luar percakapan ini. Jika ada masalah "
               "layanan kota, buat laporan di sini: tanggapan petugas akan dikirim ke percakapan ini. Dalam keadaan "
               "darurat, hubungi **112**.")
PRIVACY = ("Identitas Anda hanya terlihat oleh petugas instansi yang menangani laporan. Tanya Kota tidak "
           "memberikannya kepada pihak yang Anda laporkan (misalnya tetangga atau perusahaan), dan nama Anda hanya "
           "disebut di publikasi Pemerintah Kota jika Anda mengizinkannya; tanpa itu laporan Anda anonim.\n"
           "Petugas menanggapi lewat percakapan ini; jika perlu keterangan tambahan, mereka mengirim pesan di sini.")
NO_HUMAN = ("Saya asisten otomatis; di percakapan ini belum ada petugas yang membalas langsung. Yang bisa Anda "
            "lakukan:\n"
            "- Untuk masalah layanan kota, buat laporan (/lapor): laporan diteruskan ke petugas instansi yang "
            "menangani, dan tanggapan mereka dikirim ke percakapan ini.\n"
            "- Untuk menghubungi instansi, tanyakan kontaknya, misalnya \"kontak Dinas Sosial\"; saya berikan yang "
            "sudah dicantumkan instansi itu.\n"
            "- Dalam keadaan darurat, hubungi **112**.")
AFTER_EMERGENCY = "Setelah keadaan aman, Anda dapat melaporkan kejadiannya ke instansi kota dengan /lapor."
HOW_TO_REPORT = ("Anda bisa melapor langsung di sini: tekan **Buat laporan** atau ketik /lapor, lalu ceritakan "
                 "masalahnya dan kirim lokasi (serta foto bila ada). Laporan diteruskan ke instansi yang menangani, "
                 "dan Anda mendapat nomor laporan untuk memantau tindak lanjutnya.")
NOTHING_MORE = ("Maaf, yang saya ketahui tentang itu sudah ada di jawaban sebelumnya; rincian lain belum ada "
                "di layanan ini.")
SEE_ANSWER_AGAIN = "Lihat jawabannya lagi"


def from_previous_answer(question: str, lines: list[str]) -> str:
    """Quote the lines of the answer just given that speak of a follow-up's matter."""
    quoted = "\n".join(line if line.startswith(("-", "•")) or line[:2].rstrip(".").isdigit() else f"- {line}"
                       for line in lines)
    return f"Dari jawaban tentang “{question}”:\n{quoted}"


def refer_to_opd(opd: Opd | None) -> str:
    """Return where to ask instead: the likely OPD and its contact, or the emergency number."""
    if opd is None:
        return ("Saya menjawab pertanyaan tentang layanan Pemerintah Kota. Jika ini masalah layanan kota, Anda dapat "
                "membuat laporan. Dalam keadaan darurat, hubungi **112** "
                "(gratis, 24 jam).")
    lines = contact_lines(opd.contact)
    if lines:
        return f"Pertanyaan ini kemungkinan ditangani oleh **{opd.label}**:\n{lines}"
    return (f"Pertanyaan ini kemungkinan ditangani oleh **{opd.label}**. Silakan hubungi kantornya, "
            "atau sampaikan sebagai laporan.")


def opd_contact(opd: Opd) -> str:
    """Answer a question asking how to reach an OPD with the contact its file gives."""
    lines = contact_lines(opd.contact)
    if opd.contact.reachable:
        return f"Kontak **{opd.label}**:\n{lines}"
    known = f" Yang kami punya:\n{lines}" if lines else ""
    return (f"Maaf, nomor telepon dan alamat **{opd.label}** belum tersedia di layanan ini.{known}\n\n"
            "Anda juga dapat menyampaikan keperluan Anda sebagai laporan di sini.")


# --- complaints -----------------------------------------------------------------------------

SKIP = Option("Lewati", "skip")
ROUTE_OK = Option("Ya, benar", "route:ok")
ROUTE_OTHER = Option("Pilih instansi lain", "route:other")
OPD_MORE = Option("Lainnya", "opd:*")
CATEGORY_NONE = Option("Lainnya / tidak tahu", "cat:-")
NAME_SHOW = Option("Tampilkan nama", "name:show")
NAME_ANON = Option("Anonim (disarankan)", "name:anon")
SEND = Option("Ya, kirim", "confirm:yes")
CANCEL = Option("Batal", "cmd:batal")

DESCRIBE = "Ceritakan masalahnya: apa, di mana, sejak kapan."
DETAIL_ADDED = "Baik, keterangan itu kami tambahkan ke laporan. Silakan periksa lagi ringkasannya:"
DETAIL_TAKEN = "Baik, keterangan itu kami tambahkan ke laporan."
PLACE_CHANGED = "Baik, lokasinya kami ganti."
WHICH_PART = "Bagian mana yang perlu diubah?"
EDIT_OPTIONS = (Option("Ubah masalah", "edit:masalah"), Option("Ubah lokasi", "edit:lokasi"),
                Option("Ubah instansi", "edit:instansi"), Option("Ubah foto", "edit:foto"))
ANOTHER_PROBLEM = ("Sepertinya itu masalah lain. Kita selesaikan laporan ini dulu; setelah terkirim, saya ingatkan "
                   "untuk melaporkan masalah itu juga.")
EVIDENCE_STORY = ("Untuk membuat laporan, ceritakan masalahnya: apa, di mana, sejak kapan. Ketik **batal** jika "
                  "Anda tidak ingin melapor.")
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
CONFIRM_AGAIN = ("Ketik **ya** untuk mengirim laporan, **ubah masalah**, **ubah lokasi**, **ubah foto** atau **ubah "
                 "instansi** untuk mengganti isinya, atau **batal** untuk membatalkan.")


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


def name_taken(name: str, shown: bool) -> str:
    if shown:
        return f"Baik, nama **{name}** kami cantumkan di laporan ini dan boleh disebut bila laporan dipublikasikan."
    return (f"Baik, nama **{name}** kami cantumkan untuk petugas instansi saja; nama itu tidak disebut bila laporan "
            "dipublikasikan.")


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
        "Ketik **ya** untuk mengirim, **ubah masalah** / **ubah lokasi** / **ubah foto** / **ubah instansi** untuk "
        "mengganti, atau **batal**."
    )


def filed(ticket: str, opd_label: str, due: dt.date) -> str:
    return (
        f"Terima kasih, laporan Anda sudah kami terima dengan nomor **{ticket}**.\n"
        f"Laporan diteruskan ke **{opd_label}** dan akan ditanggapi paling lambat {date_long(due)}.\n"
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
    return (f"Baik, lokasinya kami catat: “{place}”. Untuk melaporkan masalah tadi, pilih **{REPORT.label}**; lokasi "
            "ini akan kami tawarkan saat ditanya.")


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
            f"{date_long(due)}. Setiap perubahan statusnya kami kabarkan di percakapan ini; Anda juga bisa "
            f"mengeceknya dengan /status {ticket}. Laporan yang melewati tanggal itu ditandai terlambat di halaman "
            f"pemantauan Pemerintah Kota.")


def due_is_latest(ticket: str, opd_label: str, due: dt.date) -> str:
    """Answer a resident who finds the deadline of the complaint just filed too long."""
    return (f"Mohon maaf, {date_long(due)} adalah batas **paling lambat**; **{opd_label}** bisa menanganinya lebih "
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
SEVERAL_QUESTIONS = ("Pesan Anda berisi beberapa pertanyaan; yang lain belum dapat saya jawab dari pesan ini. "
                     "Silakan kirim pertanyaan itu satu per satu.")
WITHDRAW_LABEL = "Batalkan laporan ini"
WITHDRAW_YES_LABEL = "Ya, batalkan"
WITHDRAW_NO_LABEL = "Tidak, lanjutkan"


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


def _stale_labels() -> frozenset[str]:
    """Return the labels of the bot's own buttons, lower-cased, as a resident might send them again
    once their moment has passed ("👍 Ya" pressed twice, "Ya, kirim" after the complaint was filed);
    labels of more than one word also without their punctuation ("ya kirim")."""
    labels = [o.label for o in (ROUTE_OK, ROUTE_OTHER, OPD_MORE, CATEGORY_NONE, NAME_SHOW, NAME_ANON, SEND,
                                NONE_OF_THESE, SKIP)] + [HELPFUL_YES, HELPFUL_NO]
    out = {" ".join(label.lower().split()) for label in labels}
    out.update(plain for plain in map(_plain, labels) if " " in plain)
    return frozenset(out)


def _plain(text: str) -> str:
    """Return a text lower-cased with its punctuation and emoji as spaces ("👍 Ya, kirim" -> "ya kirim")."""
    return " ".join("".join(c if c.isalnum() or c.isspace() else " " for c in text.lower()).split())


STALE_LABELS = _stale_labels()
MAX_LABEL_CHARS = 64  # the longest button label a resident could send back (Telegram's limit)


def is_button_label(text: str) -> bool:
    """Tell whether a text is one of the bot's own button labels, sent again as text (STALE_LABELS)."""
    said = " ".join(text.lower().split()).strip(" .!")
    return len(said) <= MAX_LABEL_CHARS and (said in STALE_LABELS or _plain(said) in STALE_LABELS)
