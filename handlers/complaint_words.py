"""Reading what a resident types during a complaint: a change asked for ("ubah lokasi", "alamatnya salah,
harusnya …"), a corrected place, turning down the offered OPD, one more problem ("satu lagi, … juga mati"),
more of the story, or one of the bot's own button labels sent again.

Pure functions over the text; the complaint flow (handlers.complaint) decides what each means at its step. The
resident's name, said in their own words, is read in handlers.complaint_names.
"""

from __future__ import annotations

import re

from handlers import complaint_texts, texts
from handlers.complaint_state import NOT_AN_ANSWER, words
from handlers.intents import MENU_LABELS, is_question
from handlers.smalltalk import small_talk
from knowledge.places import Places

# "ubah lokasi", "ganti foto", "edit instansi" at the summary: go back to that step.
_EDIT = re.compile(r"^(?:(?:eh|ehh|maaf|sorry|oh|min|tolong|tlg|mau|saya|sy)\s+)*"
                   r"(?:(?:ubah|ganti|edit|koreksi|perbaiki|change|salah|keliru)\s+"
                   r"(lokasi|alamat|tempat|foto|gambar|instansi|"
                   r"dinas|opd|kategori|jenis|masalah|cerita|keterangan|deskripsi|location|address|photo|"
                   r"nama|namo|name)"
                   r"(?:nya)?\b|"
                   r"(lokasi|alamat|tempat|location|address|instansi|dinas|opd|kategori)(?:nya|nyo)?\s+"
                   r"(?:salah|keliru|wrong)\b)")
# The same said last, after something else ("eh td sy cuma nanya. ubah instansi").
_EDIT_LAST = re.compile(r"[.!?,;]\s*(?:(?:tolong|tlg|mau|saya|sy|jadi|jd)\s+)*(?:ubah|ganti|edit|koreksi)\s+"
                        r"(lokasi|alamat|tempat|foto|instansi|dinas|opd|kategori|jenis|masalah|cerita|nama)(?:nya)?"
                        r"(?:\s+(?:aja|saja|ya|dong|min|pak|bu))*\W*$", re.I)
NAME_WORDS = ("nama", "namo", "name")
OFFICE_WORDS = ("instansi", "dinas", "opd")
PLACE_WORDS = ("lokasi", "alamat", "tempat", "location", "address")
# A place given as a correction: "eh salah alamat, maksudnya simpang DPR bukan simpang Haru" is "simpang DPR".
_CORRECTING = re.compile(
    r"^\W*(?:(?:eh+|maaf|sorry|oh|min|pak|bu|kak)\b\W*)*"
    r"(?:(?:(?:salah|keliru|ubah|ganti)\s+(?:alamat|lokasi|tempat)(?:nya|nyo)?|(?:alamat|lokasi|tempat)(?:nya|nyo)?\s+"
    r"(?:salah|keliru)(?:\s+(?:tu|itu|ini))?)\b\W*"
    r"(?:(?:maksud(?:nya|\s+saya|\s+sy|ku)?|yang\s+benar|yg\s+benar|yg\s+bener|nan\s+batua|seharusnya|harusnya|"
    r"sebenarnya|jadi|mjd|menjadi)\b\W*)?|"
    r"(?:maksud(?:nya|\s+saya|\s+sy|ku)?|yang\s+benar|yg\s+benar|yg\s+bener|seharusnya|harusnya)\b\W*)"
    r"(?:(?:di|ke)\s+)?(?P<place>.*)$", re.I | re.S)
_NOT_THERE = re.compile(r"[\s,;]+(?:bukan|bukannya|not)\s+.*$", re.I | re.S)


# "i already told you, jalan veteran near purus beach", "kan tadi sudah saya bilang, …": the place follows.
_ALREADY_SAID = re.compile(r"^\W*(?:i\s+(?:already\s+)?told\s+you|as\s+i\s+said|(?:kan\s+)?(?:tadi\s+)?(?:kan\s+)?"
                           r"(?:sudah|udah|sdh|udh)\s+(?:saya\s+|sy\s+|aku\s+)?(?:bilang|sebut\w*|kasih\s+tau)|"
                           r"(?:sudah|udah|sdh|udh)\s+(?:tadi|td)|(?:td|tadi)(?=\s*,))\b"
                           r"(?:\s+(?:tadi|kok|kan|min|pak|bu))*[\s,.:;!-]+", re.IGNORECASE)


def without_already_said(text: str) -> str:
    """Return a message without its opening that says it was said before ("kan udah sy bilang tadi, …")."""
    return _ALREADY_SAID.sub("", text) or text


def corrected_place(text: str) -> str:
    """Return the place a message gives, without the words that say it corrects one ("eh salah alamat,
    maksudnya simpang DPR bukan simpang Haru" → "simpang DPR") or was said before ("i already told you, …");
    any other message whole."""
    text = without_already_said(text)
    m = _CORRECTING.match(text)
    if m is None:
        return text.strip()
    return _NOT_THERE.sub("", m.group("place")).strip(" ,.;:-") or text.strip()


def edit_asked(text: str) -> str | None:
    """Return the part of the complaint a message asks to change ("ubah lokasi" → "lokasi"), else None."""
    m = _EDIT.match(words(text))
    if m:
        return m.group(1) or m.group(2)
    m = _EDIT_LAST.search(text)
    return m.group(1).lower() if m else None


# The complaint flow's own buttons, sent again as text ("Laporkan cerita tadi" had been added to a story).
_FLOW_LABELS = frozenset(o.label.lower() for o in (complaint_texts.TOLD_STORY, complaint_texts.REPORT_ALSO,
                                                    complaint_texts.REPORT_AGAIN, *complaint_texts.EDIT_OPTIONS))


def is_button_label(text: str) -> bool:
    """Tell whether a text is one of the bot's own button labels (a menu or flow button sent again)."""
    said = " ".join(text.lower().split()).strip(" .!")
    return texts.is_button_label(text) or said in MENU_LABELS or said in _FLOW_LABELS


_REFUSING = re.compile(r"^(?:(?:eh|ehh|oh|maaf|sorry|min)\s+)*"
                       r"(?:bukan|bkn|salah|keliru|tidak|tdk|"
                       r"no(?!\.?\s*(?:\d|pelanggan|plg|rek\w*|hp|telp\w*|tlp|wa|ktp|kk|"
                       r"nik|met\w*|id|sambungan|rumah|rmh|blok|kamar|kios|los|tiang|laporan|tiket|pol|plat|sppt|"
                       r"objek|op|nop))|not|nope|wrong|ndak|indak|gak|ga|nggak|ngga)\b", re.I)


# What a refusal of the office says the complaint is about instead: "bukan, iko soal jalan balubang", "salah, ini
# tentang sampah numpuk", "no, it's about the broken road".
_ABOUT_INSTEAD = re.compile(r"^\W*(?:(?:ini|iko|itu|tu|it\s?s|it'?s|it\s+is|this\s+is|ini\s+tu|masalahnya)\s+)?"
                            r"(?:soal|tentang|masalah|about|mengenai|terkait|perihal|masalah(?:nya|nyo)|"
                            r"the\s+problem\s+is|yang\s+(?:saya|sy|ambo)\s+(?:laporkan|maksud))\s+(?P<about>.{3,})$",
                            re.IGNORECASE | re.S)


# Correcting a detail of the story: "eh maaf salah, bukan km 10 tp km 12, dekat spbu".
_STORY_FIX = re.compile(r"^\W*(?:(?:eh+|oh|maaf|sorry|salah|keliru|ralat|sori)\W+)*(?:bukan|bkn)\s+"
                        r"(?P<wrong>[^,.;!?]{1,40}?)\s*,?\s+(?:tapi|tp|tetapi|melainkan|but)\s+(?P<right>[^\n]{1,200})$",
                        re.IGNORECASE)


def story_fix(text: str, story: str) -> str | None:
    """Return a correction of a detail the story gives, kept as said ("(ralat: bukan km 10, tetapi km 12, dekat
    spbu)"), when what it says is wrong is in the story; else None. Added as a line, the story does not contradict
    itself (the nineteenth QA pass: "km 12 dekat spbu" had been added, the "bukan" lost)."""
    m = _STORY_FIX.match(text.strip())
    if m is None or words(m.group("wrong")) not in words(story):
        return None
    return f"(ralat: bukan {m.group('wrong').strip()}, tetapi {m.group('right').strip(' .')})"


def about_instead(text: str) -> str | None:
    """Return what a message turning down the office says the complaint is about ("bukan, iko soal jalan
    balubang" → "jalan balubang"), else None."""
    m = _REFUSING.match(words(text))
    if m is None:
        return None
    said = words(text)[m.end():].strip()
    rest = _ABOUT_INSTEAD.match(said) or _NOT_X_BUT.match(said) or _NOT_X_THE_Y.match(said)
    return rest.group("about").strip() if rest else None


# "eh bukan jalan, yg rusak itu jembatan kecil di atas bandar" (read without punctuation, after the "bukan").
_NOT_X_THE_Y = re.compile(r"^\w+(?:\s+\w+)?\s+(?:yg|yang|nan)\s+(?:rusak|bermasalah|mati|patah|bocor|tersumbat|"
                          r"mampet|roboh|runtuh|dimaksud|saya\s+maksud|sy\s+maksud)\s+(?:itu|tu|ini|iko|nya)\s+"
                          r"(?P<about>.{3,})$", re.IGNORECASE | re.S)


# "(maaf salah,) bukan genangan, itu air PDAM bocor": what it is instead (read without punctuation).
_NOT_X_BUT = re.compile(r"^(?:bukan|bkn|not)\s+\w+(?:\s+\w+)?\s+(?:itu|ini|iko|tapi|tp|melainkan|it\s?s)\s+"
                        r"(?P<about>.{3,})$", re.IGNORECASE | re.S)


def refuses(text: str) -> bool:
    """Tell whether a message turns down the offered OPD ("bukan itu instansinya", "salah, harusnya ke BPBD")
    rather than asks something."""
    return bool(_REFUSING.match(words(text))) and not ("?" in text and is_question(text.replace("?", " ")))


# "satu lagi, lampu jalan di depannya juga mati": one more problem.
_ALSO = re.compile(r"\b(?:satu\s+lagi|ada\s+lagi|juga|jg|selain\s+itu|also|another|one\s+more)\b", re.IGNORECASE)


def says_also(text: str) -> bool:
    """Tell whether a message of a few words at least says "also" ("satu lagi", "juga", "another")."""
    return len(text.split()) >= 3 and bool(_ALSO.search(text))


# A message opening with a cancel word says to stop, whatever reason follows ("ga jd deh, tkt ktahuan", "never
# mind, I already reported this earlier", "ok saya telpon PLN aja. batal").
_CANCEL_OPENING = re.compile(
    r"^(?:(?:eh|oh|ok|oke|ya|yaudah|ya\s+udah|sorry|maaf|bentar|sebentar|tunggu|wait|hold\s+on)\s+)*"
    r"(?:batal|batalkan|batalin|cancel|never\s*mind|lupakan|forget\s+it|"
    r"(?:gak|ga|gk|g|nggak|ngga|enggak|tidak|tdk|ndak|indak)\s+(?:jadi|jd)|"
    r"(?:gak|ga|gk|nggak|tidak|tdk|ndak|indak)\s+usah\s+(?:di)?(?:lapor|laporkan|kirim))\b"
    r"(?!\s+masalah)")  # "tidak jadi masalah" is fine, not a cancel
_CANCEL_CLOSING = re.compile(r"(?:^|[.!,]\s*)(?:batal|cancel|batalkan|gak\s+jadi|ga\s+jadi|ga\s+jd|gak\s+jd)[.!]*$")
_YES_OPENING = re.compile(r"^(?:ya|iya|iy|iyo|yo|yes|ok|oke|okay|benar|betul|bener|sip|yup)\b")


# "ok balik ke laporan tadi": back to the step, after a question asked in between.
_BACK_TO_REPORT = re.compile(r"^\W*(?:(?:ok|oke|ya|iya|yaudah|sip|baik|nah)\W+)*"
                             r"(?:balik|kembali|lanjut|lanjutkan|terus)\s+(?:ke\s+)?(?:laporan|lapor|pengaduan|tadi)"
                             r"(?:\s+(?:tadi|td|saya|sy|nya|yang\s+tadi))*\W*$", re.IGNORECASE)


def back_to_report(text: str) -> bool:
    """Tell whether a message asks to go back to the complaint being written ("ok balik ke laporan tadi")."""
    return bool(_BACK_TO_REPORT.match(text))


def says_cancel(text: str) -> bool:
    """Tell whether a message opens or ends with a word that stops the complaint (with a reason around it); not
    when it takes back what it asked, the choice being right after all ("eh ga jadi, dishub udh bener")."""
    said = " ".join(text.lower().split())
    plain = words(text)
    stops = bool(_CANCEL_OPENING.match(plain)) or bool(_CANCEL_CLOSING.search(said))
    return stops and not _RIGHT_AFTER_ALL.search(plain)


def right_after_all(text: str) -> bool:
    """Tell whether a message says the choice offered is right after all ("eh ga jadi, dishub udh bener")."""
    return bool(_RIGHT_AFTER_ALL.search(words(text)))


# "eh ga jadi, dishub udh bener", "ga jadi, yang tadi aja": the question or the change is taken back, not the complaint.
_RIGHT_AFTER_ALL = re.compile(r"\b(?:udah|sudah|udh|sdh|lah)\s+(?:bener|benar|betul|batua|tepat|pas)\b|"
                              r"\b(?:yang|yg|nan)\s+(?:tadi|td)\s+(?:aja|saja|sj|se|ajo)\b|\btetap\s+(?:ke|di)\b")


# "eh jadi deh, kirim yang tadi", "ga jadi batal", "lanjutkan laporan tadi", "I changed my mind, send it": the
# complaint just cancelled is wanted after all. A word that brings it back, then only softeners and report words
# ("jadi gimana cara bikin ktp" is a question, not this).
_TAKE_BACK_OPENING = r"^(?:(?:eh|ehh|oh|hmm|ya|iya|ok|oke|yaudah|tapi|wait|sorry|maaf|min|pak|bu|actually)\s+)*"
_TAKE_BACK = re.compile(
    _TAKE_BACK_OPENING + r"(?:jadi|jd|jdi|kirim|kirimkan|kirimin|lanjut|lanjutkan|lanjutin|lanjuikan|teruskan|"
    r"kembalikan|balikin|undo|restore)"
    r"(?:\s+(?:deh|dah|aja|ajalah|aj|saja|sajo|lah|dong|se|kok|min|pak|bu|nak|ya|yo|yg|yang|tadi|td|itu|tu|nya|"
    r"saya|sy|aku|ambo|lanjut|lanjutkan|lanjutin|lanjuikan|teruskan|kirimin|"
    r"lapor|laporan|laporannya|laporkan|dilapor|dilaporkan|kirim|dikirim|kirimkan|sekarang|skrg|please))*$"
    r"|" + _TAKE_BACK_OPENING + r"(?:(?:ga|gak|gk|nggak|tidak|tdk|ndak|indak)\s+(?:jadi|jd)\s+batal|batal\s+batal\w*)"
    r"|\bchanged?\s+my\s+mind\b|\b(?:send|file|submit)\s+it\s+(?:anyway|after\s+all)\b")
_TAKE_BACK_WORDS = 10


def says_take_back(text: str) -> bool:
    """Tell whether a message of a few words, or its last sentence ("hmm, tapi trotoarnya memang bahaya. kirim aja
    deh laporannya tadi"), wants the complaint just cancelled after all (`_TAKE_BACK`)."""
    last = re.split(r"[.!?]\s+", text.strip())[-1]
    return any(len(said.split()) <= _TAKE_BACK_WORDS and bool(_TAKE_BACK.search(said))
               for said in {words(text), words(last)})


def opens_with_yes(text: str) -> bool:
    """Tell whether a message opens with a yes ("iya. oh iya di situ juga ada juru parkir liar")."""
    return bool(_YES_OPENING.match(words(text)))


_DETAIL_WORDS = 3  # fewer words are no detail ("kok lama", "hmm ok")
_YES_WORDS = 4  # a yes of this many words at most is a yes with fillers ("iya kirim nak"), not more of the story


def adds_detail(text: str) -> bool:
    """Tell whether a message typed at the route question or the summary tells more of the problem (neither
    yes, a button's label, a thanks nor a question)."""
    said = words(text)
    return (len(said.split()) >= _DETAIL_WORDS and not is_button_label(text) and said not in NOT_AN_ANSWER
            and small_talk(text) is None and not is_question(text) and not edit_asked(text)
            and not (opens_with_yes(text) and len(said.split()) <= _YES_WORDS))


# A street address in a story ("lampu jalan di Jalan Veteran no 55, Purus mati"): "jl."/"jln." and a name, or
# "jalan" and a capitalised name (a lower-case "jalan" is the road the story is about), a house number, and the
# kelurahan named right after it.
_STOP = (r"(?=\s*(?:[,.;:!?]|$|\s(?i:yang|yg|sudah|udah|udh|sejak|dari|dr|mati|rusak|is|has|was|since|for|depan|dekat|"
         r"dkt|dpn|sebelah|di|dan|tapi|arah|kel|kelurahan|kec|kecamatan|rt|rw|ada|ga|gak|tidak|belum|blm)\b))")
_NUMBER = r"(?P<number>\s*(?i:no|nomor|nomer|nr|km)\.?\s*\d+\w*)?"  # "jl. by pass km 10"
_CAPITALISED = r"[A-Z0-9][\w.'/-]*(?:[ \t]+[A-Z0-9][\w.'/-]*){0,3}"  # "Khatib Sulaiman", "Ahmad Yani" (one line)
_STREET = re.compile(r"\b(?:(?i:jln|jl)\.?\s*|[Jj]alan\s+)(?P<cap>" + _CAPITALISED + ")"
                     + _NUMBER.replace("number", "num")
                     + r"|\b(?i:jln|jl)\.?[ \t]*(?P<short>[a-z0-9][\w.'/-]*(?:[ \t]+[\w.'/-]+){0,2}?)" + _NUMBER
                     + _STOP)
_STREET_WORD = re.compile(r"\b(?:jl|jln|jalan)\b\.?", re.IGNORECASE)
MAX_PLACE = 80  # characters of a place taken from a story (a button's label)
# Between a street and the kelurahan after it: "Jl. Veteran, kel. Purus", "jalan Khatib Sulaiman Ulak Karang Utara"
# (all of what stands between, or the end of a street that ran on into it).
_KELURAHAN_WORD = r"[\s,]*(?:di\s+)?(?:(?:kel(?:urahan)?|kec(?:amatan)?)\.?)?\s*"
_BEFORE_KELURAHAN = re.compile(_KELURAHAN_WORD, re.IGNORECASE)
_KELURAHAN_WORD_LAST = re.compile(_KELURAHAN_WORD + "$", re.IGNORECASE)


def place_in_story(story: str, places: Places) -> str | None:
    """Return the street address a story gives, with the kelurahan or kecamatan named right after it, else None."""
    m = _STREET.search(story)
    if m is None and (jl := _STREET_WORD.search(story)) and (named := places.next_name(story, jl.end())):
        # "jl. gajah mada gunung pangilun dpn toko": the kelurahan after the street ends it
        story = f"{story[:named.start()].rstrip()}, {story[named.start():]}"
        m = _STREET.search(story)
    name = m and (m.group("short") or m.group("cap") or "").strip()
    if not name:
        return None
    street_end = m.end()
    # The street's own name is at least its first word ("Jalan Purus" is a street); a place named after it
    # ends the street, even when the street's pattern ran on into it, after two words or a number ("Khatib
    # Sulaiman Ulak Karang …", "Veteran No 5 Purus"; "Jl. Bandar Olo" is one street).
    name_start = story.index(name, m.start())
    named = places.next_name(story, name_start + len(name.split()[0]))
    place = story[m.start():street_end].strip(" ,.;")
    inside = named is not None and named.start() < street_end and (
        len(story[name_start:named.start()].split()) >= 2 or bool(re.search(r"\d", story[name_start:named.start()])))
    if named is not None and (inside or _BEFORE_KELURAHAN.fullmatch(story, street_end, named.start())):
        street = _KELURAHAN_WORD_LAST.sub("", story[m.start():min(named.start(), street_end)])
        place = f"{street.strip(' ,.;')}, {named.group(0)}"
    return place[:MAX_PLACE] if len(place) >= 6 else None


# "eh maaf salah, bukan di indarung, tapi di jalan raya lubuk begalung depan SPBU": the place said instead of another.
_INSTEAD = re.compile(r"\b(?:bukan|bkn|not)\s+(?:di\s+|in\s+|at\s+)?(?P<old>[^,]+?)[\s,]+(?:tapi|tp|tetapi|melainkan|"
                      r"harusnya|seharusnya|but)\s+(?:di\s+|in\s+|at\s+)?(?P<new>.+?)[\s.!]*$", re.IGNORECASE | re.S)


# "eh salah, blok G no 5 maksudnya", "ralat: rumah no 12": a correction that gives a part of an address.
_PLACE_FIX = re.compile(r"^\W*(?:(?:eh+|maaf|sorry|oh|min|pak|bu)\W+)*(?:salah|keliru|ralat)\b\W*"
                        r"(?:(?:maksud(?:nya|ku|\s+saya|\s+sy)?|yang\s+benar|yg\s+bener|yg\s+benar)\W+)?"
                        r"(?P<fix>.+?)\W*(?:\b(?:maksud(?:nya|ku|\s+saya|\s+sy)?|yang\s+benar|yg\s+bener)\W*)?$",
                        re.IGNORECASE)
_ADDRESS_PART = re.compile(r"\b(?:blok|no|nomor|km|jl|jln|jalan|gang|gg|lorong|rt|rw|komplek|kompleks|perumahan|perum|"
                           r"depan|dekat|samping|belakang|simpang|kelurahan|kel)\b", re.IGNORECASE)


_NOT_THAT_PART = re.compile(r"\s*\b(?:bukan|bkn|not)\s+\w+(?:\s+\w+)?\s*(?=[,.;]|$)", re.IGNORECASE)


def place_fix(text: str) -> str | None:
    """Return the part of an address a correction gives ("eh salah, blok G no 5 maksudnya" → "blok G no 5"), else
    None (a correction of something else: "eh salah, bukan sampah tapi limbah")."""
    m = _PLACE_FIX.match(text.strip())
    fix = _NOT_THAT_PART.sub("", m.group("fix")) if m else ""  # "blok G bukan F, dekat mushala": the G, not the F
    if not fix or re.search(r"\b(?:bukan|bkn|not)\b", fix, re.IGNORECASE):
        return None
    fix = fix.strip(" ,.;:-")
    return fix if _ADDRESS_PART.search(fix) and len(fix.split()) <= 12 else None


def place_instead(text: str, address: str) -> str | None:
    """Return the new place a message gives for the complaint's address, when it says the old one (a word of it)
    is wrong ("bukan di indarung, tapi di jalan raya lubuk begalung"), else None."""
    m = _INSTEAD.search(text)
    if m is None or not address:
        return None
    old, where = set(words(m.group("old")).split()), set(words(address).split())
    named = {w for w in old & where if w.isalpha() and len(w) >= 3} - {"jalan", "depan", "dekat"}
    return m.group("new").strip() if named else None  # a number alone ("bukan no 12 tapi no 21"): asked which part


# What opens a detail added to the story ("tambahkan: kemarin anak tetangga digigit", "oh iya tambahan, …").
_DETAIL_OPENING = re.compile(r"^\W*(?:(?:oh|eh|o)\s+(?:iya|ya)\s*,?\s*)?(?:tambah(?:kan|an|in)?|add|also|satu\s+lagi)"
                             r"\s*[:,.-]?\s*(?:(?:ya|yo|lagi)\s*[:,]?\s*)?", re.IGNORECASE)


def detail_of(text: str) -> str:
    """Return a detail added to the story without the words that say it is added ("tambahkan: …" → "…")."""
    rest = _DETAIL_OPENING.sub("", text, count=1).strip()
    return rest if len(rest) >= 3 else text.strip()


_ABOUT_THE_PHOTO = re.compile(r"\b(?:foto\w*|gambar\w*|photos?|pictures?|pics?)\b", re.IGNORECASE)


def besides_the_photo(text: str) -> str:
    """Return what a message typed at the photo step says besides the photo ("fotonyo beko ambo kirim, lampunyo tiang
    nomor 45" → "lampunyo tiang nomor 45"; "" when it only speaks of the photo)."""
    pieces = re.split(r"([,.;!]+(?:\s+|$))", text)  # parts and the marks after them ("jl. x", a web address: one)
    kept = "".join(part + mark for part, mark in zip(pieces[0::2], [*pieces[1::2], ""])
                   if part.strip() and not _ABOUT_THE_PHOTO.search(part))
    return kept.strip(" ,;!")
