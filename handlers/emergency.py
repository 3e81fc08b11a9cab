"""Emergencies happening now: the emergency numbers first, whatever else the message gets.

"tolong ada kebakaran di pasar raya sekarang!!" or "anak2 terjebak banjir" must not wait for a
did-you-mean list, or become a ticket an OPD answers within days: the reply starts with the city's
emergency numbers (city.yaml `emergency`). A message is an emergency when it names a danger to
people that is urgent by itself (someone trapped, drowning, unconscious, buried), or an event that
may be (a fire, a flood, a collapse, an accident) together with a sign that it is happening now
("sekarang", "tolong ada ...", "!!"). Questions about procedures around such events ("syarat surat
keterangan kebakaran", "bantuan untuk korban banjir", "cara menolong orang tenggelam") are not.
"""

from __future__ import annotations

import re

_PERSON = r"(?:orang|org|anak|anak2|bayi|balita|warga|korban|seseorang|nenek|kakek|someone|person|child|people)"
# Urgent by themselves: a person in danger right now.
_PEOPLE_IN_DANGER = re.compile(
    r"\b(?:pingsan|tidak\s+sadarkan\s+diri|tak\s+sadarkan\s+diri|tidak\s+bernapas|tidak\s+bernafas|kejang|"
    r"tersengat\s+listrik|kesetrum|terjebak(?!\s+macet)|terperangkap|terkurung|tertimbun|tertimpa(?!\s+musibah)|"
    r"trapped|drowning|unconscious|not\s+breathing|electrocuted)\b|"
    rf"\b{_PERSON}\s+(?:\w+\s+)?(?:tenggelam|hanyut|terseret|tabanam)\b", re.I)
# Dangerous events that are emergencies when they are happening now ("fire" not in "fire brigade").
_EVENT = re.compile(
    r"\b(?:kebakaran|terbakar|kabakaran|tabaka|api\s+besar|asap\s+tebal|banjir\s+bandang|kebanjiran|"
    r"longsor|kecelakaan|tabrakan|gas\s+bocor|ledakan|meledak|burning|flash\s+flood|accident|gas\s+leak|"
    r"explosion|fire(?!\s+(?:brigade|department|station|truck|fighter|service|hydrant|extinguisher)))\b", re.I)
_NOW = re.compile(
    r"\b(?:sekarang|skrg|skg|skrng|saat\s+ini|cepetan|buruan|capeklah|gawat|sedang\s+terjadi|lagi\s+terjadi|"
    r"right\s+now|urgent)\b|!{2,}|^(?:tolong|toloong|help)\s*(?:!|ada\b|kebakaran|api\b)|\bhelp\s*!|"
    r"(?<!kalau )(?<!kalo )(?<!klo )(?<!kl )(?<!jika )(?<!bila )(?<!if )(?<!when )"
    r"\b(?:ada|there\s+is\s+a|there's\s+a)\s+(?:kebakaran|kabakaran|fire|ledakan|explosion)\b", re.I)
# Procedures around an event, a hazard that keeps recurring, or one that is over: a question or a
# complaint, not a dispatch.
_NOT_NOW = re.compile(
    r"\b(?:syarat|surat|keterangan|prosedur|cara|caranya|jadwal|simulasi|pelatihan|sosialisasi|santunan|"
    r"bantuan\s+untuk|bantuan\s+bagi|bantuan\s+korban|asuransi|klaim|tips|mencegah|pencegahan|"
    r"sering|rawan|tiap|setiap|selalu|langganan|hampir|nyaris|tadi\s+malam|semalam|kemarin|kemaren|"
    r"minggu\s+lalu|bulan\s+lalu|tahun\s+lalu|waktu\s+itu|how\s+(?:do|can|to)|requirements?|often|every|"
    r"almost|yesterday|last\s+(?:night|week|month))\b", re.I)


def is_emergency(text: str) -> bool:
    """Tell whether a message reports a danger to people happening now."""
    if not text:
        return False
    if _PEOPLE_IN_DANGER.search(text):
        return not (_NOT_NOW.search(text) and not _NOW.search(text))
    return bool(_NOW.search(text) and _EVENT.search(text) and not _NOT_NOW.search(text))
