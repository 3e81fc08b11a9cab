"""/start (also "mulai", "menu", a greeting), /bantuan and /batal — from anywhere in the conversation.

Outside a flow, small talk gets a short polite reply: it is not a question the knowledge base
failed to answer. That is a greeting ("halo min", "selamat siang pak") or an opening without the
question yet ("min mau tanya", "permisi, boleh nanya?"), answered with the welcome or an invitation
to ask; thanks ("makasih min"); an acknowledgement ("ok", "siap").
"""

from __future__ import annotations

from handlers import complaint, complaint_flow, complaint_texts, texts
from handlers.complaint_state import OPTIONAL_STEPS, clear, says_skip
from handlers.complaint_words import says_take_back
from handlers.context import Turn
from handlers.intents import opens_with_salam
from handlers.status import names_last_report
from handlers.messages import UNKNOWN_COMMAND, Reply
from handlers.smalltalk import HELP_WORDS, START_WORDS, is_cancel, plain_words, small_talk
from knowledge.records.tickets import find_city_ticket

SMALL_TALK_REPLIES = {"thanks": texts.YOU_ARE_WELCOME, "bye": texts.GOODBYE, "ack": texts.ACKNOWLEDGED,
                      "language": texts.LANGUAGES,
                      "rude": texts.SORRY_NOT_HELPFUL}


async def handle(turn: Turn) -> list[Reply] | None:
    """Show the menu, the help or cancel the current flow."""
    command = turn.command
    name = command[0] if command else None
    greeting_only = False
    typed_back = turn.choice is None and not turn.state.get("flow") and (
        plain_words(turn.text) == plain_words(texts.TAKE_BACK.label)  # the button's label typed (or a stale one)
        or (turn.state.get("set_aside") and says_take_back(turn.text)))  # "eh jadi deh, kirim yang tadi"
    if turn.choice == texts.TAKE_BACK.value or typed_back:
        return await complaint.taken_back(turn)
    if name is None and turn.text:
        word = plain_words(turn.text)
        if word in ("menu", "mulai"):  # leaves a flow too, like /start
            name = "start"
        elif turn.state.get("flow") and turn.choice is None and is_cancel(turn.text) and not (
                turn.state.get("step") in OPTIONAL_STEPS and says_skip(turn.text)):  # "ga usah" skips a photo
            name = "batal"
        elif not turn.state.get("flow"):
            name = "start" if word in START_WORDS else "bantuan" if word in HELP_WORDS else None
            kind = small_talk(turn.text) if name is None and turn.choice is None else None
            if kind == "ask" and turn.state.get("greeted"):
                turn.record("other", "small_talk", data={"type": kind})
                return [Reply(texts.ASK_PROMPT)]
            if kind in ("greeting", "ask"):  # a first "min mau tanya" gets the welcome, which invites the question
                name = "start"
            elif kind == "help":
                name = "bantuan"
            greeting_only = name == "start"
            if kind in SMALL_TALK_REPLIES:
                turn.record("other", "small_talk", data={"type": kind})
                return [Reply(SMALL_TALK_REPLIES[kind])]
            if kind == "about":
                turn.record("other", "small_talk", data={"type": kind})
                return [Reply(texts.about_bot(turn.kb.city), options=texts.MENU)]
            if name is None and turn.choice is None and is_cancel(turn.text):  # "cancel" with nothing going on
                name = "batal"
    if name == UNKNOWN_COMMAND:
        return await _unknown(turn, command[1])
    if name == "start":
        replies = _greet_again(turn) if greeting_only and turn.state.get("greeted") else _start(turn)
        if greeting_only and opens_with_salam(turn.text):
            replies[0] = Reply(f"{texts.SALAM_REPLY} {replies[0].text}", replies[0].options, kind=replies[0].kind)
        return replies
    if name == "bantuan":
        return await _help(turn)
    if name == "batal":
        if command and command[1] and find_city_ticket(command[1], turn.kb.city.code):
            return None  # "/batal PDG-AWDEKK": withdrawing that complaint (handlers.status), not the draft
        if not turn.state.get("flow") and names_last_report(turn.text):
            return None  # "batalkan laporan ini" with no draft open: the latest complaint (handlers.status)
        return _cancel(turn)
    if name == "tanya":
        turn.state.pop("flow", None)
        turn.record("command", "tanya")
        return [Reply(texts.ASK_PROMPT)]
    return None


def _start(turn: Turn) -> list[Reply]:
    """Greet the resident and show what the bot does (saying so when that drops a complaint not yet sent)."""
    dropped = clear(turn.state)
    turn.state["greeted"] = True
    turn.record("command", "start")
    return ([Reply(complaint_texts.DRAFT_DROPPED)] if dropped else []) + [
        Reply(texts.greeting(turn.kb.city), options=texts.MENU, kind="menu")]


def _greet_again(turn: Turn) -> list[Reply]:
    """Answer a "halo" from a resident who has had the welcome already: briefly, with the menu."""
    turn.record("command", "start")
    return [Reply(texts.GREET_AGAIN, options=texts.MENU, kind="menu")]


async def _help(turn: Turn) -> list[Reply]:
    """Explain the commands, with example questions and the emergency numbers."""
    turn.record("command", "bantuan")
    replies = [Reply(texts.help_text(turn.kb.city), options=() if turn.state.get("flow") else texts.MENU)]
    if turn.state.get("flow"):
        replies += await complaint_flow.reprompt(turn)
    return replies


async def _unknown(turn: Turn, name: str) -> list[Reply]:
    """Answer a slash command that is none of ours ("/xyz"), with the ones there are; a complaint's open
    step is asked again."""
    turn.record("command", UNKNOWN_COMMAND)
    in_flow = turn.state.get("flow") == "lapor"
    replies = [Reply(texts.unknown_command(name), options=() if in_flow else texts.MENU)]
    return replies + (await complaint_flow.reprompt(turn) if in_flow else [])


def _cancel(turn: Turn) -> list[Reply]:
    """Leave any flow (a complaint is set aside for a while: `complaint_flow.cancel`) and show the menu."""
    return complaint_flow.cancel(turn)
