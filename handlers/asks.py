"""What a resident asks of the service itself rather than of the city: to be called back ("tlg hubungi saya"), a
person instead of the bot, what happens to their name and data, "bukan itu" after an answer (and what was meant),
how long a complaint takes. Pure functions over the text, like handlers.intents, which reads commands said in words.
"""

from __future__ import annotations

import re

from knowledge.privacy import has_personal_data, without_personal_data

# A question about reporting is for the FAQ ("mau lapor pungli ke mana?", "mau lapor, caranya gimana").
QUESTION = re.compile(
    r"\?|\b(?:ke\s*mana|kmn|kemana|dimana|di\s+mana|dmn|bagaimana|gimana|gmn|gmna|caranya|cara|apakah|"
    r"bisa\s*kah|where|how|can\s+i|"
    r"kama|kamano|dima|dimano|baa|baa\s+caronyo|caronyo|bara)\b", re.I)  # Minangkabau

# Asking to be called or messaged: the verb, and for "call me" a pronoun after it ("tlg hubungi saya", "wa aku ya").
_CALL_VERBS = (r"(?:hubungi|dihubungi|hubungin|hub|telp|tlp|telepon|telpon|telfon|ditelepon|ditelpon|wa|kontak|call|"
               r"contact|chat)")
_CALLING = re.compile(rf"\b{_CALL_VERBS}\b", re.IGNORECASE)
_CALL_ME = re.compile(rf"\b{_CALL_VERBS}\s+(?:saya|sy|aku|aq|kami|kmi|ane|ambo|me|us|balik|kembali|back)\b",
                      re.IGNORECASE)
_CALL_WORDS = 14  # a longer message is a story or a complaint with a number in it, not a request to call


def asks_callback(text: str) -> bool:
    """Tell whether a short message leaves a phone number to be called or messaged back ("no hp saya 0812…
    tolong dihubungi", "call me at 0812…")."""
    return (len(text.split()) <= _CALL_WORDS and has_personal_data(text) and bool(_CALLING.search(text))
            and not QUESTION.search(without_personal_data(text)))


def says_call_me(text: str) -> bool:
    """Tell whether a message asks the bot to call or message the resident ("tlg hubungi saya", "wa aku ya")."""
    return bool(_CALL_ME.search(text))


# Asking for a person instead of the bot ("saya mau bicara sama petugas aja", "bisa hubungi operator manusia?",
# "sambungkan ke petugas dinsos", "can I talk to a human"): the bot says honestly that none answers here.
_PERSON = (r"(?:petugas|operator|manusia|orang(?:\s+asli)?|urang|admin\s+(?:asli|manusia)|cs|customer\s+service|human|"
           r"real\s+person|person|agent|staff|officer)")
_HUMAN = re.compile(
    rf"\b(?:(?:bicara|berbicara|ngomong|ngobrol|omong|chat|chatting|bicaro|bacakap|mangecek|talk|speak|hubungi|"
    rf"menghubungi|sambungkan|sambungin|hubungkan|connect|transfer)\s+"
    rf"(?:(?:sama|dengan|dgn|ke|kepada|jo|to|with|me\s+to|me\s+with)\s+)?"
    rf"(?:(?:a|an|the|seorang|salah\s+satu)\s+)?{_PERSON}|"
    rf"(?:mau|minta|ingin|pengen|butuh|need|want)\s+(?:(?:a|an)\s+)?(?:manusia|human)|"
    rf"(?:petugas|operator|admin|cs)\s+(?:manusia|asli))\b",
    re.IGNORECASE)
_HUMAN_WORDS = 14  # a longer message is a story ("petugas kebersihan tidak datang …")
# Asking for a number or an address is the contact question ("hubungi petugas damkar nomor berapa").
_CONTACT_ASKED = re.compile(r"\b(?:nomor|nomer|nmr|no|telp|telepon|telpon|tlp|wa|whatsapp|alamat|email|phone|number)\b",
                            re.IGNORECASE)


# Asking who learns who reported ("perusahaan tau gak kalau saya yg lapor?", "will my neighbor see my name?",
# "identitas pelapor dirahasiakan?") or whether the office will call ("nanti saya dihubungi satpol pp gak?").
_ME = r"(?:saya|sy|aku|ak|gue|gw|ambo|awak|kami)"
_PRIVACY = re.compile(
    rf"\b(?:nama|identitas|nomor|nomer|no\s+hp)\s+(?:{_ME}|pelapor(?:nya)?)\b.{{0,40}}\b(?:rahasia\w*|dirahasia\w*|"
    r"kelihatan|keliatan|terlihat|dilihat|disebut|muncul|ditampilkan|diketahui|dikasih\w*|diberi\w*|tau|tahu|"
    r"dijaga|bocor\w*|dibocor\w*|dibuka|aman|dikirim|ikut|disebar\w*)\b|"
    r"\bmy\s+name\b.{0,30}\b(?:shown|seen|visible|revealed|shared|known|public|published)\b|"
    rf"\b(?:tau|tahu|tao|ketahuan|know|knows)\b.{{0,30}}\b{_ME}\s+(?:yang|yg|nan)\s+(?:lapor|melapor\w*|ngelapor\w*|"
    r"malapor|laporin|ngadu|mengadu|mangadu)\b|"
    r"\b(?:takut|khawatir|cemas)\s+ketahuan\b|"
    # "ambo ndak nio namo ambo diketahui dek urang tu", "saya tidak mau nama saya diketahui"
    r"\b(?:tidak|tdk|ndak|indak|ga|gak|nggak|nda)\s+(?:mau|nio|ingin|mo)\s+(?:nama|namo|identitas)\w*(?:\s+\w+)?\s+"
    r"(?:diketahui|dikatahui|ketahuan|tau|tahu|dikenal|disebut|dikenali)\b|"
    r"\b(?:rahasia\w*|dirahasia\w*|anonim\w*)\b.{0,30}\b(?:lapor\w*|pelapor\w*|identitas|nama)\b|"
    r"\b(?:lapor\w*|pelapor\w*|identitas|nama)\b.{0,30}\b(?:dirahasia\w*|anonim\w*)\b|"
    rf"\b{_ME}\s+(?:akan\s+|bakal\s+)?dihubungi\s+(?:oleh\s+)?(?:petugas|satpol|dinas|instansi|opd|pihak)\b|"
    r"\bdihubungi\s+(?:oleh\s+)?(?:petugas|satpol|dinas|instansi|opd)\b.{0,20}\b(?:gak|ga|nggak|tidak|tdk|kah|ya)\b|"
    r"\b(?:see|know|find\s+out|learn|tell)\b.{0,30}\b(?:my\s+name|it\s+was\s+me|who\s+reported|i\s+reported|"
    r"my\s+identity|who\s+complained|i\s+complained)\b|"
    # "jangan bilang siapa2", "don't tell anyone" (after telling of violence at home)
    r"\bjangan\s+(?:bilang|bilangin|kasih\s+tau|kasitau|kasih\s+tahu|beritahu|cerita|ceritain|sebar\w*)\s+"
    r"(?:ke\s+|sama\s+)?"
    r"(?:siapa[-\s]?siapa|siapa2|siapapun|orang\s+lain|orang|siapa)\b|\bdon'?t\s+tell\s+(?:anyone|anybody)\b|"
    r"\b(?:anonymous\w*|confidential\w*)\b|\b(?:will|would)\s+(?:they|someone|the\s+\w+)\s+(?:call|contact)\s+me\b",
    re.IGNORECASE)
_PRIVACY_WORDS = 16  # a longer message is a story that may mention these words


def asks_about_privacy(text: str) -> bool:
    """Tell whether a short message asks who learns who reported, or whether the office will call."""
    return len(text.split()) <= _PRIVACY_WORDS and bool(_PRIVACY.search(text))


# What is kept of the chat and who reads it, or asking it deleted: "data chat sy disimpan? siapa yg bisa baca?",
# "hapus data sy", "do you store my messages?".
_DATA_KEPT = re.compile(
    r"\b(?:data\s+)?(?:chat|pesan|percakapan|obrolan|riwayat)\w*\s+(?:\w+\s+){0,2}?(?:di)?"
    r"(?:simp[ae]n|baca|hapus|lihat)\w*\b|"
    # "data sy yg sy kasih di sini disimpen dmn?"
    r"\bdata\s+(?:saya|sy|aku|ambo|kami)\s+(?:\w+\s+){0,6}?(?:di)?simp[ae]n\w*\b|"
    r"\b(?:siapa|sapa)\s+(?:saja\s+|aja\s+)?(?:yang|yg)\s+(?:bisa|dapat|boleh)\s+(?:mem)?(?:baca|lihat|liat|akses)\b|"
    r"\b(?:hapus|hapuskan)\s+(?:semua\s+)?(?:data|chat|pesan|riwayat|percakapan)\w*"
    r"(?:\s+(?:saya|sy|aku|ambo|ku|kami)\b|\s*\W*$)|"
    r"\b(?:delete|erase|remove)\s+(?:all\s+)?my\s+(?:data|messages|chats?|history)\b|"
    r"\bdo\s+you\s+(?:store|keep|save|record)\b|\bwho\s+(?:can|will)\s+(?:read|see)\s+(?:my|this|these|the)\b",
    re.IGNORECASE)
_DATA_WORDS = 16  # a longer message is a story that may mention these words


def asks_what_is_kept(text: str) -> bool:
    """Tell whether a message asks what is kept of the chat, who reads it, or to have it deleted."""
    return len(text.split()) <= _DATA_WORDS and bool(_DATA_KEPT.search(text))


# Asking for someone else's personal data or who reported: "tolong cariin alamat dan no hp orang namanya Budi",
# "sy mau tau siapa yg laporin warung sy", "who reported me?".
_OTHERS = re.compile(
    r"\b(?:cari(?:in|kan)?|minta|kasih\s+tau|kasih|beri(?:tahu|kan)?|tau|tahu|lihat|liat|cek)\s+(?:\w+\s+){0,3}?"
    r"(?:alamat|no\s*hp|nomor\s+(?:hp|telepon|telp|wa)|nomer\s+hp|nik|data)\s+(?:\w+\s+){0,3}?"
    r"(?:orang|tetangga|namanya|atas\s+nama|si)\b|"
    # "cari alamat rumah mantan sy", "alamat atas nama Budi Santoso dmn" (the twenty-fourth QA pass: a menu)
    r"\b(?:alamat|no\s*hp|nomor\s+(?:hp|telepon|telp|wa)|nomer\s+hp|nik)\s+(?:rumah\s+)?(?:\w+\s+)?"
    r"(?:mantan|pacar|istri|suami|selingkuhan|orang\s+ini|atas\s+nama)\b|"
    r"\bsiapa\s+(?:yang|yg|nan)\s+(?:lapor\w*|ngelapor\w*|melapor\w*|mengadu\w*|ngadu\w*|maadu\w*)\s*"
    r"(?:$|[?!.,]|(?:saya|sy|aku|ambo|kami|warung|usaha|toko|kios|rumah|tempat|lapak)\b)|"
    r"\bwho\s+(?:reported|complained\s+about)\b|"
    # "sy mau liat laporan2 orang lain", "tampilkan semua laporan", "nama pelapor …", "NIK 1371… punya siapa"
    r"\b(?:liat|lihat|tampilkan|tunjukkan|buka|show|see)\s+(?:semua\s+|all\s+)?(?:laporan\w*|reports?|complaints?)"
    r"(?:\s+(?:orang|warga|other|semua|all|di)\b|\s*\W*$)|\bnama\s+(?:si\s+)?pelapor\w*\b|"
    r"\b(?:nik|no\s+hp|nomor\s+hp|nomor)\b.{0,30}\b(?:punya|milik|atas\s+nama)\s+siapa\b", re.IGNORECASE)


def asks_about_others(text: str) -> bool:
    """Tell whether a message asks for another resident's personal data or who made a report."""
    return bool(_OTHERS.search(text))


def asks_for_human(text: str) -> bool:
    """Tell whether a short message asks to talk to a person rather than the bot."""
    said = text.replace("/", " ")
    return (len(said.split()) <= _HUMAN_WORDS and bool(_HUMAN.search(said))
            and not _CONTACT_ASKED.search(said))


# Telling the bot its answer missed ("bukan itu", "bukan itu maksud saya", "salah min", "not that", "gak nyambung").
_NOT_THAT = re.compile(
    r"^\W*(?:bukan|bkn|salah|keliru|not\s+that|wrong(?:\s+answer)?|that'?s\s+not\s+it|that'?s\s+wrong|"
    r"(?:ga|gak|nggak|ngga|tidak|tdk|nda|ndak|indak)\s+nyambung|jawaban(?:nya)?\s+salah|salah\s+jawab(?:an)?|"
    r"bukan\s+(?:itu|ini|yang\s+itu|yg\s+itu|itu\s+yang|itu\s+yg))"
    r"(?:\s+(?:itu|ini|min|kak|pak|bu|ya|dong|deh|sih|maksud\s+(?:saya|sy|aku|ambo)|maksudnya|"
    r"yang\s+(?:saya|sy)\s+maksud|yg\s+(?:saya|sy)\s+maksud|jawabannya|yang\s+saya\s+tanya|yg\s+sy\s+tanya|"
    r"i\s+meant|i\s+mean))*\W*$", re.IGNORECASE)


def says_not_that(text: str) -> bool:
    """Tell whether a message only says that the answer just given missed."""
    return bool(_NOT_THAT.match(text))


# "bukan itu sy mau tau caranya daftar", "not that, I meant the opening hours", "salah, maksud saya KK": the
# answer missed, and what was meant follows.
_NOT_THAT_BUT = re.compile(
    r"^\W*(?:bukan\s+(?:itu|ini|yang\s+itu|yg\s+itu|pak|bu|min|kak|bang|uda|uni)|bkn\s+(?:itu|yg\s+itu)|"
    r"not\s+that(?:\s+one)?|that'?s\s+not\s+it|"
    r"(?:bukan|salah|keliru)(?=\W*\s+(?:maksud|yang\s+saya\s+maksud|yg\s+sy\s+maksud)))"
    r"(?:\s+(?:min|kak|pak|bu|ya|dong|deh|sih|jawabannya))*[\s,.!;:-]+"
    r"(?:(?:maksud\s+(?:saya|sy|aku|ambo)|maksudnya|yang\s+(?:saya|sy)\s+maksud|yg\s+(?:saya|sy)\s+maksud|"
    r"(?:saya|sy|aku)\s+(?:mau|ingin|pengen)\s+(?:tau|tahu|nanya|tanya)|i\s+meant|i\s+mean|i\s+want\s+to\s+know)"
    r"\b[\s,:-]*)?(?P<rest>\S.*)$", re.IGNORECASE | re.S)
_MEANT_WORDS = 2  # fewer words after "bukan itu" say nothing ("bukan itu min")


def not_that_but(text: str) -> str | None:
    """Return what a resident meant after saying the answer missed ("bukan itu sy mau tau caranya daftar" →
    "caranya daftar"), else None."""
    m = _NOT_THAT_BUT.match(text)
    if m is None or says_not_that(text):
        return None
    rest = m.group("rest").strip()
    return rest if len(rest.split()) >= _MEANT_WORDS else None


_HOW_LONG = re.compile(r"\b(?:berapa\s+lama|brp\s+lama|brp\s+lm|bara\s+lamo|how\s+long|kapan\s+(?:ditangani|"
                       r"diproses|diperbaiki|datang|ditanggapi|dikerjakan)|when\s+will)\b", re.IGNORECASE)


def asks_how_long(text: str) -> bool:
    """Tell whether a message asks how long something takes ("how long until someone comes?", "brp lama?")."""
    return bool(_HOW_LONG.search(text))


# Whether reporting here costs anything: "ini gratis kan lapor disini?", "lapor di sini bayar ga?", "is it free to
# report?"
_REPORT_WORD = r"(?:lapor\w*|melapor\w*|pengaduan|aduan|mengadu|report\w*|complain\w*)"
_COST_WORD = r"(?:gratis|bayar\w*|biaya\w*|ongkos|free|cost\w*|fee|charge\w*|pay)"  # not "pungutan": pungli reported
_REPORT_COST = re.compile(rf"\b{_COST_WORD}\b[^.!?]{{0,30}}\b{_REPORT_WORD}|"
                          rf"\b{_REPORT_WORD}\b[^.!?]{{0,30}}\b{_COST_WORD}\b", re.IGNORECASE)
# ... or asked without a question mark: "lapor disini gratis", "lapor di sini bayar ga"
_REPORT_COST_UNMARKED = re.compile(r"\b(?:lapor\w*|report\w*)\b[^.!?]{0,30}\b(?:bayar|gratis|free)\s*"
                                   r"(?:ga|gak|nggak|tidak|ya|kan|kah)?\s*$", re.IGNORECASE)


def asks_if_reporting_costs(text: str) -> bool:
    """Tell whether a message asks if reporting here costs anything ("ini gratis kan lapor disini?")."""
    return ("?" in text and bool(_REPORT_COST.search(text))) or bool(_REPORT_COST_UNMARKED.search(text))


# Asking for help with something unlawful or dangerous: forged papers, weapons, explosives.
_HARMFUL = re.compile(
    r"\b(?:bikin|buat|membuat|bikinin|buatin|beli|pesan|jual|cari|dapat\w*)\s+(?:\w+\s+){0,4}?(?:palsu|aspal|bodong)\b|"
    r"\b(?:memalsukan|malsuin|palsukan|nembak\s+(?:ktp|sim|kk))\b|"
    r"\b(?:bikin|buat|membuat|rakit|merakit)\s+(?:\w+\s+)?(?:bom|molotov|senjata|senpi|bahan\s+peledak|"
    r"peledak)\b|\b(?:make|build)\s+(?:a\s+)?(?:bomb|weapon|molotov|gun)\b|\bfake\s+(?:id|documents?)\b",
    re.IGNORECASE)


def asks_something_harmful(text: str) -> bool:
    """Tell whether a message asks for help with forged papers, weapons or explosives ("cara bikin bom molotov")."""
    return bool(_HARMFUL.search(text))
