"""What a conversation turn works with: the services (built once) and the turn itself.

Events recorded per turn (EventRow.kind / outcome), for the dashboard and the admin page:
- "question": outcome "answer" | "suggest" | "abstain"; faq_key, opd, score, answered, masked text.
- "unanswered": the masked text of a question the bot could not answer (abstain, or "Bukan semuanya").
- "choice": outcome "faq" (a did-you-mean choice; faq_key) or "none" ("Bukan semuanya").
- "feedback": outcome "up" | "down"; faq_key and the masked question text it answered.
- "rating": outcome "1".."5"; data {"ticket"}.
- "complaint_step": outcome = the step reached (describe, route, opd, category, location, photo,
  name, confirm, filed); opd when known.
- "command": outcome = the command (start, bantuan, batal, status, ...).
- "other": outcome "unsupported" | "unreadable" | "rate_limited" | "error".
Every event carries channel, the pseudonymous resident id and the turn's latency.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from handlers.intents import (about_complaints, asks_status_plainly, is_question, registers, softened_only,
                              typed_command)
from handlers.messages import InboundMessage, Reply
from knowledge.kb import KnowledgeBase
from knowledge.places import Places

if TYPE_CHECKING:  # imported for types only; the services are passed in
    from sqlalchemy.ext.asyncio import AsyncSession

    from handlers.state import StateStore
    from knowledge.records.complaints import ComplaintService
    from knowledge.records.db import Database
    from knowledge.records.events import EventRecorder
    from knowledge.records.live import LiveKnowledge
    from knowledge.records.models import ResidentRow
    from knowledge.records.outbox import Outbox

MAX_MATCH_CHARS = 1000  # longer texts are cut before matching (the resident is told)
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # Unicode's control characters (Cc) but newline and tab


def clean_text(raw: str, limit: int = MAX_MATCH_CHARS) -> tuple[str, bool]:
    """Return the text without control characters, trimmed and cut to `limit`; and whether it was cut."""
    text = _CONTROL.sub("", raw).strip()
    if len(text) > limit:
        return text[:limit], True
    return text, False


_LAST_QUESTION = re.compile(r"(?:^|[.!?\n])\s*(?P<question>[^.!?\n]{3,200}\?)\s*$")


def text_to_match(raw: str, limit: int = MAX_MATCH_CHARS) -> tuple[str, bool]:
    """Return the text a message is matched on, as `clean_text`; a long message cut to `limit` keeps the question
    it ends with ("… jalan lingkungan itu tanggung jawab siapa ya?" after 2,900 characters of story)."""
    text, cut = clean_text(raw, limit)
    if cut and (m := _LAST_QUESTION.search(_CONTROL.sub("", raw).strip())):
        question = m.group("question").strip()
        text = f"{text[:limit - len(question) - 3].rstrip()} … {question}"
    return text, cut


STATUS_WORDS_IN_FLOW = 6  # a longer message in the middle of a complaint tells more of it


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


@dataclass
class Services:
    db: Database
    live: LiveKnowledge
    complaints: ComplaintService
    outbox: Outbox
    events: EventRecorder
    state: StateStore
    media_dir: Path
    now: Callable[[], dt.datetime] = _utcnow
    places: Places = field(default_factory=lambda: Places([]))
    retention_days: int = 180  # message texts in analytics are deleted after this (settings.retention_days)


@dataclass
class Turn:
    """One resident message being handled: its input, state and the database session."""

    msg: InboundMessage
    services: Services
    session: AsyncSession
    state: dict[str, Any]  # mutable; saved after the turn
    kb: KnowledgeBase
    matcher: Any = None  # knowledge.matcher.FaqMatcher of the same snapshot as `kb`
    router: Any = None  # knowledge.router.ComplaintRouter of the same snapshot
    text: str = ""  # the message text, cleaned and cut to MAX_MATCH_CHARS
    truncated: bool = False
    choice: str | None = None  # value of the option chosen (button, or typed label/number)
    first_contact: bool = False
    events: list[dict[str, Any]] = field(default_factory=list)
    _resident: ResidentRow | None = None

    @property
    def key(self) -> str:
        return f"{self.msg.channel}:{self.msg.user_id}"

    @property
    def command(self) -> tuple[str, str] | None:
        """Return (command, argument) for a typed command or a menu option ("cmd:lapor").

        Inside a flow, a sentence that merely starts with a command word ("status jalan ini
        sudah lama rusak") is an answer to the flow, not a command; "/status" still is. Outside one,
        a command said in words counts too (handlers.intents).
        """
        if self.choice and self.choice.startswith("cmd:"):
            return self.choice[4:], ""
        command = self.msg.command
        slash = self.msg.text.lstrip().startswith("/")
        if command and command[1] and self.state.get("flow") and not slash:
            return None
        if command and command[0] == "lapor" and not slash and (is_question(command[1]) or registers(command[1])):
            return None  # "lapor kehilangan dompet ke mana?", "lapor kelahiran bayi": the FAQ answers
        if command and command[0] in ("bantuan", "batal") and not slash and not softened_only(command[1]):
            return None  # "bantuan PKH kapan cair?" asks about aid, "batal nikah" about a cancelled marriage
        if command and command[0] == "status" and not slash and not about_complaints(command[1]):
            return None  # "status kawin di KTP mau diubah" is a question, not "show my complaints"
        if command is None and self.msg.text and not self.state.get("flow"):
            return typed_command(self.msg.text)  # "mau lapor, lampu jalan mati", "Buat laporan"
        if (command is None and self.msg.text and self.state.get("step") not in (None, "describe")
                and len(self.msg.text.split()) <= STATUS_WORDS_IN_FLOW
                and asks_status_plainly(self.msg.text)):
            return "status", ""  # "cek laporan sy" at the summary: the complaints (it had been added to the story)
        return command

    async def resident(self) -> ResidentRow:
        """Return the resident's row, creating it on first contact (once per turn)."""
        if self._resident is None:
            from knowledge.records.residents import get_or_create_resident

            self._resident = await get_or_create_resident(
                self.session, self.msg.channel, self.msg.user_id, self.msg.display_name)
            if self.msg.phone and self._resident.phone != self.msg.phone:
                self._resident.phone = self.msg.phone
        return self._resident

    def record(self, kind: str, outcome: str | None = None, **fields: Any) -> None:
        """Queue an analytics event; the dispatcher writes it with the turn's latency."""
        self.events.append({"kind": kind, "outcome": outcome, **fields})


Feature = Callable[[Turn], Any]  # async (turn) -> list[Reply] | None (None: not mine)
Replies = list[Reply]
