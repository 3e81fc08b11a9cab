"""Telling small talk from questions: greetings, an opening without the question yet, thanks, farewells,
acknowledgements, asking what the bot is or which languages it reads, rudeness, and leaving a flow in words.

Pure functions over the message text, used by the start handler (handlers.start) and by the complaint flow
("oh ok makasih" at a step answers no step).
"""

from __future__ import annotations

import re

START_WORDS = {"mulai", "menu", "start", "halo", "hallo", "helo", "hai", "hi", "hello", "hey", "pagi",
               "siang", "sore", "malam", "selamat pagi", "selamat siang", "selamat sore", "selamat malam",
               "assalamualaikum", "assalamu'alaikum", "assalamualaikum wr wb", "permisi", "p", "tes", "test"}
HELP_WORDS = {"bantuan", "help", "tolong", "panduan"}
THANKS_WORDS = {"terima kasih", "terimakasih", "terimakasi", "trima kasih", "trimakasih", "trima ksh", "trma ksh",
                "trm ksh", "terima ksh", "trmksh", "trimksh", "trmkasih", "trimkasih", "makasih", "makasi", "maksih",
                "mksh", "mks", "makaseh", "trims", "tks", "thx", "thanks", "thank you", "thankyou", "thank u", "tq",
                "ty", "tengkyu", "thanks a lot", "many thanks",
                "matur nuwun", "maturnuwun", "tarimo kasih", "hatur nuhun", "syukron", "alhamdulillah"}
ACK_WORDS = {"ok", "oke", "okay", "okey", "okee", "sip", "siap", "baik", "baiklah", "noted", "mantap", "mantab",
             "paham", "oh begitu", "oh gitu", "o gitu", "iya", "ya", "y", "yes", "gak jadi", "ga jadi", "gk jadi",
             "gajadi", "nggak jadi", "ngga jadi", "enggak jadi", "tidak jadi", "ndak jadi", "indak jadi", "never mind",
             "nevermind",
             "great", "good", "nice", "cool", "awesome", "perfect", "alright", "got it", "i see", "understood",
             "mantul", "keren", "oke deh", "okelah",
             "iyo", "yo", "bana", "benar", "betul", "bener", "correct"}  # "iyo bana" had got the towing answer
FAREWELL_WORDS = {"bye", "bye bye", "byee", "dadah", "dah", "sampai jumpa", "sampai jumpa lagi", "see you", "goodbye",
                  "good bye", "wassalam", "wassalamualaikum", "cukup", "itu aja", "itu saja", "segitu aja",
                  "segitu saja", "sekian", "cukup sekian", "sekian dulu"}
# Words a greeting is made of ("selamat pagi", "assalamualaikum wr wb", "good morning").
GREETING_WORDS = {"halo", "hallo", "helo", "hello", "hai", "hi", "hey", "hei", "pagi", "siang", "sore", "malam",
                  "selamat", "assalamualaikum", "assalamu'alaikum", "asalamualaikum", "assalamu", "alaikum",
                  "assalamualaikom", "salam", "wr", "wb",
                  "warahmatullahi", "wabarakatuh", "permisi", "punten", "good", "morning", "afternoon", "evening"}
# Said as greetings: read as "halo" ("apa kabar min", "ba a kaba da").
GREETING_PHRASES = ("apa kabar", "apa kabarnya", "ba a kaba", "baa kaba", "how are you")
# An opening that announces a question without asking it ("min mau tanya", "ambo nio batanyo").
ASK_WORDS = {"tanya", "nanya", "bertanya", "nanyak", "tanyo", "batanyo", "ask", "question", "bantu", "dibantu"}
_ASK_FILLER = {"mau", "mo", "ingin", "pengen", "pgn", "numpang", "boleh", "bisa", "bs", "izin", "ijin", "dong",
               "donk", "nih", "sedikit", "dikit", "sesuatu", "saya", "sy", "aku", "ane", "gue", "gw", "ambo", "nak",
               "nio", "ado", "nan", "ada", "yang", "yg", "minta", "can", "may", "i", "have", "something", "need",
               "please", "pls", "hal", "ni"}
# An apology before the question ("maaf ganggu min") opens it too.
_APOLOGY = {"maaf", "mohon", "ganggu", "mengganggu", "sorry", "misi"}
_VOCATIVES = {"min", "admin", "kak", "pak", "bu", "bang", "mas", "mbak", "da", "uda", "uni", "ni", "nak", "dik", "dek",
              "diak", "adiak", "ajo", "mak", "bro", "sis", "gan", "bos", "boss", "mba"}
_LAUGHTER = re.compile(r"^(?:(?:wk)+w?|(?:ha)+h?|(?:he)+h?|(?:hi)+h?|lol|xixi)$")
# Words that may surround small talk without making it a question ("oke makasih banyak ya min").
_POLITE_FILLER = _VOCATIVES | {"ya", "yaa", "y", "yo", "bgt", "banget", "bngt", "ok", "oke", "sip", "siap", "baik", "banyak", "bnyk", "atas",
                               "infonya", "informasinya", "info", "bantuannya", "jawabannya", "sekali", "so",
                               "much", "very", "a", "lot", "lots", "🙏", "sudah", "udah", "udh", "sdh", "sdah",
                               "bot", "kamu", "km", "anda",  # "makasih ya bot, kamu membantu sekali"
                               "yaudah", "yaudh", "ydh", "yasudah", "ya", "oke",  # "yaudah deh, makasih ya"
                               # praise and blessings said with thanks ("sangat membantu", "semoga sehat selalu")
                               "sangat", "membantu", "bermanfaat", "helpful", "jelas", "semoga", "smg", "sehat",
                               "selalu", "sll", "slalu", "sukses", "berkah", "amin", "aamiin", "lancar", "bnyak", "byk",
                               "really", "for", "the", "help", "your", "it", "deh", "dah", "yo", "lah", "oh", "o"}
_LONGEST_FIRST = tuple(sorted([(p, "thanks") for p in THANKS_WORDS] + [(p, "bye") for p in FAREWELL_WORDS]
                             + [(p, "ack") for p in ACK_WORDS if " " in p], key=lambda pk: -len(pk[0])))
_REPEATS = re.compile(r"(.)\1{2,}")
# Asking what the bot can do: the help ("apa aja yg bisa dibantu?", "saya butuh bantuan", "what can you do").
_HELP_ASKED = re.compile(
    r"^(?:(?:min|admin|kak|pak|bu|halo|hai|hi)\s+)*"
    r"(?:apa\s+(?:(?:saja|aja|aj|sj)\s+)?(?:yang|yg)\s+bisa\s+(?:(?:kamu|anda|km)\s+)?(?:di)?(?:bantu|lakukan)|"
    r"(?:kamu|anda|km|ang|bot\s+ini|ini)?\s*bisa\s+(?:bantu\s+)?(?:apa|apo|ngapain)\s*(?:saja|aja|aj|sj|se)?|"
    r"fitur(?:nya)?\s+apa\s*(?:saja|aja)?(?:\s+(?:yang|yg)\s+ada)?|(?:saya|sy|aku|ambo)\s+(?:butuh|perlu|minta)\s+bantuan|"
    r"layanan(?:nya)?\s+apa\s+(?:saja|aja)|what\s+can\s+you\s+do|how\s+can\s+you\s+help(?:\s+me)?|"
    r"what\s+do\s+you\s+do)(?:\s+(?:min|ya|kak|dong|nih|disini|di\s+sini|here))*$")
# Emoji said instead of words: 🙏 thanks, 👍 and the like acknowledge.
_EMOJI_WORDS = {"🙏": "makasih", "👍": "ok", "👌": "ok", "✅": "ok", "⭐": "ok", "😊": "ok", "🙂": "ok", "👏": "ok",
                "❤": "ok", "❤️": "ok", "😍": "ok", "🥰": "ok", "😁": "ok", "😀": "ok", "🤝": "ok"}
# Asking what the bot is ("kamu siapa", "kamu robot?", "are you a bot").
_ABOUT_BOT = re.compile(
    r"^(?:(?:min|admin|halo|hai)\s+)*(?:(?:kamu|km|anda|ini|lu|lo|kau)\s+(?:siapa|robot|bot|manusia|orang|ai|asli)|"
    r"siapa\s+(?:kamu|km|anda|ini|yang\s+jawab|yang\s+(?:bikin|buat|membuat)\s+(?:kamu|km|anda|bot\s+ini))|"
    r"(?:kamu|km|anda)\s+(?:pakai|pake|pakek)\s+ai|apa\s+itu\s+tanya\s+kota|(?:are|r)\s+(?:you|u)\s+(?:a\s+)?(?:bot|robot|human|real|person|ai)|"
    r"who\s+are\s+you|(?:is\s+)?this\s+(?:a\s+)?(?:bot|robot))"
    r"(?:\s+(?:ya|sih|min|sebenarnya|sebenernya|kah|atau\s+\w+|or\s+\w+|manusia\s*kah|\w+kah|manusia|bot|robot|"
    r"asli|beneran|orang|bukan|bkn|gak|ga|nggak|tidak|not))*$")
# Asking which languages the bot speaks ("bisa bahasa inggris?", "do you speak english", "bisa bahasa minang?").
_LANGUAGE = re.compile(
    r"^(?:(?:min|admin|halo|hai|hi|hello)\s+)*(?:(?:kamu|km|anda|bot)\s+)?(?:bisa|bs|can\s+you|do\s+you|could\s+you)\s+"
    r"(?:pakai\s+|pake\s+|speak\s+|use\s+|understand\s+|ngerti\s+|jawab\s+)?(?:bahasa\s+|basa\s+)?"
    r"(?:inggris|english|minang|minangkabau|indonesia|indonesian)(?:\s+(?:ga|gak|nggak|tidak|ya|kah|min|nggak\s+sih))*$")
# Calling the bot names ("kamu bodoh ya", "bot payah"): an apology and a way forward, not "I don't know".
_INSULT = (r"(?:bodoh|bego|goblok|tolol|dungu|payah|gak\s+guna|ga\s+guna|tidak\s+berguna|gak\s+berguna|useless|stupid|"
           r"idiot|anjing|anjir|anjrit|bangsat|kampret|bajingan|sialan|pantek|babi)")
_RUDE = re.compile(
    r"^(?:dasar\s+)?(?:(?:kamu|km|lu|lo|loe|elu|bot|u|you|admin|min|ang|kau)\s+){0,2}(?:(?:ini|ko)\s+)?"
    r"(?:(?:anjing|bangsat|kampret|sialan|pantek)\s+)?(?:(?:lu|lo|kamu|ang)\s+)?" + _INSULT +  # "kamu bot bodoh anjing"
    r"(?:\s+(?:ya|banget|bgt|sekali|sih|lu|kamu|km|deh|lah|amat|bener|bana|bot|lo|kau|ang|" + _INSULT[3:-1] + r"))*$")
# Leaving the flow in words ("gak jadi deh", "ga jadi lapor", "cancel"), with fillers around.
CANCEL_WORDS = {"batal", "batalkan", "batalin", "cancel", "stop", "berhenti", "udahan", "keluar", "exit",
                "gak jadi", "ga jadi", "gk jadi", "gajadi", "g jadi", "nggak jadi", "ngga jadi", "enggak jadi",
                "tidak jadi", "tdk jadi", "ndak jadi", "indak jadi", "ga jd", "gak jd", "gk jd", "never mind",
                "nevermind", "ga usah", "gak usah", "gk usah", "gausah", "nggak usah", "ngga usah", "enggak usah",
                "tidak usah", "tdk usah", "ndak usah", "indak usah", "jangan dikirim", "jangan kirim", "lupakan",
                "lupakan saja", "sudahlah", "hapus", "hapus saja", "cancel it", "forget it"}
_CANCEL_FILLER = {"eh", "deh", "aja", "ah", "dulu", "saja", "sj", "aj", "lah", "dong", "sorry", "maaf", "nanti",
                  "nnti", "lapor", "laporan", "laporannya", "lapornya", "pengaduan", "pengaduannya", "report",
                  "it", "this", "i", "the", "saya", "sy", "aku", "yuk", "please", "pls", "kok", "ajalah", "oh",
                  "kirim", "dikirim", "mending", "mau", "ini", "itu", "tersebut",
                  "gitu", "gt", "gtu", "begitu", "kalau", "klo", "kalo"}  # "oh gt, ok batal aja"
_SMALL_TALK_WORDS = 8  # longer messages are questions, however polite


def plain_words(text: str) -> str:
    """Return the message lower-cased, without commas, full stops and exclamation marks, spaced once."""
    return " ".join(text.lower().replace(",", " ").replace("!", " ").replace(".", " ").split())


_CANCEL_LONGEST_FIRST = tuple(sorted(CANCEL_WORDS, key=len, reverse=True))


def is_cancel(text: str) -> bool:
    """Tell whether a message only says to stop what is going on ("eh gak jadi deh", "cancel")."""
    phrase = " " + plain_words(text).replace("?", " ") + " "
    if len(phrase.split()) > _SMALL_TALK_WORDS:
        return False
    found = False
    for word in _CANCEL_LONGEST_FIRST:  # every cancel word goes ("ga jadi deh, cancel aja")
        while f" {word} " in phrase:
            phrase, found = phrase.replace(f" {word} ", " ", 1), True
    return found and all(w in _CANCEL_FILLER or w in _POLITE_FILLER for w in phrase.split())


def small_talk(text: str) -> str | None:
    """Return "greeting", "ask", "help", "about" (what the bot is), "language", "rude", "thanks", "bye" or "ack" when a
    message is only that (with polite fillers and emoji), else None."""
    said = plain_words(text)
    if not said.isascii():
        for emoji, word in _EMOJI_WORDS.items():
            said = said.replace(emoji, f" {word} ")
    said = " " + _REPEATS.sub(r"\1", said.replace("?", " ")) + " "
    for greeting in GREETING_PHRASES:
        said = said.replace(f" {greeting} ", " halo ")
    words = ["ok" if _LAUGHTER.match(w) else w for w in said.split()]  # "wkwk" is an acknowledgement
    if not words or len(words) > _SMALL_TALK_WORDS:
        return None
    if _HELP_ASKED.match(" ".join(words)):
        return "help"
    if _ABOUT_BOT.match(" ".join(words)):
        return "about"
    if _LANGUAGE.match(" ".join(words)):
        return "language"
    if _RUDE.match(" ".join(words)):
        return "rude"
    opening = all(w in ASK_WORDS or w in HELP_WORDS or w in _ASK_FILLER or w in _APOLOGY or w in GREETING_WORDS
                  or w in _POLITE_FILLER for w in words)
    if opening and any(w in HELP_WORDS for w in words):  # "tolong min": the help, with the emergency numbers
        return "help"
    if opening and any(w in ASK_WORDS or w in _APOLOGY for w in words):
        return "ask"
    if all(w in GREETING_WORDS or w in _POLITE_FILLER for w in words) and (
            any(w in GREETING_WORDS for w in words) or all(w in _VOCATIVES for w in words)):  # "halo min", "min"
        return "greeting"
    phrase = " ".join(words)
    for kind, phrases in (("thanks", THANKS_WORDS), ("bye", FAREWELL_WORDS), ("ack", ACK_WORDS)):
        if phrase in phrases:
            return kind
    for part, kind in _LONGEST_FIRST:  # thanks, a farewell or "gak jadi" wrapped in fillers ("udah itu aja min")
        if f" {part} " in f" {phrase} ":
            rest = f" {phrase} ".replace(f" {part} ", " ").split()
            if all(w in _POLITE_FILLER or w in ACK_WORDS or (kind == "thanks" and w in THANKS_WORDS) for w in rest):
                return kind
    if all(w in _POLITE_FILLER or w in ACK_WORDS for w in words):
        return "ack"
    return _thanks_and_bye(phrase)


def _thanks_and_bye(phrase: str) -> str | None:
    """Return "bye" for thanks and a farewell together ("thanks, bye", "makasih ya, dadah"), "thanks" for thanks
    with a "never mind" ("indak jadi, tarimo kasih")."""
    rest, kinds = f" {phrase} ", set()
    for part, kind in _LONGEST_FIRST:
        if f" {part} " in rest:
            rest = rest.replace(f" {part} ", " ")
            kinds.add(kind)
    if not all(w in _POLITE_FILLER or w in ACK_WORDS for w in rest.split()):
        return None
    return "bye" if "bye" in kinds else "thanks" if "thanks" in kinds else None
