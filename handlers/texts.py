"""Every text a resident reads, in Bahasa Indonesia: polite ("Anda"), short, next step clear.

Texts use the core's markup: `**bold**` and plain lines. Functions build texts that need data;
constants are plain strings. Dates are written the Indonesian way ("Jumat, 4 Desember 2026").
The texts of filing a complaint and of its status are in handlers.complaint_texts.
"""

from __future__ import annotations

import datetime as dt

from handlers.messages import Option
from knowledge.kb import City, Contact, Opd

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


def emergency_still(city: City) -> str:
    """Return the reply to a plea for help sent after an emergency ("tolong kirim bantuan cepat"): this chat sends
    nobody; the numbers to call, again."""
    numbers = city.emergency.strip() or "Dalam keadaan darurat, segera hubungi **112** (gratis, 24 jam)."
    return ("⚠️ Maaf, layanan chat ini tidak bisa mengirim petugas atau bantuan. Untuk bantuan sekarang, telepon "
            f"langsung dan sebutkan alamat lengkap serta keadaannya:\n\n{numbers}\n\nJika tidak tersambung, coba "
            "lagi atau minta orang di dekat Anda ikut menelepon.")


# To someone thinking of ending their life (or telling of someone who is): warm words first, then where help is,
# now and for talking it through. No menu, no FAQ.
CRISIS = ("Terima kasih sudah mau bercerita. Maaf Anda sedang merasakan beban seberat ini; Anda tidak sendirian, "
          "dan ada orang yang siap membantu.\n"
          "- Jika Anda (atau orang yang Anda ceritakan) mungkin menyakiti diri sekarang, hubungi **112** atau **119** "
          "(gratis, 24 jam), atau datang ke IGD rumah sakit terdekat bersama orang yang Anda percayai.\n"
          "- Untuk bicara dengan tenaga kesehatan tentang apa yang Anda rasakan, datanglah ke **puskesmas** terdekat: "
          "ada layanan konseling dan kesehatan jiwa, dan dokter dapat merujuk bila perlu.\n"
          "Kalau bisa, hubungi sekarang juga seseorang yang Anda percayai dan ceritakan apa yang Anda rasakan.")
CRISIS_STILL = ("Saya mendengar Anda, dan perasaan Anda penting. Anda tidak harus menanggungnya sendirian: hubungi "
                "**119** atau **112** (gratis, 24 jam) untuk bicara dengan petugas sekarang, atau datang ke "
                "**puskesmas** terdekat untuk konseling. Kalau bisa, kabari sekarang juga seseorang yang Anda "
                "percayai (keluarga, teman, atau tetangga) dan minta ia menemani Anda.")
CRISIS_EN = ("If you might hurt yourself now, please call **112** or **119** (free, 24 hours) or go to the nearest "
             "hospital emergency room with someone you trust. To talk to a health worker about how you feel, visit "
             "the nearest **puskesmas** (community health centre). You are not alone.")
# What to do while help is on its way, asked right after an emergency ("sy hrs ngapain").
WHAT_NOW = ("Sambil menunggu bantuan:\n"
            "- Jaga keselamatan Anda sendiri dulu.\n"
            "- Jika belum, telepon **112** atau **119** sekarang; sebutkan lokasi dan keadaan korban.\n"
            "- Orang yang jatuh atau kecelakaan jangan dipindahkan, kecuali ada bahaya (api, lalu lintas); jaga kepala "
            "dan lehernya tetap diam.\n"
            "- Tekan luka yang berdarah dengan kain bersih.\n"
            "- Orang yang kejang: baringkan miring, jauhkan benda keras, jangan masukkan apa pun ke mulutnya.\n"
            "- Air masuk rumah: pindah ke tempat yang lebih tinggi bersama orang yang sulit berjalan, dan matikan "
            "listrik dari meteran bila aman.\n"
            "- Kabel listrik putus atau tiang roboh: jauhi, jangan disentuh, dan telepon **PLN 123**.\n"
            "- Temani korban dan ikuti petunjuk petugas di telepon.\n"
            "Pada kebakaran: keluar dan jauhi bangunan, jangan masuk lagi, dan telepon **113**.")
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
TRUNCATED = ("Pesan Anda sangat panjang; saya hanya membaca 1.000 karakter pertama (dan pertanyaan di akhir pesan, "
             "bila ada).")
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
def data_kept(days: int, office: str) -> str:
    """Say what is kept of the chat, who reads it, for how long, and whom to ask to delete it."""
    return ("Yang kami simpan dan siapa yang membacanya:\n"
            "- Pertanyaan Anda disimpan untuk memperbaiki layanan ini. Petugas dapat membaca pertanyaan yang belum "
            f"terjawab, tanpa nama Anda; NIK dan nomor telepon disamarkan. Teksnya dihapus otomatis setelah {days} "
            "hari.\n"
            "- Laporan yang Anda kirim hanya dilihat petugas instansi yang menanganinya, dan nama Anda hanya disebut "
            "di publikasi jika Anda mengizinkannya.\n"
            f"Untuk meminta data Anda dihapus, hubungi **{office}**, pengelola layanan ini.")


OTHERS_DATA = ("Maaf, data pribadi warga lain (alamat, nomor telepon, NIK) dan identitas pelapor dirahasiakan, jadi tidak "
               "dapat kami berikan. Jika ada laporan tentang Anda atau usaha Anda, instansi yang menanganinya akan "
               "menghubungi Anda melalui jalur resmi. Untuk melihat laporan Anda sendiri, ketik **status**.")
NO_HUMAN = ("Saya asisten otomatis; di percakapan ini belum ada petugas yang membalas langsung. Yang bisa Anda "
            "lakukan:\n"
            "- Untuk masalah layanan kota, buat laporan (/lapor): laporan diteruskan ke petugas instansi yang "
            "menangani, dan tanggapan mereka dikirim ke percakapan ini.\n"
            "- Untuk menghubungi instansi, tanyakan kontaknya, misalnya \"kontak Dinas Sosial\"; saya berikan yang "
            "sudah dicantumkan instansi itu.\n"
            "- Dalam keadaan darurat, hubungi **112**.")
AFTER_EMERGENCY = "Setelah keadaan aman, Anda dapat melaporkan kejadiannya ke instansi kota dengan /lapor."
REFUSED = ("Maaf, saya tidak dapat membantu permintaan itu. Saya melayani pertanyaan tentang layanan Pemerintah "
           "Kota; jika ada bahaya, hubungi **112** (gratis, 24 jam).")
REPORTING_FREE = ("Ya, melapor di sini **gratis**, tanpa biaya apa pun. Petugas juga tidak boleh meminta uang untuk "
                  "menindaklanjuti laporan; jika ada yang meminta, laporkan juga.")
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


SEVERAL_QUESTIONS = ("Pesan Anda berisi beberapa pertanyaan; yang lain belum dapat saya jawab dari pesan ini. "
                     "Silakan kirim pertanyaan itu satu per satu.")


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
