"""The outbox's WhatsApp sender: free-form inside the 24-hour window, an approved template outside it.

WhatsApp lets a business send free-form messages only within 24 hours of the resident's last
message (`ResidentRow.last_inbound_at`). Outside that window a notification goes as the
template configured for its kind (status updates: WHATSAPP_TEMPLATE_STATUS in
WHATSAPP_TEMPLATE_LANG, parameters ticket, status label, officer's note). With no template for
the kind, or a template Meta refuses for good, the outbox row fails with the reason
"outside 24-hour window", which the admin page shows as "the resident could not be reached".
A free-form send Meta refuses with 131047 (its clock and ours disagree) falls back to the template
the same way; when 131047 arrives later in a `failed` status webhook, the channel queues the
template (`force_template` in the payload).

Pacing (read by the DeliveryWorker): `rate` = the number's throughput (80/s by default);
`per_recipient_interval` = 1 s. Meta's pair limit is about one message per 6 s sustained to one
resident but allows short bursts; our notifications to one resident are few, so 1 s keeps a
turn's deferred replies quick, and a 131056 answer backs off 6 s.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import select

from bot.channels.whatsapp_client import GraphClient, OutsideWindow, classify
from bot.channels.whatsapp_inbound import CHANNEL
from bot.channels.whatsapp_render import render_safely, template_body, template_param
from bot.delivery import PermanentFailure, RetryLater
from knowledge.records.db import Database
from knowledge.records.models import ResidentRow, utcnow
from handlers.messages import reply_from_payload

log = logging.getLogger(__name__)

OUTSIDE_WINDOW = "outside 24-hour window"
WINDOW = dt.timedelta(hours=24)
WINDOW_MARGIN = dt.timedelta(minutes=10)  # our clock and the time we stored the message may lag Meta's


class WhatsAppSender:
    """Send outbox messages to WhatsApp residents (recipient = the resident's external id)."""

    channel = CHANNEL

    def __init__(self, client: GraphClient, db: Database, *, templates: Mapping[str, str | None],
                 language: str = "id", rate: float = 80.0, per_recipient_interval: float = 1.0,
                 now: Callable[[], dt.datetime] = utcnow):
        self.client = client
        self.db = db
        self.templates = dict(templates)  # notification kind -> approved template name
        self.language = language
        self.rate = rate
        self.per_recipient_interval = per_recipient_interval
        self.now = now

    async def send(self, recipient: str, payload: dict[str, Any], *, first_part: int = 0) -> str | None:
        """Send one outbox message from part `first_part` on; return the wamid of its last part."""
        if not payload.get("force_template") and await self.within_window(recipient):
            try:
                return await self._send_free_form(recipient, payload, first_part)
            except OutsideWindow as exc:
                log.info("free-form message refused outside the window (%s); trying the template", exc.reason)
        return await self._send_template(recipient, payload)

    async def within_window(self, recipient: str) -> bool:
        """Return True when the resident wrote within the last 24 hours (minus a safety margin)."""
        async with self.db.session() as session:
            last = await session.scalar(select(ResidentRow.last_inbound_at).where(
                ResidentRow.channel == CHANNEL, ResidentRow.external_id == recipient))
        return last is not None and self.now() - last < WINDOW - WINDOW_MARGIN

    def template_for(self, payload: dict[str, Any]) -> str | None:
        """Return the template name for a notification, or None when it has none."""
        if not isinstance(payload.get("template"), dict):
            return None
        return self.templates.get(str(payload.get("kind") or ""))

    def template_message(self, name: str, payload: dict[str, Any]) -> dict[str, Any]:
        """Return the template body for a status notification: ticket, status label, note."""
        template = payload["template"]
        params = list(template.get("params") or [])
        ticket, label = (params + ["", ""])[:2]
        if not ticket or not label:
            raise PermanentFailure(f"{OUTSIDE_WINDOW}: the notification lacks the ticket or status for the template")
        return template_body(name, self.language,
                             [template_param(ticket), template_param(label), template_param(template.get("note"))])

    async def _send_free_form(self, recipient: str, payload: dict[str, Any], first_part: int) -> str | None:
        wamid = None
        bodies = render_safely(reply_from_payload(payload))
        for number, body in enumerate(bodies[first_part:], start=first_part):
            try:
                wamid = await self.client.send(recipient, body)
            except Exception as exc:  # noqa: BLE001 - every failure is classified for the worker
                decision = classify(exc)
                if isinstance(decision, RetryLater):
                    decision.parts_sent = number  # the retry resumes here, not at the first part
                raise decision from exc
        return wamid

    async def _send_template(self, recipient: str, payload: dict[str, Any]) -> str:
        name = self.template_for(payload)
        if name is None:
            raise PermanentFailure(f"{OUTSIDE_WINDOW}: no approved template for this message")
        body = self.template_message(name, payload)
        try:
            return await self.client.send(recipient, body)
        except Exception as exc:  # noqa: BLE001
            decision = classify(exc)
            if isinstance(decision, RetryLater):
                raise decision from exc
            raise PermanentFailure(f"{OUTSIDE_WINDOW}: template {name!r} refused: {decision.reason}") from exc
