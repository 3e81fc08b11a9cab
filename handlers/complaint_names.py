"""A resident's name for a complaint, in their own words: given ("nama saya Rahmat Hidayat, boleh disebut", "namo
ambo Yusrizal", "Hendra Gunawan, 0812…", "nama: Yusniar"), typed alone when asked for ("dedi kurniawan"), kept out
of publication ("jangan disebut namanya") or removed ("hapus nama saya")."""

from __future__ import annotations

import re

from handlers.complaint_state import said_yes, says_skip
from handlers.complaint_words import refuses, says_cancel

# A resident giving their name for the complaint: "nama saya Rahmat Hidayat", "tolong pakai nama saya Rina Marlina",
# "nama saya Dewi Lestari, boleh dicantumkan", "atas nama Rudi Hartono", "my name is John Smith, you can use it".
_NAME = re.compile(
    r"^\W*(?:(?:bukan\s+itu|bkn\s+itu|eh|oh|oh\s+iya|oiya|maaf|ini)\W+)*"  # "bukan itu, nama sy nasrul"
    r"(?:(?:tolong|tlg|mohon|boleh|silakan|pls|please)\s+)?(?:(?:pakai|pake|gunakan|tulis|cantumkan|cantumin|tulisin|"
    r"masukin|masukkan|sebut(?:kan)?|"
    r"tampilkan|use|put)\s+)?(?:nam[ao]\s+(?:saya|sy|aku|ambo|lengkap\s+saya)|my\s+(?:full\s+)?name(?:\s+is)?|"
    r"nam[ao](?:\s*:|\s+(?=(?-i:[A-Z])[a-z]))|name\s*:|"  # "nama: Yusniar", "nama Yusniar"
    r"(?:panggil|panggia|call\s+me)(?:\s+(?:saja|aja|sj|aj|se|ambo|saya|sy|aku))*"
    # "panggil aja bu Yanti"
    r"(?=\s+(?:(?-i:[A-Z])|(?:bu|pak|uda|uni|mak|bang|kak|ibu|bapak)\s))|"  # "panggil aja Uni Yet"
    r"atas\s+nama|(?:saya|sy|aku|ambo|ini|i'?m|i\s+am|this\s+is)\s+(?:pak|bu|bpk|ibu|bapak|uda|uni|mr|mrs|ms)\b\.?)"
    r"(?:\s+(?:adalah|yaitu|is|aja|saja|sj))?\s*[:,]?\s*(?P<name>[A-Za-z][A-Za-z.'-]*(?:\s+[A-Za-z][A-Za-z.'-]*){0,4}?)"
    # the name ends at punctuation or at a word said after it ("nama sy Nurhayati ya nak bkn anonim")
    r"(?=\s*(?:[,.;:!]|$)|\s+(?:ya|yah|nak|dong|aja|saja|min|pak|bu|kak|bkn|bukan|tapi|tp|jangan|jgn|boleh|dan|no|"
    r"nomor|hp|nik|saya|sy|mau|lapor|tinggal|dari|di|warga|not|and|from|i)\b)", re.IGNORECASE)
_NOT_A_NAME = frozenset({"siapa", "tidak", "jangan", "jgn", "dirahasiakan", "disebut", "anonim", "kelihatan",
                         "ditampilkan", "muncul", "aman", "di", "ga", "gak", "apa", "who", "what", "not", "hidden",
                         # "saya pak RT", "ini bu guru": a role, not a name
                         "rt", "rw", "guru", "lurah", "camat", "dokter", "ketua", "kepala", "warga", "pedagang",
                         # "Saya Tinggal, …": a capitalised word that is no name
                         "tinggal", "mau", "ingin", "sudah", "baru", "punya", "lagi", "juga", "sendiri", "bingung"})
# Said with the name: it may be published ("boleh disebut", "tolong pakai nama saya"), or not ("tapi jangan disebut").
_NAME_SHOWN = re.compile(r"\b(?:pakai|pake|gunakan|cantumkan|cantumin|dicantumkan|tampilkan|ditampilkan|sebut(?:kan)?|"
                         r"disebut(?:kan)?|boleh|use|put|show|mention)\b", re.IGNORECASE)
_NAME_HIDDEN = re.compile(r"\b(?:jangan|jgn|tidak\s+usah|tdk\s+usah|ga\s+usah|gak\s+usah|gausah|anonim\w*|rahasia\w*|"
                          r"dirahasiakan|sembunyikan|hapus|don'?t|do\s+not|hide|anonymous\w*)\b", re.IGNORECASE)


# "ambo Rahmi, no hp 0812…", "Saya Budi Santoso": a capitalised name right after "saya", then a comma or the end.
_INTRODUCED = re.compile(r"^\W*(?i:saya|sy|aku|ambo)\s+(?P<name>[A-Z][a-z]+(?:\s+[A-Z][a-z]+){0,3})\s*(?:,|\.?$)")


# A name alone, asked for ("Dedi Kurniawan", "yusniar"): one to four words of letters.
_BARE_NAME = re.compile(r"^\W*(?P<name>[^\W\d_][\w.'-]*(?:\s+[^\W\d_][\w.'-]*){0,3})\W*$")


_NAME_TAIL = re.compile(r"(?:\s+(?:aja|saja|sj|aj|se|sajo|ajo|ya|yo|deh|dong|lah|please|pls))+$", re.IGNORECASE)


def bare_name(text: str) -> str | None:
    """Return a name typed alone when it was asked for, capitalised ("dedi kurniawan" → "Dedi Kurniawan"), else
    None (a yes, a skip, a sentence)."""
    m = _BARE_NAME.match(text)
    if m is None or says_skip(text) or said_yes(text) or refuses(text) or says_cancel(text):
        return None
    name = _NAME_TAIL.sub("", m.group("name"))  # "Pak Darwis aja" is "Pak Darwis"
    if not name or {w.lower() for w in name.split()} & (_NOT_A_NAME | _NAME_TALK):
        return None
    return " ".join(w[:1].upper() + w[1:] for w in name.split())


_NAME_TALK = frozenset({"nama", "namo", "name", "saya", "sy", "aku", "ambo", "my", "ok", "oke", "apa", "gimana"})
_NOT_ANONYMOUS = re.compile(r"\b(?:bukan|bkn|jangan|jgn|not|ndak|indak)\s+(?:anonim\w*|anonymous\w*)", re.IGNORECASE)


# "Hendra Gunawan, 081266554433": a capitalised name and a phone number, nothing else.
_NAME_AND_PHONE = re.compile(r"^(?P<name>[A-Z][a-z]+(?:\s+[A-Z][a-z]+){0,3})\s*[,;]?\s*"
                             r"(?i:(?:no\.?\s*)?(?:hp|wa|telp)\W*)?(?:\+62|62|0)8[\d\s-]{7,}"
                             # "Rina, hp 0821… kalau perlu dihubungi"
                             r"(?i:\W*(?:kalau|kalo|klo|kl|jika|bila|if)\s+(?:perlu|butuh|needed|necessary)\b.*)?\W*$")


def typed_name(text: str) -> tuple[str, bool] | None:
    """Return the name a resident gives for the complaint and whether it may be published ("nama saya Rahmat
    Hidayat, boleh disebut" → ("Rahmat Hidayat", True); "nama saya Hendra, tapi jangan disebut ya" → ("Hendra",
    False): only the OPD sees it), else None (not "nama saya jangan disebut")."""
    m = _NAME.match(text.strip()) or _INTRODUCED.match(text.strip()) or _NAME_AND_PHONE.match(text.strip())
    if m is None:
        return None
    name = _NAME_TAIL.sub("", m.group("name").strip().rstrip("."))
    if {w.lower() for w in name.split()} & _NOT_A_NAME:
        return None
    said = _NOT_ANONYMOUS.sub(" tampilkan ", text)  # "… bkn anonim": the name may be shown
    shown = bool(_NAME_SHOWN.search(said)) and not _NAME_HIDDEN.search(said)
    return " ".join(w[:1].upper() + w[1:] for w in name.split()), shown


# Asking that the name not be published, or be removed: "jangan disebut namanya", "anonim saja", "hapus nama saya",
# "nama saya jangan ditampilkan", "keep me anonymous".
_HIDE_NAME = re.compile(
    r"\btanpa\s+(?:nama|namo|identitas)\b|"  # "kirim aja tanpa nama"
    r"\bno\s+name\b|\b(?:rather|prefer)\s+not\s+(?:to\s+)?(?:give|share|say|use)\b|"  # "I'd rather not give my name"
    r"\b(?:jangan|jgn|tidak\s+usah|tdk\s+usah|ga\s+usah|gak\s+usah|gausah)\s+(?:di)?(?:sebut|tampil|cantum|pakai|pake)\w*|"
    r"\bnama\w*\s+(?:saya\s+|sy\s+)?(?:jangan|jgn)\b|^\W*anonim\w*(?:\s+(?:saja|aja|ya|yo|min|pak|bu))*\W*$|"
    r"\b(?:hapus|rahasiakan|sembunyikan)\s+nama|\bdon'?t\s+(?:use|show|mention|publish)\s+my\s+name|"
    r"\b(?:keep\s+(?:me\s+|it\s+)?)?anonymous(?:ly)?\b|"
    # "ga usah nama", "saya tidak mau kasih nama", "ndak nio manyabuik namo"
    r"\b(?:(?:ga|gak|tidak|tdk|nggak|ndak|indak)\s+usah|gausah)\s+(?:pakai\s+|pake\s+|sebut(?:kan)?\s+)?nam[ao]\b|"
    r"\b(?:tidak|tdk|ga|gak|nggak|ndak|indak|enggak)\s+(?:mau|mo|ingin|usah|nio)\s+(?:kasih|kasi|kase|sebut\w*|"
    r"manyabuik|pakai|pake|kasih\s+tau)\s+(?:nama|namo)|\bdon'?t\s+want\s+to\s+(?:give|share)\s+my\s+name",
    re.IGNORECASE)


def hides_name(text: str) -> bool:
    """Tell whether a message asks that the reporter's name not be published (or be removed)."""
    return (bool(_HIDE_NAME.search(text)) or removes_name(text)) and typed_name(text) is None


_REMOVE_NAME = re.compile(r"\bhapus\s+(?:aja\s+|saja\s+|deh\s+)?nam[ao]|\bremove\s+my\s+name|"
                          # "jangan pake nama sy deh": no name at all (the twenty-fourth QA pass: it stayed)
                          r"\b(?:jangan|jgn)\s+(?:pakai|pake|cantumkan|tulis|kasih|masukkan|masukin)\s+nam[ao]|"
                          # "anonim aja", "tanpa nama", "no name": no name at all (the twenty-third QA pass found the
                          # name given before kept, hidden from publication only)
                          r"\banonim\w*(?:\s+(?:saja|aja|ya|yo|min|pak|bu|deh))*\W*$|"
                          r"\btanpa\s+(?:nama|namo|identitas)\b|"
                          r"\bno\s+name\b|\banonymous(?:ly)?\b|"
                          # "saya tidak mau kasih nama", "ga usah nama": none given, not one hidden
                          r"\b(?:(?:ga|gak|tidak|tdk|nggak|ndak|indak)\s+usah|gausah)\s+(?:pakai\s+|pake\s+)?nama\b|"
                          r"\b(?:tidak|tdk|ga|gak|nggak|ndak|indak|enggak)\s+(?:mau|mo|ingin|nio)\s+"
                          r"(?:kasih|kasi|kase)\s+(?:nama|namo)|\bdon'?t\s+want\s+to\s+(?:give|share)\s+my\s+name",
                          re.IGNORECASE)


def removes_name(text: str) -> bool:
    """Tell whether a message asks to remove the name given ("hapus nama saya")."""
    return bool(_REMOVE_NAME.search(text))
