"""Send rendered messages through the Bot API, and the outbox's Telegram sender.

`send_rendered` is shared by direct replies and the outbox. `TelegramSender` plugs into the
core's `DeliveryWorker` (bot/delivery.py): Telegram's answers are translated into the worker's
vocabulary — 429 RetryAfter becomes `RetryLater(retry_after)`, network errors, timeouts and 5xx
become `RetryLater(None)` (the outbox backs off), a blocked bot or a missing chat becomes
`PermanentFailure`, so it is not retried forever.

The worker paces by the sender's `rate` and `per_recipient_interval`: Telegram allows about 30
messages/s overall, 1 per second per chat and 20 per minute in a group (one per 3 seconds).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import re
import warnings
from pathlib import Path
from typing import Any

from telegram import Bot, InputFile
from telegram.constants import ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden, InvalidToken, NetworkError, RetryAfter, TelegramError
from telegram.warnings import PTBUserWarning

from bot.channels.telegram_notify import payload_reply
from bot.channels.telegram_render import Outgoing, render
from bot.delivery import PermanentFailure, RetryLater

log = logging.getLogger(__name__)

# Answers name websites; their previews would bury the text. (LinkPreviewOptions as JSON: PTB's object
# would be converted on every message.)
NO_PREVIEW = {"is_disabled": True}
GROUP_INTERVAL = 3.0  # seconds between messages to one group: Telegram allows 20 per minute
# BadRequest descriptions that mean the message can never be delivered to this chat.
_GONE = ("chat not found", "user is deactivated", "bot was kicked", "not enough rights", "have no rights",
         "chat_write_forbidden", "peer_id_invalid", "group chat was upgraded")


def quiet_raw_sends() -> None:
    """Silence PTB's advice to use `send_message` for `send_rendered`'s raw calls (a warning per process)."""
    warnings.filterwarnings("ignore", message=r"Please use 'Bot\.sendMessage'", category=PTBUserWarning,
                            module=re.escape(__name__))


async def send_rendered(bot: Bot, chat_id: int | str, out: Outgoing) -> int:
    """Make one Bot API call for a rendered message; return the sent message's id.

    Text goes through `do_api_request`, which leaves Telegram's answer as JSON: nothing here reads
    more of it than the id, and turning it into a `Message` cost a fifth of a question's turn
    (PTB's warning about it is silenced by `quiet_raw_sends`).
    """
    if out.method == "sendPhoto" and out.photo is not None:
        data = await asyncio.to_thread(out.photo.read_bytes)
        message = await bot.send_photo(chat_id, InputFile(data, filename=out.photo.name),
                                       caption=out.text or None, parse_mode=ParseMode.HTML, reply_markup=out.markup)
        return message.message_id
    params: dict[str, Any] = {"chat_id": chat_id, "text": out.text, "parse_mode": ParseMode.HTML,
                              "link_preview_options": NO_PREVIEW}
    if out.markup is not None:
        params["reply_markup"] = out.markup_json if out.markup_json is not None else out.markup
    sent = await bot.do_api_request("sendMessage", params)
    return int(sent["message_id"])


def retry_after_seconds(exc: RetryAfter) -> float:
    """Return RetryAfter's wait in seconds (PTB 22 moves it from int to timedelta)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value = exc.retry_after
    return value.total_seconds() if isinstance(value, dt.timedelta) else float(value)


def classify(exc: TelegramError) -> RetryLater | PermanentFailure:
    """Translate a Bot API error into the delivery worker's retry-or-give-up decision."""
    if isinstance(exc, RetryAfter):
        return RetryLater(retry_after_seconds(exc), f"Telegram flood control: {exc}")
    if isinstance(exc, Forbidden):
        return PermanentFailure(f"forbidden: {exc.message}")
    if isinstance(exc, ChatMigrated):
        return PermanentFailure(f"group moved to chat id {exc.new_chat_id}; update the OPD's group id")
    if isinstance(exc, BadRequest):
        # A malformed message or a vanished chat will not get better by retrying.
        gone = any(g in exc.message.lower() for g in _GONE)
        return PermanentFailure(("chat unreachable: " if gone else "rejected: ") + exc.message)
    if isinstance(exc, InvalidToken):
        return RetryLater(None, "invalid bot token (check TELEGRAM_BOT_TOKEN)")
    if isinstance(exc, NetworkError):  # includes TimedOut and 5xx answers
        return RetryLater(None, f"network: {exc.message}")
    return RetryLater(None, f"telegram: {exc}")


class TelegramSender:
    """The outbox's sender for channel "telegram"; recipients are chat ids.

    `rate` and `per_recipient_interval` tell the DeliveryWorker Telegram's limits: about 30
    messages/s overall, 1/s per chat and 20/min per group (a group's chat id is negative).
    """

    channel = "telegram"
    rate = 30.0

    def __init__(self, bot: Bot, media_dir: Path, ready: asyncio.Event, stopped: asyncio.Event | None = None, *,
                 ready_timeout: float = 10.0) -> None:
        self.bot = bot
        self.media_dir = media_dir
        quiet_raw_sends()
        self.ready = ready  # set while the bot is connected
        self.stopped = stopped or asyncio.Event()  # set once the channel shuts down
        self.ready_timeout = ready_timeout

    @staticmethod
    def per_recipient_interval(recipient: str) -> float:
        """Return the seconds between two messages to one chat."""
        return GROUP_INTERVAL if recipient.startswith("-") else 1.0

    async def send(self, recipient: str, payload: dict[str, Any], *, first_part: int = 0) -> str | None:
        """Send one outbox message (possibly several Bot API calls) from part `first_part`; return the last id.

        A retryable failure part-way says how many parts went out, so the retry does not repeat them.
        """
        if not self.ready.is_set():
            await self._wait_ready()
        parts = render(payload_reply(payload), self.media_dir)
        message_id: str | None = None
        for number, out in enumerate(parts[first_part:], start=first_part):
            try:
                sent_id = await send_rendered(self.bot, recipient, out)
            except TelegramError as exc:
                decision = classify(exc)
                if isinstance(decision, RetryLater):
                    decision.parts_sent = number
                raise decision from exc
            message_id = str(sent_id)
        return message_id

    async def _wait_ready(self) -> None:
        """Wait for the bot to connect (the worker may start first); give up at once if it stopped."""
        waits = [asyncio.ensure_future(self.ready.wait()), asyncio.ensure_future(self.stopped.wait())]
        try:
            await asyncio.wait(waits, timeout=self.ready_timeout, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for w in waits:
                w.cancel()
        if not self.ready.is_set():
            raise RetryLater(None, "Telegram bot not connected")
