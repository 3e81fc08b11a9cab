"""The conversation core's entry point: one InboundMessage in, the replies out.

`Dispatcher.handle` runs a resident's turns one at a time (a lock per resident, held only
while someone uses it) and different residents concurrently; floods are rate-limited per
resident; any exception becomes an apology and a log line with the traceback, never a crash.

With several instances on one database, a turn also holds the resident's lease
(knowledge.records.leases), so two instances never run the same resident's turns at once.

A turn: load the resident's state (own short transaction, shared with the turns starting at
the same moment), resolve a typed option ("2", "Ya, benar") against the options offered last,
ask each feature in order until one answers, then write the resident, the analytics events and
the state: in the feature's transaction if it used the session, else by group commit with the
turns ending at the same moment (handlers.commit). Either way, before the replies go out. A
message that comes with a `Claim` has its exactly-once record written in that same commit; a turn
on a message handled before is dropped (rolled back, no replies).
Features are registered below, one line each.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import logging
import time
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from handlers import complaint, complaint_filed, complaint_flow, faq, feedback, start, status, texts
from handlers.commit import TurnCommitter, TurnWrite, note_committed, supports_group_commit
from handlers.context import Feature, Services, Turn, text_to_match
from handlers.messages import InboundMessage, Option, Reply, pick_label, pick_option, reply_to_payload
from handlers.ratelimit import RateLimiter, Verdict
from knowledge.records.leases import ResidentLeases
from knowledge.records.residents import ResidentTouch

log = logging.getLogger(__name__)

FEATURES: tuple[Feature, ...] = (
    feedback.rating,  # a complaint's 1–5 rating, asked by a notification: whatever the resident was doing
    complaint_filed.filed_again,  # right after filing: "ya" again gets the ticket, "how long?" the deadline
    start.handle,  # /start, /bantuan, /batal, greetings, menu
    complaint.handle,  # /lapor and every step of its flow
    status.handle,  # /status and /status TICKET
    feedback.handle,  # 👍/👎 and 1–5 ratings
    faq.handle,  # everything else is a question
)


@dataclass(frozen=True)
class TurnStats:
    """What the metrics observer learns about each turn."""

    channel: str
    kind: str
    outcome: str | None
    seconds: float


class Dispatcher:
    """Route each resident message to the feature that handles it."""

    def __init__(self, services: Services, features: Sequence[Feature] | None = None, *,
                 rate_limit_per_minute: int = 30, observer: Callable[[TurnStats], None] | None = None,
                 leases: ResidentLeases | None = None):
        self.services = services
        self.leases = leases  # None: this instance is the only one handling turns
        self.features = tuple(features) if features is not None else FEATURES
        self.limiter = RateLimiter(rate_limit_per_minute)
        self.observer = observer
        # A lock lives as long as a turn holds or awaits it, so the dict never outgrows the traffic.
        self._locks: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()
        self._active = 0
        self._idle = asyncio.Event()
        self._idle.set()
        self._committer = TurnCommitter(services)

    @property
    def in_flight(self) -> int:
        return self._active

    async def drain(self, timeout: float = 10.0) -> bool:
        """Wait until no turn is running (at most `timeout` s); return True when idle."""
        try:
            await asyncio.wait_for(self._idle.wait(), timeout)
            return True
        except TimeoutError:
            log.warning("%d turn(s) still running at shutdown", self._active)
            return False

    async def handle(self, msg: InboundMessage) -> list[Reply]:
        """Handle one resident message and return the replies to send (possibly none)."""
        started = time.perf_counter()
        key = f"{msg.channel}:{msg.user_id}"
        verdict = self.limiter.check(key)
        if verdict is not Verdict.ALLOW:
            log.info("rate limit for a %s resident (%s)", msg.channel, verdict.value)
            self._observe(msg.channel, "other", "rate_limited", started)
            return [Reply(texts.RATE_LIMITED)] if verdict is Verdict.WARN else []
        self._active += 1
        self._idle.clear()
        try:
            lock = self._locks.get(key)
            if lock is None:
                lock = self._locks[key] = asyncio.Lock()
            async with lock, (self.leases.hold(key) if self.leases else contextlib.nullcontext()):
                return await self._turn(msg, key, started)
        except Exception:
            log.exception("turn failed for a %s resident", msg.channel)
            self._observe(msg.channel, "other", "error", started)
            return [Reply(texts.APOLOGY)]
        finally:
            self._active -= 1
            if not self._active:
                self._idle.set()

    async def _turn(self, msg: InboundMessage, key: str, started: float) -> list[Reply]:
        services = self.services
        try:
            await services.live.refresh()
        except Exception:  # a failed reload keeps the last good knowledge base
            log.exception("knowledge reload failed; answering with the previous one")
        saved = await services.state.get(key)
        state: dict[str, Any] = copy.deepcopy(saved) if saved else {}
        text, truncated = text_to_match(msg.text or "")
        choice = msg.option
        offered = [Option(label, value) for label, value in state.get("options", [])]
        earlier = [Option(label, value) for label, value in state.get("earlier_options", [])]
        if choice is None and text and (offered or earlier):
            # a number picks from the last list; a label from any list of the last turn (a did-you-mean
            # shown above a complaint's step: its label is a choice, not the place of the complaint)
            picked = pick_option(text, offered) or pick_label(text, earlier)
            choice = picked.value if picked else None
        async with services.db.session() as session:
            kb, matcher, router = _knowledge(services.live)
            turn = Turn(msg=msg, services=services, session=session, state=state, kb=kb, matcher=matcher,
                        router=router, text=text, truncated=truncated, choice=choice, first_contact=saved is None)
            try:
                replies = await self._route(turn)
            except Exception:
                log.exception("feature failed for a %s resident", msg.channel)
                await session.rollback()
                turn._resident = None
                state = turn.state = copy.deepcopy(saved) if saved else {}  # let them retry the step
                turn.events = [{"kind": "other", "outcome": "error"}]
                replies = [Reply(texts.APOLOGY, options=texts.MENU)]
            # The answer follows the welcome, no menu; in an emergency there is no welcome (it came between the
            # numbers and the advice: the seventeenth QA pass).
            if turn.first_contact and not state.get("greeted") and not (replies and replies[0].kind == "emergency"):
                replies.insert(0, Reply(texts.greeting(turn.kb.city, menu=False)))
            state["greeted"] = True
            _remember_options(state, replies)
            latency_ms = round((time.perf_counter() - started) * 1000.0, 2)
            events = [services.events.values(channel=msg.channel, external_id=msg.user_id, latency_ms=latency_ms,
                                             **event) for event in turn.events or [{"kind": "other", "outcome": "none"}]]
            changed = state != (saved or {})
            if msg.claim is not None:  # kept with the record until the channel has sent them
                msg.claim.payload = {"user": msg.user_id, "replies": [reply_to_payload(r) for r in replies]}
            grouped = supports_group_commit(services) and not _used(session, turn)
            if not grouped:  # a feature wrote already: finish its transaction with the turn's writes
                await turn.resident()
                await services.events.insert_many(session, events)
                save_in = getattr(services.state, "set_in", None)
                saved_in = changed and save_in is not None
                if saved_in:  # one commit per turn instead of two
                    await save_in(session, key, state)
                    changed = False
                if not await self._committer.claim_in(session, msg.claim):
                    await session.rollback()
                    return _dropped(msg)
                try:
                    await session.commit()
                except BaseException:
                    if msg.claim is not None:
                        msg.claim.new = None  # rolled back: not recorded
                    raise
                if saved_in:
                    note_committed(services.state, [(key, state)])
        if grouped:
            # The common case (a question wrote nothing yet): its writes join those of the turns
            # ending now, in one transaction; this returns once they are committed.
            await self._committer.commit(TurnWrite(
                ResidentTouch(msg.channel, msg.user_id, msg.display_name, msg.phone), tuple(events),
                (key, state) if changed else None, msg.claim))
            if msg.claim is not None and not msg.claim.new:
                return _dropped(msg)
        elif changed:
            await services.state.set(key, state)
        main = turn.events[0] if turn.events else {"kind": "other", "outcome": "none"}
        self._observe(msg.channel, main["kind"], main.get("outcome"), started)
        return replies

    async def _route(self, turn: Turn) -> list[Reply]:
        before: list[Reply] = []
        if turn.msg.unsupported == "photo":  # a photo the channel could not receive: say so
            before = [Reply(texts.PHOTO_FAILED)]
            if not turn.text:
                turn.record("other", "photo_failed")
                if turn.state.get("flow") == "lapor":
                    return before + complaint_flow.ask_current(turn)
                return before + [Reply(texts.PHOTO_FAILED_NEXT, options=texts.MENU)]
            turn.msg = replace(turn.msg, unsupported=None)  # its caption is read as a message of its own
        for feature in self.features:
            replies = await feature(turn)
            if replies is not None:
                return before + list(replies)
        return before + [Reply(texts.NOT_UNDERSTOOD, options=texts.MENU)]

    def _observe(self, channel: str, kind: str, outcome: str | None, started: float) -> None:
        if self.observer is None:
            return
        try:
            self.observer(TurnStats(channel, kind, outcome, time.perf_counter() - started))
        except Exception:  # metrics must never break a conversation
            log.exception("metrics observer failed")


def _knowledge(live: Any) -> tuple[Any, Any, Any]:
    """Return one consistent (kb, matcher, router) for a whole turn, even if a reload swaps them meanwhile."""
    snapshot = getattr(live, "snapshot", None)
    if snapshot is None:  # a store without snapshots (e.g. a test double)
        return live.kb, live.matcher, live.router
    current = snapshot()
    return current.kb, current.matcher, current.router


def _dropped(msg: InboundMessage) -> list[Reply]:
    """The outcome of a turn on a message handled before: nothing written, nothing to send."""
    log.info("%s message %s was handled before; this turn is dropped", msg.channel, msg.message_id)
    return []


def _used(session: Any, turn: Turn) -> bool:
    """Return True when a feature already used the turn's session (then the turn commits its own)."""
    return (turn._resident is not None or session.in_transaction()
            or bool(session.new or session.dirty or session.deleted))


def _remember_options(state: dict[str, Any], replies: list[Reply]) -> None:
    """Keep the last offered options so a typed number or label can select one next turn, and the options of
    the turn's other replies for their labels."""
    with_options = [r for r in replies if r.options]
    for key, lists in (("options", with_options[-1:]), ("earlier_options", with_options[:-1])):
        kept = [[o.label, o.value] for r in lists for o in r.options]
        if kept:
            state[key] = kept
        else:
            state.pop(key, None)
