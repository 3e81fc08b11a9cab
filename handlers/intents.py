"""Commands said in words: "mau lapor, lampu jalan mati", "cek laporan sy", or a menu label typed without its menu.

A resident who has not seen the menu, or prefers typing, says what they want instead of "/lapor":
"saya mau buat laporan", "min mau lapor jalan berlubang di depan SD 12", "Buat laporan". Those start
the complaint flow, with what follows as the description. A question about reporting ("mau lapor
pungli ke mana?") is not one: the FAQ answers it, and its answer offers the flow (a "Buat laporan"
button, handlers.faq), which `is_question` keeps from taking the question as the description. What a resident asks
of the service itself (a call back, a person, privacy, "bukan itu") is read in handlers.asks.
"""

from __future__ import annotations

import re

from handlers import texts
from handlers.asks import QUESTION, not_that_but
from knowledge.records.tickets import TICKET_RE

# The menu's labels typed as text, when no menu is waiting for an answer: "buat laporan" -> "lapor".
MENU_LABELS = {o.label.lower(): o.value.removeprefix("cmd:") for o in texts.MENU if o.value.startswith("cmd:")}

_OPENING = re.compile(
    # greetings, and the yes or "then" of a resident who has just read an answer ("iya saya mau lapor",
    # "ok I want to complain, …", "satu lagi, mau lapor …", "iyo, ambo nio malapor")
    r"^(?:(?:min|admin|pak|bu|halo|hai|permisi|hi|hello|hey|dear\s+\w+|ya|iya|iy|y|iyo|yo|yes|yeah|ok|oke|okay|baik|sip|"
    r"selamat\s+(?:pagi|siang|sore|malam)|assalamu'?alaikum\w*|good\s+(?:morning|afternoon|evening)|"
    r"nam[ao]\s+(?:saya|sy|aku|ambo)\s+[a-z]+(?:\s+[a-z]+)?|"  # "nama saya Yusrizal, saya mau lapor …"
    r"siap|oh|so|then|alright|yaudah|ya\s+udah|kalau\s+gitu|kalo\s+gitu|klo\s+gitu|kalau\s+begitu|satu\s+lagi|"
    r"one\s+more\s+thing)[\s,.!]+)*"
    r"(?:(?:saya|aku|sy|ak|kami|ambo|i)\s+)?"
    r"(?:(?:mau|ingin|pengen|pingin|hendak|mo|nio|want\s+to|would\s+like\s+to|'?d\s+like\s+to)\s+(?:please\s+)?"
    r"(?:lapor|melapor|ngelapor|malapor|melaporkan|laporkan|laporin|ngelaporin|buat\s+laporan|bikin\s+laporan|"
    r"membuat\s+laporan|mambuek\s+laporan|"
    r"mengadu|ngadu|mangadu|mengadukan|buat\s+pengaduan|membuat\s+pengaduan|komplain|complain|"
    r"report|file\s+a\s+complaint|make\s+a\s+complaint|make\s+a\s+report|file\s+a\s+report)|"
    # asking the bot to file it ("yes please report it", "ok file a complaint please", "tolong laporkan")
    r"(?:(?:please|pls|tolong|tlg|(?:can|could|would)\s+you(?:\s+please)?)\s+)?"
    r"(?:(?:report|file)\s+(?:it|this)(?:\s+for\s+(?:me|us))?|(?:file|make)\s+(?:a\s+|the\s+)?(?:complaint|report)|"
    r"laporkan|"
    r"dilaporkan|"
    r"buatkan\s+laporan(?:nya)?))\b[\s,.:;!-]*(.*)$",
    re.S | re.I)


# Words that make a sentence a question rather than a description of a problem.
_ASKING = re.compile(r"\b(?:apa|siapa|kapan|berapa|brp|syarat|syaratnya|bolehkah|what|who|when|which)\b", re.I)


# Asking for information (requirements, a procedure, a cost), not telling a problem: "syarat bikin akta apa ya?".
_INFORMATION = re.compile(
    r"\b(?:syarat\w*|cara|caranya|prosedur\w*|biaya(?:nya)?|apa\s+(?:saja|aja|aj)|jam\s+buka|"
    r"how\s+(?:do|can)\s+i|what\s+are\s+the|requirements?)\b|"
    # a question about the service itself, opening the message ("apakah nama saya ditampilkan?", "is my name
    # shown to the agency?"); not "why …?" or "kenapa …?", which tell a problem
    r"^\W*(?:apakah|apa\s+nama|is|are|do|does|can|will|would|should|what|which|who)\b", re.I)


def asks_information(text: str) -> bool:
    """Tell whether a text asks for information ("syarat bikin akta lahir apa ya?"); "kenapa jalan rusak
    belum diperbaiki?" asks too, but tells a problem."""
    return "?" in text and bool(_INFORMATION.search(text))


# Asking how to report at all, naming nothing to report ("yaudah gimana cara laporinnya", "lapor kemana?",
# "how do I report"): the bot itself takes complaints, so it says how, with the button.
_FILLER = r"(?:ya\s*udah|yaudah|ok|oke|terus|trus|trs|jadi|jd|lalu|min|kak|pak|bu|sih|ya|dong|saya|sy|aku|mau|kalau|kalo|klo)"
_REPORT_WORD = r"(?:nge|me|m|ng)?(?:lapor|ngadu|adu|laporan|pengaduan|aduan|komplain)(?:in|kan|ken)?(?:nya)?"
_HOW_TO_REPORT = re.compile(
    rf"^(?:{_FILLER}\s+)*(?:(?:gimana|gmn|gmna|bgmn|bagaimana|gimana\s+sih)\s+(?:cara(?:nya)?\s+)?{_REPORT_WORD}|"
    rf"cara(?:nya)?\s+{_REPORT_WORD}(?:\s+(?:gimana|gmn|bagaimana|gmna))?|"
    rf"{_REPORT_WORD}(?:\s+(?:nya|ke|di))?\s+(?:mana|kemana|kmn|dimana|dmn|gimana|gmn|bagaimana)|"
    rf"{_REPORT_WORD},?\s+(?:cara(?:nya)?\s+)?(?:gimana|gmn|bagaimana|gmna)|"
    r"how\s+(?:do\s+i|can\s+i|to)\s+(?:report|complain|file\s+a\s+complaint)|"
    r"where\s+(?:do|can|should)\s+i\s+(?:report|complain|file\s+a\s+complaint)(?:\s+(?:here|to))?)"
    rf"(?:\s+{_FILLER})*$", re.IGNORECASE)


# "saya mau lapor anjing liarnya, kemana?": someone who wants to report asking where (here, unless the answer
# to the question says otherwise: "mau lapor pungli ke mana?" has its own answer).
_WHERE_TAIL = re.compile(r"[\s,]*\b(?:ke\s*mana|kemana|kmn|kemano|ka\s*ma|kama|dimana|di\s+mana|dmn|where|"
                         r"caranya|gimana|gmn|bagaimana|baa\s+caronyo|baa|caronyo|how)\b"
                         r"(?:\s+(?:ya|yah|yo|min|pak|bu|sih|nih|nya))*[\s?!.]*$", re.I)


def wants_to_report_where(text: str) -> bool:
    """Tell whether a message says the resident wants to report something and asks where ("mau lapor X, ke mana?")."""
    return report_asked_about(text) is not None


def report_asked_about(text: str) -> str | None:
    """Return what a resident who wants to report and asks where or how names ("ambo nio malapor anjiang liar tu,
    baa caronyo" → "anjiang liar tu"; "" when nothing), else None."""
    said = " ".join(text.split())
    rest = _WHERE_TAIL.sub("", said)
    m = _OPENING.match(rest) if rest != said else None
    return m.group(1).strip(" ,.") if m and not QUESTION.search(rest) else None


def asks_how_to_report(text: str) -> bool:
    """Tell whether a message only asks how to report, with nothing named to report."""
    return bool(_HOW_TO_REPORT.match(" ".join(re.sub(r"[?!.,]+", " ", text).split())))

def is_question(text: str) -> bool:
    """Tell whether a text asks something ("ke mana melapor jalan rusak?") rather than tells a problem ("lalat
    dimana mana": everywhere; "apa-apa", "siapa saja" said in passing are no question either)."""
    text = _EVERYWHERE.sub(" ", text)
    return bool(QUESTION.search(text) or _ASKING.search(text))


# "dimana-mana", "di mana mana", "kemana-mana", "apa-apa", "kapan-kapan", "siapa-siapa": no question
_EVERYWHERE = re.compile(r"\b(?:di\s*mana|ke\s*mana|apa|kapan|siapa|berapa)[\s-]*(?:mana|apa|kapan|siapa|berapa)\b",
                         re.I)


# Asking after one's complaints: "cek laporan sy", "laporan saya sudah sampai mana?", "status pengaduan
# PDG-263C85", "check my report", "gmn perkembangan laporan jalan rusak saya". Only the complaint words
# with possessives and particles (a few words of topic before a possessive): "cek status izin" and
# "laporan keuangan" are not.
_STATUS = re.compile(
    r"^(?:(?:min|admin|halo|permisi|pak|bu|kak)[\s,.!]+)*"
    r"(?:(?:mau|ingin|tolong|bisa|boleh|coba)\s+)?"
    r"(?P<ask>(?:(?:cek|check|lihat|liat|periksa|pantau|gimana|gmn|gmna|bagaimana|perkembangan|progres|progress|"
    r"kabar|tindak\s+lanjut)\s+){1,2})?(?P<status>status\s+(?:of\s+)?)?"
    r"(?:laporan|pengaduan|aduan|komplain|tiket|my\s+report|my\s+complaint)"
    r"(?:\s+(?:saya|sy|aku|ku|ambo|kami|kemarin|tadi|yang\s+kemarin)|(?:\s+\w+){1,3}?\s+(?:saya|sy|aku|ambo|kami))?"
    rf"(?:\s+(?P<ticket>{TICKET_RE.pattern}))?"
    r"(?P<how>\s+(?:(?:udah|sudah|sdh|udh)\s+)?(?:sampai|sampe|smp)\s+(?:mana|mn)|\s+(?:gimana|gmn|bagaimana|kabarnya))?"
    r"(?:[\s,]+(?:ya|dong|min|kak|pak|bu))*[\s?!.]*$", re.I)


# One's own complaints named in a short message, however it asks after them: "laporan saya sudah
# ditindaklanjuti belum?", "baa kaba laporan ambo?", "nomor laporan saya berapa ya? lupa", "what is the
# status of my report?". Not when it is about making one ("cara membuat laporan saya").
_MY_REPORTS = re.compile(
    r"\b(?:laporan|pengaduan|aduan|komplain)\s+(?:\w+\s+){0,3}?(?:saya|sy|aku|ambo|kami|gue|gw)\b|"
    r"\b(?:laporanku|pengaduanku)\b|\b(?:my|our)\s+(?:\w+\s+){0,3}?(?:reports?|complaints?)\b|^cek\s+status$|"
    # "lah ado tanggapan dari laporan anjiang liar?", "ada kabar dari laporan jalan rusak?"
    r"\b(?:tanggapan|kabar|perkembangan|tindak\s+lanjut)\s+(?:dari\s+|atas\s+|untuak\s+|untuk\s+)?(?:laporan|pengaduan)\b|"
    r"\btiket\s+(?:saya|sy|aku)\b|"
    # "how can I check the progress?", "cek perkembangannya" (right after filing, or of one's complaint)
    r"\b(?:check|track|follow)\s+(?:the\s+|its\s+|my\s+)?(?:progress|status)\b|"
    r"\b(?:cek|lihat|pantau)\s+(?:perkembangan|progres|progress)\w*\b", re.I)
# A complaint already made, asked after: "laporan yang saya kirim tadi", "saya sudah lapor jalan rusak minggu
# lalu, kok belum diperbaiki?" (the filing words here tell the past, not a new complaint).
_FOLLOW_UP = re.compile(
    r"\b(?:laporan|pengaduan|aduan)\s+(?:yang|yg)\s+(?:kemarin|kemaren|tadi|dulu|lalu|saya\s+kirim|sy\s+kirim|"
    r"sudah\s+saya|udah\s+sy)\b|"
    # "laporan lampu jalan yg kmrn udh diperbaiki blm ya": a few words of topic between
    r"\b(?:laporan|pengaduan|aduan)\s+(?!.*\b(?:cara|caranya|buat|bikin)\b)(?:\w+\s+){1,3}?"
    r"(?:yang|yg)\s+(?:kemarin|kemaren|kmrn|tadi|td|dulu|lalu)\b.*"
    r"\b(?:belum|blm|sudah|udah|udh|sdh|gimana|gmn|bagaimana|kapan|kpn|kabar\w*)\b|"
    r"\b(?:sudah|udah|udh|sdh)\s+(?:lapor|melapor|ngelapor|buat\s+laporan|bikin\s+laporan|membuat\s+laporan|"
    r"mengadu|ngadu)\b.*\b(?:belum|blm|kok|kapan|kpn|gimana|gmn|bagaimana|sampai\s+mana|sampe\s+mana)\b|"
    # "saya lupa nomor laporan", "lupa nomor tiketnya", "nomornya lupa" (a short message: the resident's complaints)
    r"\blupa\s+(?:no|nomor|nomer|nmr)(?:nya|nyo)?(?:\s+(?:laporan|tiket|pengaduan)\w*)?"
    r"(?:\s+(?:saya|sy|aku|ambo))?\W*$|"
    r"^\W*(?:no|nomor|nomer)(?:nya|nyo)\s+lupa\b|"
    r"\bforgot\s+(?:my\s+|the\s+)?(?:ticket|report)\s+number\b|"
    # "laporan kios liar tadi sampe mana", "udh smp mana laporan pkl td" (the twenty-fourth QA pass)
    r"\b(?:laporan|pengaduan|aduan)\s+(?:\w+\s+){0,3}?(?:kemarin|kemaren|kmrn|tadi|td)\s+(?:(?:udah|sudah|udh|sdh)\s+)?"
    r"(?:sampai|sampe|smp)\s+(?:mana|mn)\b|"
    r"\b(?:sampai|sampe|smp)\s+(?:mana|mn)\s+(?:laporan|pengaduan|aduan)\b|"
    # "lobang di bypass yg sy laporkan kmrn gmn kabarnya?": what the resident reported, asked after
    r"\b(?:yang|yg)\s+(?:(?:kemarin|kemaren|kmrn|tadi|td|dulu)\s+)?(?:saya|sy|aku|ambo|kami|ku)\s+"
    r"(?:laporkan|laporin|lapor|lpr|adukan|aduin|ngadu)\b.*\b(?:gimana|gmn|gmna|bagaimana|kabar\w*|belum|blm|kapan|kpn|"
    r"sampai\s+mana|sampe\s+mana|(?:sudah|udah|udh|sdh)\s+(?:di\w+|diperbaiki|ditangani|selesai))\b", re.I)
_FILING = re.compile(r"\b(?:buat|bikin|membuat|kirim|mengirim|ajukan|mengajukan|tulis|file|make|submit|send)\b",
                     re.I)
_MY_REPORTS_WORDS = 14


_COMPLAINT_WORDS = re.compile(r"\b(?:laporan\w*|lapor|pengaduan\w*|aduan|komplain|tiket|reports?|complaints?)\b|\d",
                              re.I)


def about_complaints(argument: str) -> bool:
    """Tell whether the words after a bare "status" are about one's complaints ("status laporan saya",
    "status PDG-AB12CD") rather than another status ("status kawin di KTP", "status gizi anak")."""
    return not argument.strip() or bool(_COMPLAINT_WORDS.search(argument))


# Words that only soften a command ("bantuan dong min", "batal aja"): the command still stands.
_FILLER = frozenset({"dong", "donk", "dunk", "min", "mimin", "admin", "ya", "yah", "kak", "pak", "bu", "bang", "uda",
                     "please", "pls", "plis", "tolong", "saya", "sy", "aku", "nya", "deh", "aja", "saja", "lah", "dulu",
                     "ok", "oke", "sih", "nih", "ini", "itu", "yg", "semua", "semuanya", "help", "me"})
# What a resident "reports" to the civil registry is a registration, not a complaint ("lapor kelahiran bayi",
# "lapor kematian ke dukcapil", "lapor pindah"), as is a tax return ("lapor SPT").
_REGISTRATION = re.compile(r"^(?:ke\s+\w+\s+)?(?:kelahiran|lahir\w*|kematian|meninggal|kehilangan|perkawinan|"
                           r"pernikahan|nikah|perceraian|cerai|pindah\w*|kedatangan|datang|spt|pajak|diri)\b", re.I)


def softened_only(argument: str) -> bool:
    """Tell whether the words after a command word only soften it ("bantuan dong", "batal aja")."""
    return all(w in _FILLER for w in re.findall(r"\w+", argument.lower()))


def registers(argument: str) -> bool:
    """Tell whether "lapor ..." is about registering an event ("lapor kelahiran bayi"), not a complaint."""
    return bool(_REGISTRATION.match(argument.strip()))


# A message that only says to report, whatever the fillers ("yes please report", "iy lapor aj", "sy mau lprkan",
# "tolong dilaporkan", "oke saya lapor sekarang ya", "ya udah jadi lapor deh", "ambo nio lapor se", "lpr").
_REPORT_VERBS = frozenset({"lapor", "lpr", "lapr", "lpor", "lprkan", "laporkan", "laporin", "dilaporkan", "dilaporin",
                           "melapor", "melaporkan", "malapor", "malaporkan", "report", "complain", "komplain", "mengadu",
                           "mangadu", "ngadu", "file"})
_MAKING = frozenset({"buat", "bikin", "buek", "mambuek", "membuat", "make"})  # "buek laporan": making a report
_REPORT_FILLER = frozenset({
    "ya", "iya", "iy", "y", "yo", "iyo", "yes", "yeah", "ok", "oke", "okay", "okey", "please", "pls", "tolong", "tlg",
    "saya", "sy", "aku", "ambo", "i", "we", "kami", "mau", "mo", "nio", "ingin", "pengen", "want", "to", "would",
    "like", "jadi", "jd", "udah", "sudah", "deh", "aja", "aj", "saja", "sj", "se", "sekarang", "skrg", "now", "dong",
    "min", "pak", "bu", "kak", "it", "this", "that", "itu", "ini", "lah", "kalau", "klo", "gitu", "then", "so",
    "sip", "baik", "just", "can", "you", "yaudah", "ajalah", "segera", "langsung", "lgsg", "nak", "ibu", "bapak",
    "bukan", "tanya", "iko", "ko", "for", "me", "kalo", "lai", "a", "complaint", "mah", "jg", "juga", "udh", "sdh",
    "siap", "lewat", "via", "di", "disini", "sini", "here", "through"})  # "sy lapor lewat sini aja ya"
_REPORT_WORDS = 8


# Saying to report in the middle of a message ("hi im a student at Unand, I want to report that the bus …"): the
# story is what follows (or, when nothing does, what came before: "lah tigo hari nyo karuah, ambo nio lapor").
_REPORT_INSIDE = re.compile(
    r"(?:^|[\s,.;!])(?:i|saya|sy|aku|ambo|kami|we)\s+(?:want\s+to|would\s+like\s+to|'?d\s+like\s+to|mau|ingin|nio|"
    r"pengen)\s+(?:report|lapor|melapor|malapor|complain|komplain|mengadu|mangadu)\b"
    r"(?:\s+(?:that|about|on|tentang|soal|bahwa))?"
    r"[\s,.:;!-]*(?P<story>.*)$", re.I | re.S)
# A story ending with a request to report it ("lampu jalan … mati lah duo minggu. tolong dilaporkan yo").
_ASKED_TO_REPORT = re.compile(
    r"^(?P<story>.{10,}?)[\s,.;!-]+(?:(?:tolong|tlg|mohon|please|pls)\s+)?(?:dilaporkan|laporkan|dilaporin|"
    r"report\s+(?:it|this)|ditindaklanjuti|(?:(?:saya|sy|aku|ambo|kami)\s+)?(?:mau|mo|ingin|nio)\s+lapor"
    r"(?:\s+(?:aja|saja|se|sajo))?)"
    r"(?:\s+(?:ya|yo|yah|min|pak|bu|dong|segera|lah|deh))*[\s.!]*$", re.I | re.S)


# "udah nelpon 112 tp sibuk, saya lapor disini aja": the story, then that it is reported here.
_REPORTED_HERE = re.compile(
    r"^(?P<story>.{10,}?)[\s,.;!-]+(?:(?:jadi|jd|ya\s*udah|yaudah|terus|trus)\s+)?(?:saya|sy|aku|ambo|kami)\s+"
    r"(?:lapor|melapor|malapor)\s+(?:di\s*sini|ke\s*sini|aja|saja|se)(?:\s+(?:aja|saja|ya|deh|lah|min|pak|bu))*"
    r"[\s.!]*$",
    re.I | re.S)


def _story_around_report(said: str) -> str | None:
    """Return the story of a message that says to report in its middle or at its end, else None."""
    if m := _ASKED_TO_REPORT.match(said) or _REPORTED_HERE.match(said):
        return m.group("story").strip()
    if m := _REPORT_INSIDE.search(said):
        story = m.group("story").strip()
        return story if len(story) >= 10 else said[:m.start()].strip(" ,.;")
    return None


def _only_says_report(said: str) -> bool:
    """Tell whether a short message says nothing but that the resident wants to report ("buek laporan" too)."""
    tokens = re.sub(r"[^\w\s]", " ", said.lower()).split()
    verbs = _REPORT_VERBS | ({"laporan"} | _MAKING if set(tokens) & _MAKING and "laporan" in tokens else set())
    if "laporan" in tokens and set(tokens) & {"se", "lah", "sajo", "aja", "saja"}:  # "laporan se lah pak": report it
        verbs = verbs | {"laporan"}
    return (0 < len(tokens) <= _REPORT_WORDS and any(t in verbs for t in tokens)
            and all(t in verbs or t in _REPORT_FILLER for t in tokens))


# Saying to report, then what about ("ya udah saya lapor aja soal meteran itu", "jadi lapor deh yang parkir tadi").
_REPORT_ABOUT = re.compile(
    r"^(?:(?:" + "|".join(sorted(_REPORT_FILLER, key=len, reverse=True)) + r")[\s,.!]+)*"
    r"(?:" + "|".join(sorted(_REPORT_VERBS, key=len, reverse=True)) + r")\b(?:[\s,]+(?:aja|aj|saja|deh|dong|ya|lah))*"
    r"[\s,]+(?:soal|tentang|mengenai|about|yang|yg)\s+(?P<story>.+)$", re.I | re.S)


_ASKING_BOT_TO_FILE = re.compile(r"^\W*(?:can|could|would)\s+you\s+(?:please\s+)?(?:file|report|submit|make)\s+"
                                 r"(?:it|this|a\s+complaint|a\s+report)(?:\s+for\s+(?:me|us))?(?:\s+please)?\W*$", re.I)


def asks_status_plainly(text: str) -> bool:
    """Tell whether a message asks after one's complaints in so many words ("cek laporan sy", "laporan pkl td sampe
    mana"), not merely naming them ("laporan saya soal got mampet" tells one)."""
    said = " ".join(text.split())
    status = _STATUS.match(said)
    return bool(status and (status["ask"] or status["status"] or status["how"])) or bool(_FOLLOW_UP.search(said))


def typed_command(text: str) -> tuple[str, str] | None:
    """Return (command, argument) for a command said in words, else None."""
    said = " ".join(text.split())
    said = not_that_but(said) or said  # "bukan itu, saya mau laporkan bangunan tanpa izin itu": the rest says it
    label = MENU_LABELS.get(said.lower().rstrip(".!"))
    if label:
        return label, ""
    status = _STATUS.match(said)
    if status and (status["ask"] or status["status"] or status["how"]):
        return "status", (status["ticket"] or "").upper()
    if len(said.split()) <= _MY_REPORTS_WORDS and not _OPENING.match(said) and (
            _FOLLOW_UP.search(said) or (_MY_REPORTS.search(said) and not _FILING.search(said))):
        return "status", ""
    if QUESTION.search(said) and not _ASKING_BOT_TO_FILE.match(said):  # "can you file it for me?" is a request
        return None
    if _only_says_report(said):
        return "lapor", ""
    if m := _REPORT_ABOUT.match(said):
        return "lapor", m.group("story").strip()
    if m := _OPENING.match(said):
        return "lapor", m.group(1).strip(" ?")
    story = _story_around_report(said)
    return ("lapor", story) if story is not None else None


_SALAM = re.compile(r"^\W*(?:as+alamu'?\s?alaikum|ass?alamualaikum|salamualaikum|asw\b|salam\b(?!\s+kenal))", re.I)


def opens_with_salam(text: str) -> bool:
    """Tell whether a message opens with the Islamic salam, which is answered with "Waalaikumsalam"."""
    return bool(_SALAM.match(text))


# A report meant for the police ("mau lapor polisi, motor sy dicuri"), or a crime against a person or
# their things: the city government cannot take those (handlers.complaint says so and gives the police).
_POLICE = r"(?:polisi|polsek|polres|polresta|kepolisian)"
_POLICE_NAMED = re.compile(rf"\b(?:{_POLICE}|police)\b", re.I)
_POLICE_REPORT = re.compile(rf"\b(?:lapor(?:an)?|melapor|ngelapor|malapor)\s+(?:ke\s+|ka\s+)?{_POLICE}\b", re.I)
_CRIME = re.compile(r"\b(?:dicuri|kecurian|kemalingan|kecopetan|dicopet|copet|dijambret|jambret|dirampok|rampok|"
                    r"dibegal|ditipu|tertipu|penipuan|pencurian|perampokan|penjambretan|pembegalan|curanmor|"
                    r"dianiaya|penganiayaan|dikeroyok|pengeroyokan|diperas|pemerasan|dipukul\w*|pemukulan|"
                    r"ditampar|ditusuk|kdrt|kekerasan|dilecehkan|pelecehan|diancam|stolen|robbed|scammed|"
                    r"assaulted|beaten|narkoba|narkotika|sabu|sabu-sabu|ganja|pengedar|judi|perjudian|"
                    r"judol|drugs)\b", re.I)


def police_matter(text: str, *, certain_opd: bool) -> bool:
    """Tell whether a complaint is for the police: it says so, or it tells of a crime and no OPD's
    matter is clear ("rambu dicuri" may still be Dishub's; "motor sy dicuri" is not the city's)."""
    return bool(_POLICE_REPORT.search(text)) or (not certain_opd and bool(_CRIME.search(text)))


def names_police(text: str) -> bool:
    """Tell whether a text names the police ("surat kehilangan dari kepolisian")."""
    return bool(_POLICE_NAMED.search(text))
