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

import datetime as dt
import re

from handlers import texts
from handlers.context import Turn
from handlers.messages import Reply
from knowledge.kb import City
from knowledge.matcher import Match

_PERSON = (r"(?:orang\w*|org|urang|anak\w*|bayi|balita|warga|korban\w*|seseorang|nenek|kakek|ibu\w*|bapak\w*|"
           r"ayah\w*|dia|beliau|someone|person|child|people|kid|son|daughter|boy|girl|baby)")
# Urgent by themselves: a person in danger right now.
_PEOPLE_IN_DANGER = re.compile(
    r"\b(?:pingsan|pangsan|tidak\s+sadarkan\s+diri|tak\s+sadarkan\s+diri|tidak\s+bernapas|tidak\s+bernafas|kejang\w*|"
    r"tersengat\s+listrik|kesetrum|terjebak(?!\s+macet)|kejebak(?!\s+macet)|terperangkap|terkurung|tertimbun|"
    r"terjepit|kejepit|gantung\s+diri|bunuh\s+diri|tertimpa(?!\s+musibah)|trapped|drowning|"
    r"unconscious|not\s+breathing|electrocuted|suicide|stuck\s+(?:on|in)\s+(?:the|our|a)\s+"
    r"(?:roof|house|building|lift|elevator|car)|(?:kena|terkena|mengalami|having|has|is\s+having)\s+(?:a\s+)?"
    r"(?:serangan\s+jantung|heart\s+attack|stroke)|can'?t\s+breathe)\b|"
    rf"\b(?:{_PERSON}|saya|sy|aku|ambo)\s+(?:\w+\s+){{0,2}}(?:sesak|susah|sulit)\s+(?:napas|nafas|bernapas|bernafas)\b|"
    # "my neighbour collapsed", "ayah saya tiba-tiba jatuh tidak bergerak" (a person, not a building)
    rf"\b(?:{_PERSON}|neighbou?r|mother|mom|father|dad|grandmother|grandma|grandfather|grandpa|husband|wife|friend|"
    r"son|daughter|man|woman|he|she|tetangga\w*|suami\w*|istri\w*|teman\w*)\s+(?:\w+\s+){0,2}"
    r"(?:collapsed|fainted|passed\s+out|has\s+collapsed|jatuh\s+(?:tidak|tak|ga|gak)\s+(?:bergerak|sadar))\b|"
    rf"\b{_PERSON}\s+(?:\w+\s+)?(?:tenggelam|hanyut|hanyuik|terseret|tabanam|(?:ga|gak|nggak|tidak|tak|indak|ndak)\s+sadar)\b|"
    rf"\b{_PERSON}\s+(?:\w+\s+){{0,6}}(?:tergeletak|terkapar)\b|"
    # someone being beaten now ("suami sy lg mukulin sy skrg", "lagi ngamuk mukulin")
    r"\b(?:lagi|lg|sedang|sdg|masih)\s+(?:ngamuk\s+|mengamuk\s+)?(?:mukul\w*|memukul\w*|dipukul\w*|dipukuli|nyiksa\w*|"
    r"menyiksa\w*|disiksa|menganiaya|dianiaya|ngehajar|menghajar|dihajar|beating|hitting)\b|"
    r"\bis\s+(?:beating|hitting)\s+me\b|"
    # stuck in a lift, a child locked in a car ("ado urang tasangkuik di lift", "anak kecil kekunci di dalam mobil")
    r"\b(?:tersangkut|tasangkuik|nyangkut|kesangkut|tesangkut|terkunci|kekunci|takunci|ketutup)\s+(?:di\s+|dalam\s+|"
    r"di\s+dalam\s+|dalem\s+|di\s+dalem\s+|di\s+dalam\s+)?(?:lift|lif|elevator)\b|"
    rf"\b{_PERSON}\b[^.?!]{{0,30}}\b(?:terkunci|kekunci|takunci|locked)\s+(?:di\s+|dalam\s+|di\s+dalam\s+|dalem\s+|"
    r"di\s+dalem\s+|in\s+(?:the\s+|a\s+)?|inside\s+(?:the\s+|a\s+)?)?(?:mobil|oto|car)\b|"
    # "ada anak kena setrum barusan", "anaknya ga gerak pak tolong!!"
    r"\b(?:kena\s+setrum|tersetrum|kesengat\s+listrik)\b|"
    rf"\b{_PERSON}\w*\s+(?:\w+\s+){{0,2}}(?:ga|gak|nggak|tidak|tak|indak|ndak)\s+(?:ber)?gerak\b|"
    # "anak kecil jatuh ke gorong2 …, kakinya berdarah", "anaknya luka parah pak, gimana ini"
    rf"\b{_PERSON}\b[^!?\n]{{0,100}}?\b(?:berdarah(?:-darah)?|luka\s+(?:parah|berat)|patah\s+tulang|kritis|sekarat)\b|"
    r"\b(?:luka|berdarah)\s+(?:parah|banyak|terus|deras)\b|"
    rf"\b{_PERSON}\s+(?:\w+\s+){{0,4}}kajang\w*|"  # Minangkabau kejang (a seizure); also an awning
    rf"\bmenimpa\s+{_PERSON}\b|\b(?:menimpa|tertimpa)\b.*\bada\s+(?:orang|org|anak|korban)\b|"
    r"\b(?:banjir|kebanjiran|air|aia|lift)\b.*\b(?:tidak|tak|indak|ga|gak|nggak|ndak)\s+bisa\s+(?:keluar|kalua)\b|"
    # floodwater in the house at knee height or more ("air sudah masuk rumah setinggi lutut", "banjir sepinggang")
    r"\b(?:banjir|kebanjiran|banjia|air|aia|aie|airnya|aianyo)\b(?:\s+\S+){0,12}?\s+"
    r"(?:setinggi\s+|sampai\s+|sampe\s+|ke\s+)?"
    r"(?:se|sa)?(?:lutut|lutuik|pinggang|pinggul|dada|dado|leher|paha|atap)\b",
    re.I)
# Fire, explosions, gas leaks: emergencies when told, unless the message is about a procedure, the past,
# a recurring hazard or a what-if ("pemadam kebakaran" names the fire brigade; "fire brigade" likewise).
_FIRE = re.compile(
    r"\b(?:(?<!pemadam )(?<!pemadaman )(?<!non-)kebakaran|terbakar|kabakaran|tabakar|tabaka|"
    r"api\s*(?:nya)?\s+(?:besar|gadang|membesar|menjalar|merambat)|keluar\s+api|asap\s+tebal|gas\s+bocor|ledakan|meledak|on\s+fire|burning|gas\s+leak|explosion|"
    r"keluar\s+asap|asap\s+keluar|smoke\s+(?:is\s+)?(?:coming|pouring|billowing)|"
    r"(?:a|the|big|huge|house|building)\s+fire"
    r"(?!\s+(?:brigade|department|station|truck|fighters?|service|hydrant|extinguishers?|drill|safety|alarm|"
    r"insurance|hazard)))\b", re.I)
# Accidents, floods, landslides, crimes: emergencies when happening now or with victims.
_EVENT = re.compile(
    r"\b(?:gempa|earthquake|quake|"  # an earthquake felt now ("gempa barusan kerasa banget, ada potensi tsunami?")
    r"kecelakaan|kacelakaan|tabrakan|tabrak\s+lari|longsor|kebanjiran|banjir\s+bandang|"
    r"perampokan|penjambretan|begal|pembegalan|penganiayaan|perkelahian|tawuran|accident|crash|flash\s+flood|"
    r"robbery)\b", re.I)
# Asking whom to call because it is an emergency now ("ini darurat gak? saya harus telpon siapa"): the numbers.
_WHOM_TO_CALL = re.compile(r"\b(?:darurat|emergency|gawat)\b.*\b(?:telp\w*|telepon\w*|telfon\w*|nelpon|"
                           r"hubungi|call|kontak|contact)\b|\b(?:telp\w*|telepon\w*|telfon\w*|nelpon|hubungi|call)\b"
                           r".*\b(?:darurat|emergency|gawat)\b", re.I)
# A hazard about to hurt someone now: a live wire sparking, a tree or a pole about to fall at any moment.
_HAZARD_NOW = re.compile(
    r"\b(?:percikan\s+api|berapi|memercik\w*|sparks?|sparking|live\s+wire|"
    r"(?:can|could|might|may|will)\s+fall\s+(?:any\s*time|any\s+moment|at\s+any\s+moment|now)|about\s+to\s+fall|"
    r"(?:bisa|mau|hampir|akan|bisa\s+saja)\s+(?:jatuh|roboh|rubuh|tumbang|patah)\s+(?:kapan\s+saja|kapan\s+aja|"
    r"sewaktu[\s-]*waktu|sewaktu2|sekarang|skrg)|"
    r"leaning\s+on\s+(?:a\s+|the\s+)?power\s+line|"
    # water rising now ("air sungai naik terus, sudah hampir masuk rumah", "the water keeps rising")
    r"(?:air|airnya|aia|banjir|sungai|water|river)\b[^.?!]{0,40}\b(?:naik\s+terus|terus\s+naik|makin\s+(?:tinggi|naik)|"
    r"naik\s+(?:cepat|cepet|deras)|keeps?\s+rising|rising\s+fast)|"
    # a tree or pole moving now ("pohonnya makin goyang", "tiangnya makin miring")
    r"(?:pohon|dahan|tiang)\w*\b[^.?!]{0,20}\b(?:makin|semakin|tambah)\s+"
    r"(?:goyang|bergoyang|miring|condong|retak)|"
    r"(?:menimpa|nyangkut\s+di|bersandar\s+(?:di|ke)|miring\s+ke)\s+kabel\s+listrik|"
    # a power cable down ("kabel listriknya jg putus kena pohon": it had only been added to the complaint's story)
    r"kabel\s+(?:listrik|pln)\w*\b[^.?!]{0,25}\b(?:putus|jatuh|menjuntai|terjuntai|berjuntai|ke\s+tanah)|"
    r"(?:power\s+lines?|live\s+cables?|power\s+cables?)\s+(?:is\s+|are\s+)?(?:down|fallen|snapped)|"
    r"downed\s+power\s+lines?)\b",
    re.I)
# Money rising is no danger ("air pdam naik terus tagihannya").
_MONEY = re.compile(r"\b(?:tagihan\w*|rekening|tarif|harga|biaya|iuran|bill|price)\b", re.I)
_WHAT_IF = re.compile(r"\b(?:kalau|kalo|klo|kl|jika|bila|apabila|seandainya|misalnya|if|in\s+case|takut|khawatir|"
                      r"afraid|worried)\b", re.I)
_HIT = re.compile(r"\b(?:ditabrak|tertabrak|keserempet|diserempet)\b", re.I)
_VICTIMS = re.compile(
    r"\b(?:korban|luka|terluka|luka-luka|berdarah|badarah\w*|meninggal|tewas|injured|hurt|bleeding|victims?)\b|"
    r"\bad[ao]\s+(?:yang\s+|yg\s+|orang\s+|org\s+|urang\s+)?(?:kecelakaan|kacelakaan|tabrakan|ditabrak)\b", re.I)
# Signs that it is happening: the strong ones stand even against words of the past ("tadi"); "sekarang"
# alone does not ("tahun lalu ada kecelakaan di sini, sekarang lubangnya belum ditambal").
_NOW_STRONG = re.compile(
    r"\b(?:cepetan|buruan|capeklah|gawat|sedang\s+terjadi|lagi\s+terjadi|right\s+now|urgent|"
    r"(?:butuh|perlu|minta)\s+evakuasi)\b|!{2,}|^(?:tolong|toloong|help)\s*(?:!|ada\b)|\b(?:help|tolong)\s*!", re.I)
_NOW_WEAK = re.compile(r"\b(?:sekarang|skrg|skg|skrng|saat\s+ini|barusan|baru\s+saja|baru\s+aja|just\s+now|"
                       r"kerasa|terasa)\b", re.I)
# Procedures around an event, one that is over, one that keeps recurring, a what-if, talk about an event
# (news, causes, whose job it is): a question or a complaint, not a dispatch.
_NOT_NOW = re.compile(
    r"\b(?:syarat|surat|keterangan|prosedur|cara|caranya|jadwal|simulasi|pelatihan|sosialisasi|santunan|"
    r"bantuan|asuransi|klaim|tips|mencegah|pencegahan|alat|apar|lowongan|rekrutmen|biaya|keselamatan|donor|"
    r"pemeriksaan|proteksi|sering|rawan|tiap|setiap|selalu|langganan|pernah|hampir|hmpir|nyaris|"
    r"beberapa\s+hari|berhari-hari|tadi\s+malam|semalam|kemarin|kemaren|minggu\s+lalu|bulan\s+lalu|"
    r"tahun\s+lalu|waktu|wkt|ketika|saat\s+terjadi|saat\s+ada|bekas|sisa|pasca|setelah|habis\s+terbakar|ludes|"
    r"sudah\s+padam|udah\s+padam|kalau|kalo|klo|kl|jika|bila|apabila|seandainya|misalnya|film|berita|tentang|"
    r"kenapa|mengapa|penyebab|hutan|gambut|siapa\s+yang|menangani|instansi|takut|khawatir|berpotensi|risiko|"
    r"how\s+(?:do|can|to)|requirements?|often|every|almost|yesterday|last\s+(?:night|week|month)|if|"
    r"in\s+case|after|insurance|prevent|hiring|jobs?|why|news|movie|about)\b", re.I)


def _prefix_pattern(words: tuple[str, ...]) -> str:
    """Return a regular expression matching any of `words`, as a trie ("kebakar|kejang" -> "ke(?:bakar|jang)").

    Python's `re` tries an alternation's branches one by one at every position; sharing the
    prefixes makes the trigger check, which runs on every message, about three times faster.
    """
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict[str, dict]) -> str:
        branches = [re.escape(ch) + build(sub) for ch, sub in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(trie)


# Every pattern above needs one of these stems (word beginnings: "explo" for "explosion"), matched at the
# start of a word: most messages have none and are let go at once.
_TRIGGER_WORDS = (
    "kebakar", "kbakar", "terbakar", "kabakar", "tabakar", "tabaka", "api", "apinya", "asap", "gas", "ledak",
    "meledak", "fire", "burn", "explo", "pingsan", "sadar", "napas", "nafas", "bernapas", "bernafas", "kejang",
    "kesetrum", "tersengat", "terjebak", "kejebak", "terperangkap", "terkurung", "tertimbun", "terjepit",
    "kejepit", "tergeletak", "terkapar", "gantung", "bunuh", "suicide", "stuck", "tertimpa", "menimpa",
    "timpa", "tenggelam", "hanyut", "hanyuik", "terseret", "tabanam", "trapped", "drown", "unconscious",
    "breath", "electrocut", "keluar", "percikan", "korslet", "konslet", "kecelakaan", "kacelakaan", "tabrak",
    "ditabrak", "tertabrak", "longsor", "kebanjiran", "banjir", "perampokan", "penjambretan", "begal",
    "pembegalan", "penganiayaan", "perkelahian", "tawuran", "accident", "crash", "flash", "robbery", "kalua",
    "keserempet", "diserempet", "pangsan", "kajang", "lutut", "lutuik", "selutut", "pinggang", "sepinggang",
    "pinggul", "dada", "sedada", "leher", "seleher", "paha", "sepaha", "atap", "salutuik", "sapinggang", "sadado",
    "smoke", "darurat", "emergency", "gawat", "percik", "berapi", "memercik", "spark", "live", "fall", "leaning",
    "jatuh", "roboh", "rubuh", "tumbang", "patah", "menimpa", "nyangkut", "bersandar", "miring", "naik", "makin",
    "keep", "rising", "airnya", "aianyo", "serangan", "heart", "sesak", "susah", "sulit", "breathe", "collapsed",
    "fainted", "passed", "berdarah", "luka", "kritis", "sekarat", "gempa", "earthquake", "quake", "setrum",
    "tersetrum", "kesengat", "gerak", "bergerak", "goyang", "bergoyang", "cepat", "cepet", "deras",
    "tersangkut", "tasangkuik", "kesangkut", "tesangkut", "terkunci", "kekunci", "takunci", "ketutup", "lift",
    "locked", "mukul", "memukul", "dipukul", "nyiksa", "menyiksa", "disiksa", "menganiaya", "dianiaya", "ngehajar",
    "menghajar", "dihajar", "beating", "hitting", "ngamuk", "mengamuk", "kabel", "power", "downed",
)
_TRIGGER = re.compile(r"\b(?:" + _prefix_pattern(_TRIGGER_WORDS) + ")", re.I)


def is_emergency(text: str) -> bool:
    """Tell whether a message reports a danger to people happening now."""
    if not text or not _TRIGGER.search(text):
        return False
    if _HAZARD_NOW.search(text) and not _WHAT_IF.search(text) and not _MONEY.search(text):  # "about to fall": now
        return True
    strong = bool(_NOW_STRONG.search(text))
    if _NOT_NOW.search(text) and not strong:
        return False
    if _PEOPLE_IN_DANGER.search(text) or _FIRE.search(text) or _WHOM_TO_CALL.search(text):
        return True
    if _HIT.search(text):  # "motor saya ditabrak, saya luka-luka"; a sign hit by a car is not an emergency
        return bool(_VICTIMS.search(text))
    return bool(_EVENT.search(text) and (strong or _NOW_WEAK.search(text) or _VICTIMS.search(text)))


def emergency_reply(city: City, text: str = "") -> Reply:
    """Return the reply that opens the answer to an emergency happening now: the numbers to call (PLN's too when the
    message is about electricity); to someone thinking of ending their life, words for them and where help is."""
    if in_crisis(text):  # said in English: in English too ("I don't want to live anymore")
        return Reply(f"{texts.CRISIS}\n\n{texts.CRISIS_EN}" if _CRISIS_EN.search(text) else texts.CRISIS,
                     kind="emergency")
    return Reply(texts.emergency_first(city, electric=bool(_ELECTRIC.search(text))), kind="emergency")


_ME = r"(?:saya|sy|aku|ak|aq|gue|gw|ambo|awak|i)"
_NOT_WANT = r"(?:ga|gak|nggak|ngga|enggak|tidak|tdk|tak|indak|ndak|nda|dak)"
_LIFE = r"(?:hidup|hdp|idup|hiduik|iduik)"
# Thinking of ending one's life, said outright or the way people say it ("capek hidup, rasanya mau mati aja", Minang
# "ambo lah indak tahan hiduik, nio mati se"). Not "lampunya mau mati" (a lamp going out) nor "mati lampu".
# The same said in English (the crisis reply then comes in English too).
_CRISIS_ENGLISH = (r"suicid\w*|kill(?:ing)?\s+myself|end\s+(?:my|it)\s+(?:life|all)|(?:want|wanna|going)\s+to\s+die|"
                   r"wanna\s+die|don'?t\s+want\s+to\s+live|no\s+reason\s+to\s+live|(?:hurt|harm)\s+myself|"
                   r"self[\s-]harm")
_CRISIS = re.compile(
    r"\b(?:bunuh\s+diri|gantung\s+diri|(?:meng)?akhiri\s+hidup\w*|menghabisi\s+nyawa\s+sendiri|minum\s+racun|"
    rf"(?:potong|sayat|iris)\s+nadi|{_CRISIS_ENGLISH})\b|"
    rf"\b(?:capek|cape|capee|capai|lelah|letih|penat|muak|bosan|bosen|jenuh)\s+{_LIFE}\b|"
    rf"\b{_NOT_WANT}\s+(?:lagi\s+)?(?:kuat|tahan|sanggup|mau|ingin|pengen|nio|ado\s+gunonyo)\s+"
    rf"(?:lagi\s+|lai\s+)?{_LIFE}"
    r"(?!\s+(?:sehat|bersih|hemat|mewah))\b|"
    rf"\b{_LIFE}\s+(?:{_ME}\s+|ku\s+)?(?:udah\s+|sudah\s+|lah\s+)?{_NOT_WANT}\s+(?:ada\s+|ado\s+)?"
    r"(?:gunanya|artinya|berarti|gunonyo|artinyo)\b|"
    r"\b(?:ingin|ingn|pengen|pengin|pingin|pgn|kepengen|nio)\s+mati\b(?!\s+(?:lampu|listrik|air|aia))|"
    r"\b(?:mau|mo|ingin|pengen|pgn|nio|nak|ndak)\s+mati\s+(?:aja|ajah|saja|se|sajo|ajo|ae|ja)\b|"
    rf"\b(?:lebih\s+baik|mending|mendingan|labiah\s+baiak|rasanya|rasonyo|rasanyo)\s+(?:{_ME}\s+)?"
    r"(?:mau\s+|ingin\s+|pengen\s+|nio\s+)?mati\b(?!\s+(?:lampu|listrik|air|aia|gaya))",
    re.I)


_CRISIS_EN = re.compile(rf"\b(?:{_CRISIS_ENGLISH})\b", re.I)


def in_crisis(text: str) -> bool:
    """Tell whether a message says its writer, or someone they tell of, is thinking of ending their life."""
    return bool(text) and bool(_CRISIS.search(text))


def answered_beside_crisis(turn: Turn, match: Match) -> bool:
    """Tell whether a message in crisis also asks something the KB answers for sure without the words of the crisis
    ("air mati terus, rasanya mau mati aja": the water outage). "sy udh ga kuat hidup lagi, pengen mati aja" had
    been answered with the inactive BPJS card (the "kuat" and "lagi" of it), below the crisis reply."""
    if match.decision != "answer" or match.faq is None:
        return False
    rest = turn.matcher.match(_CRISIS.sub(" ", turn.text))
    return rest.decision == "answer" and rest.faq == match.faq


# A danger from the power network: "kabel listrik putus … percikan api", "live wire", "tiang listrik miring".
_ELECTRIC = re.compile(r"\b(?:kabel|listrik|tiang\s+listrik|gardu|trafo|kesetrum|tersengat|korslet|konslet|"
                       r"percik\w*|electric\w*|live\s+wire|power\s+line|cable|spark\w*)\b", re.I)


# After an emergency or a crisis reply, the next messages for a while are read as part of it: "sy hrs ngapain"
# after someone injured wants what to do now (it had got "sudah ada di jawaban sebelumnya"), and "ga ada yg peduli"
# after "capek hidup" wants to be heard again, not a menu of PDAM entries (the twentieth QA pass).
URGENT_FOR = dt.timedelta(minutes=20)
_WHAT_NOW = re.compile(
    r"\b(?:harus|hrs|musti|mesti|perlu)\s+(?:ngapain|ngapa|apa|bagaimana|gimana|gmn|berbuat\s+apa|melakukan\s+apa)\b|"
    r"\b(?:gimana|gmn|bagaimana)\s+(?:ini|ni|nih|dong|donk)\b|"
    r"\b(?:terus|sekarang|skrg|skrng)\s+(?:gimana|gmn|gmna|bagaimana)\b|"
    r"\bapa\s+(?:yang|yg)\s+(?:harus|bisa|mesti)\s+(?:saya\s+|sy\s+|kami\s+|aku\s+)?(?:lakukan|dilakukan|buat)\b|"
    r"\bwhat\s+(?:should|do|can|must)\s+(?:i|we)\s+do\b|\bnow\s+what\b|\bbaa\s+(?:ko|kini|caronyo)\b",
    re.IGNORECASE)


# A plea for help to be sent, after an emergency: "tolong kirim bantuan cepat", "mana petugasnya", "blm ada yg dtg".
_PLEA = re.compile(
    r"\b(?:kirim|kirimkan|kirimin|krm|datangkan)\s+(?:\w+\s+)?(?:bantuan|petugas|tim|orang|ambulans|ambulan|damkar|"
    r"perahu|sar|basarnas|polisi)\b|\b(?:tolong|tlg|tolongin|help)\b[^.?!]{0,30}\b(?:cepat|cpt|segera|skrg|sekarang|"
    r"datang|dtg|kesini|ke\s+sini|jemput|evakuasi)\b|\b(?:mana|kapan|kok\s+belum|kok\s+blm)\s+(?:\w+\s+)?"
    r"(?:bantuan\w*|petugas\w*|tim\w*|ambulans\w*|damkar\w*)\b|\b(?:belum|blm|ga|gak|tidak|tdk)\s+(?:ada\s+)?"
    r"(?:yg|yang)\s+(?:datang|dtg|nolong|bantu)\b|\bsend\s+(?:help|someone|an?\s+ambulance)\b|\bhelp\s+us\b|"
    r"\bplease\s+help\b|\btolong+\W*$",
    re.IGNORECASE)


# The emergency still going on, told right after it: "apinya makin besar", "airnya naik lagi", "masih terjebak",
# "sy lapor lewat sini aja ya" (reporting it here does not bring help now).
_STILL = re.compile(
    r"\b(?:makin|semakin|tambah|bertambah|masih|belum)\s+(?:\w+\s+)?(?:besar|tinggi|naik|parah|banyak|deras|dekat|"
    r"terjebak|kejebak|terkurung|terbakar|menyala|pingsan|ga\s+sadar|gak\s+sadar|tidak\s+sadar|berdarah|sesak)\b|"
    r"\b(?:lapor|laporkan|melapor)\w*\s+(?:lewat|di|dari)\s+(?:sini|chat|sini\s+aja)\b|"
    r"\b(?:getting\s+(?:bigger|worse|higher)|still\s+(?:trapped|burning|bleeding|unconscious))\b",
    re.IGNORECASE)


def what_now_fits(text: str) -> bool:
    """Tell whether an emergency message asks what to do now, or tells of someone in danger: what to do while help
    comes fits it better than how to report it afterwards ("anak sy kejang2 demam tinggi skrg gmn")."""
    return bool(_WHAT_NOW.search(text) or _PEOPLE_IN_DANGER.search(text))


def remember_urgent(turn: Turn, kind: str) -> None:
    """Note that an emergency ("emergency") or a crisis ("crisis") was just answered."""
    turn.state["urgent"] = {"kind": kind, "at": turn.services.now().isoformat()}


def _urgent_lately(turn: Turn) -> str | None:
    """Return the kind of the emergency or crisis answered in the last URGENT_FOR, else None."""
    urgent = turn.state.get("urgent")
    if not urgent:
        return None
    if turn.services.now() - dt.datetime.fromisoformat(urgent["at"]) > URGENT_FOR:
        turn.state.pop("urgent", None)
        return None
    return urgent["kind"]


def after_urgent(turn: Turn) -> list[Reply] | None:
    """Answer a message that follows an emergency or a crisis reply as part of it, else None: what to do now after
    an emergency; after a crisis, anything the knowledge base does not answer for sure gets kind words again."""
    kind = _urgent_lately(turn)
    if kind == "emergency" and (_PLEA.search(turn.text) or _STILL.search(turn.text)):
        # "tolong kirim bantuan cepat" had got "no answer" and a menu with the PKH welfare aid, "apinya makin besar"
        # a menu with stray dogs
        turn.record("question", "emergency", answered=True)
        return [Reply(texts.emergency_still(turn.kb.city), kind="emergency")]
    if kind == "emergency" and _WHAT_NOW.search(turn.text):
        turn.record("question", "emergency", answered=True)
        return [Reply(texts.WHAT_NOW, kind="emergency")]
    if kind == "crisis" and (_WHAT_NOW.search(turn.text) or turn.matcher.match(turn.text).decision != "answer"):
        turn.record("question", "crisis", answered=True)
        return [Reply(texts.CRISIS_STILL, kind="emergency")]
    return None
