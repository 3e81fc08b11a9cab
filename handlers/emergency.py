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

_PERSON = (r"(?:orang\w*|org|anak\w*|bayi|balita|warga|korban\w*|seseorang|nenek|kakek|ibu\w*|bapak\w*|ayah\w*|"
           r"dia|beliau|someone|person|child|people|kid)")
# Urgent by themselves: a person in danger right now.
_PEOPLE_IN_DANGER = re.compile(
    r"\b(?:pingsan|tidak\s+sadarkan\s+diri|tak\s+sadarkan\s+diri|tidak\s+bernapas|tidak\s+bernafas|kejang\w*|"
    r"tersengat\s+listrik|kesetrum|terjebak(?!\s+macet)|terperangkap|terkurung|tertimbun|"
    r"tertimpa(?!\s+musibah)|trapped|drowning|unconscious|not\s+breathing|electrocuted)\b|"
    rf"\b{_PERSON}\s+(?:\w+\s+)?(?:tenggelam|hanyut|terseret|tabanam|(?:ga|gak|nggak|tidak|tak)\s+sadar)\b|"
    rf"\bmenimpa\s+{_PERSON}\b|\b(?:menimpa|tertimpa)\b.*\bada\s+(?:orang|org|anak|korban)\b", re.I)
# Fire, explosions, gas leaks: emergencies when told, unless the message is about a procedure, the past,
# a recurring hazard or a what-if ("pemadam kebakaran" names the fire brigade; "fire brigade" likewise).
_FIRE = re.compile(
    r"\b(?:(?<!pemadam )(?<!pemadaman )(?<!non-)kebakaran|terbakar|kabakaran|tabaka|"
    r"api(?:nya)?\s+(?:besar|membesar|menjalar|merambat)|asap\s+tebal|gas\s+bocor|ledakan|meledak|on\s+fire|"
    r"burning|gas\s+leak|explosion|(?:a|the|big|huge|house|building)\s+fire"
    r"(?!\s+(?:brigade|department|station|truck|fighters?|service|hydrant|extinguishers?|drill|safety|alarm|"
    r"insurance|hazard)))\b", re.I)
# Accidents, floods, landslides: emergencies when happening now or with victims.
_EVENT = re.compile(
    r"\b(?:kecelakaan|tabrakan|longsor|kebanjiran|banjir\s+bandang|accident|crash|flash\s+flood)\b", re.I)
_VICTIMS = re.compile(
    r"\b(?:korban|luka|terluka|luka-luka|berdarah|meninggal|tewas|injured|hurt|bleeding|victims?)\b|"
    r"\bada\s+(?:yang\s+|yg\s+|orang\s+|org\s+)?(?:kecelakaan|tabrakan|ditabrak)\b", re.I)
_NOW = re.compile(
    r"\b(?:sekarang|skrg|skg|skrng|saat\s+ini|cepetan|buruan|capeklah|gawat|sedang\s+terjadi|lagi\s+terjadi|"
    r"right\s+now|urgent)\b|!{2,}|^(?:tolong|toloong|help)\s*(?:!|ada\b)|\bhelp\s*!", re.I)
# Procedures around an event, one that is over, one that keeps recurring or a what-if: a question or a
# complaint, not a dispatch.
_NOT_NOW = re.compile(
    r"\b(?:syarat|surat|keterangan|prosedur|cara|caranya|jadwal|simulasi|pelatihan|sosialisasi|santunan|"
    r"bantuan|asuransi|klaim|tips|mencegah|pencegahan|alat|apar|lowongan|rekrutmen|biaya|keselamatan|"
    r"pemeriksaan|proteksi|sering|rawan|tiap|setiap|selalu|langganan|hampir|hmpir|nyaris|beberapa\s+hari|"
    r"berhari-hari|tadi\s+malam|semalam|kemarin|kemaren|minggu\s+lalu|bulan\s+lalu|tahun\s+lalu|waktu|wkt|"
    r"ketika|saat\s+terjadi|saat\s+ada|bekas|sisa|pasca|setelah|habis\s+terbakar|ludes|sudah\s+padam|"
    r"udah\s+padam|kalau|kalo|klo|kl|jika|bila|apabila|seandainya|misalnya|"
    r"how\s+(?:do|can|to)|requirements?|often|every|almost|yesterday|last\s+(?:night|week|month)|if|"
    r"in\s+case|after|insurance|prevent|hiring|jobs?)\b", re.I)


# Every pattern above needs one of these stems: most messages have none and are let go at once.
_TRIGGER = re.compile(
    r"\b(?:ke?bakar|terbakar|kabakar|tabaka|api|apinya|asap|gas|ledak|meledak|fire|burn|explo|pingsan|sadar|"
    r"napas|nafas|bernapas|bernafas|kejang|kesetrum|tersengat|terjebak|terperangkap|terkurung|tertimbun|"
    r"tertimpa|menimpa|timpa|tenggelam|hanyut|terseret|tabanam|trapped|drown|unconscious|breath|electrocut|"
    r"kecelakaan|tabrakan|longsor|kebanjiran|banjir|accident|crash|flash)", re.I)


def is_emergency(text: str) -> bool:
    """Tell whether a message reports a danger to people happening now."""
    if not text or not _TRIGGER.search(text):
        return False
    now = bool(_NOW.search(text))
    if _NOT_NOW.search(text) and not now:
        return False
    if _PEOPLE_IN_DANGER.search(text) or _FIRE.search(text):
        return True
    return bool(_EVENT.search(text) and (now or _VICTIMS.search(text)))
