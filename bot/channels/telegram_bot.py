"""The Telegram bot: python-telegram-bot's Application feeding the conversation core.

Every update becomes an `InboundMessage` for the core's `Dispatcher`; its replies are rendered
here (no ConversationHandler, no persistence: the state lives in the core's database).

- Exactly once: every resident's update gets a record in the `inbound` table, so one that Telegram
  delivers again (after a timeout, a restart, to another instance) is skipped.
  - Webhook: the record is written in the turn's own commit (a `Claim` the core commits with the
    turn), and Telegram gets its 200 only after that commit. A crash before it leaves nothing
    written and no 200, so Telegram delivers the update again; a turn on an update already
    recorded is dropped whole. One transaction per question instead of two. The record holds the
    turn's replies ("answered") until they are sent and it is marked done (batched, like the
    journal's); replies a crash kept from being sent go out through the outbox at the next start.
  - Polling, and replays: getUpdates confirms what it handed out at the next call, whether or not
    it was handled, so the update is recorded before it is handled (`InboundJournal`, group
    commits) and one left unfinished by a crash is replayed at the next start.
  - Either way, when no commit took the claim (a rate-limited or failed turn, an update that is not
    a turn) the channel records the update itself.
- Order and concurrency: updates run concurrently, but one chat's updates one after another
  in arrival order (`ChatOrderedProcessor`), so a slow resident never holds up the others.
- Direct replies are sent at once; if Telegram refuses for now (429, network, 5xx) the rest of
  the turn's replies go to the outbox and the delivery worker retries them.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine
from pathlib import Path
from typing import Any

from telegram import BotCommand, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest, InvalidToken, TelegramError
from telegram.ext import Application, BaseUpdateProcessor, ContextTypes, TypeHandler

from bot.channels.telegram_journal import InboundJournal
from bot.channels.telegram_render import chosen_label, render, with_keyboard_removed
from bot.channels.telegram_request import AiohttpRequest
from bot.channels.telegram_sender import classify, quiet_raw_sends, send_rendered
from bot.channels.telegram_updates import CHANNEL, MediaStore, chat_of, to_inbound
from bot.delivery import PermanentFailure, RetryLater, defer_replies
from handlers.messages import Claim, InboundMessage, Reply
from knowledge.records import inbound
from knowledge.records.db import Database
from knowledge.records.outbox import Outbox

log = logging.getLogger(__name__)

# my_chat_member: told when the bot is added to a group, so the log shows the group's chat id.
ALLOWED_UPDATES = ["message", "callback_query", "my_chat_member"]
NOOP = "noop"  # callback data of the "✅ chosen" button left after a press
COMMANDS = (
    BotCommand("start", "Mulai dan lihat menu"),
    BotCommand("bantuan", "Cara memakai bot ini"),
    BotCommand("lapor", "Buat pengaduan"),
    BotCommand("status", "Cek status pengaduan Anda"),
    BotCommand("batal", "Batalkan langkah yang sedang berjalan"),
)

Handle = Callable[[InboundMessage], Awaitable[list[Reply]]]


def file_base_url(base_url: str) -> str:
    """Derive the file-download base from the API base: ".../bot" -> ".../file/bot"."""
    head, _, tail = base_url.rstrip("/").rpartition("/")
    return f"{head}/file/{tail}"


class ChatOrderedProcessor(BaseUpdateProcessor):
    """Process updates concurrently, one chat's updates one at a time in arrival order.

    PTB starts update tasks in queue order and asyncio.Lock wakes waiters first-in first-out,
    so taking the chat's lock first thing keeps a resident's turns in order.
    """

    def __init__(self, max_concurrent_updates: int = 256) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: weakref.WeakValueDictionary[int, asyncio.Lock] = weakref.WeakValueDictionary()

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        chat = update.effective_chat if isinstance(update, Update) else None
        if chat is None:
            await coroutine
            return
        lock = self._locks.get(chat.id)
        if lock is None:
            lock = self._locks[chat.id] = asyncio.Lock()
        async with lock:
            await coroutine

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to tear down."""


class TelegramChannel:
    """Run the Telegram bot (polling or webhook) on top of the core's `handle`."""

    def __init__(self, *, token: str, base_url: str, handle: Handle, db: Database, outbox: Outbox,
                 media_dir: Path, webhook_url: str | None = None, webhook_secret: str | None = None,
                 poll_timeout: float = 30.0, replay_after: float = 120.0, concurrency: int = 256,
                 turn_claims: bool = False) -> None:
        self.handle = handle
        self.turn_claims = turn_claims  # `handle` commits a message's Claim with its turn (the core does)
        self.db = db
        self.outbox = outbox
        self.media_dir = media_dir
        self.webhook_url = webhook_url
        self.webhook_secret = webhook_secret
        self.poll_timeout = poll_timeout
        self.replay_after = replay_after
        builder = (Application.builder().token(token).base_url(base_url).base_file_url(file_base_url(base_url))
                   .concurrent_updates(ChatOrderedProcessor(concurrency))
                   .request(AiohttpRequest(connection_pool_size=64, pool_timeout=10.0))
                   .get_updates_request(AiohttpRequest(connection_pool_size=1)))
        if webhook_url:
            builder = builder.updater(None)  # our aiohttp route receives the updates
        self.application = builder.build()
        quiet_raw_sends()
        self.application.add_handler(TypeHandler(Update, self._on_update))
        self.application.add_error_handler(self._on_error)
        self.media = MediaStore(self.application.bot, media_dir)
        self.journal = InboundJournal(db, CHANNEL)
        self.ready = asyncio.Event()  # set while connected to the Bot API
        self.stopped = asyncio.Event()  # set once stop() began: the outbox sender stops waiting
        self._claimed: set[int] = set()  # update ids remembered by the webhook route, handled here
        # Webhook requests waiting for their update's turn to commit (with turn_claims), oldest first.
        self._waiting: dict[int, deque[asyncio.Future[bool]]] = {}
        self._busy = 0  # updates being handled
        self._quiet = asyncio.Event()
        self._quiet.set()

    @property
    def bot(self) -> Any:
        return self.application.bot

    # --- lifecycle -----------------------------------------------------------------------------

    async def start(self) -> None:
        """Connect to the Bot API, register commands and the webhook (or start polling)."""
        await self.application.initialize()  # getMe: fails fast on a wrong token
        self.journal.start()
        try:
            await self.bot.set_my_commands(list(COMMANDS))
        except TelegramError as exc:  # cosmetic: the bot works without its command menu
            log.warning("setMyCommands failed: %s", exc)
        if self.webhook_url:
            await self.bot.set_webhook(self.webhook_url, secret_token=self.webhook_secret,
                                       allowed_updates=ALLOWED_UPDATES, max_connections=40)
        else:
            await self.bot.delete_webhook(drop_pending_updates=False)
        await self.application.start()
        if not self.webhook_url:
            await self.application.updater.start_polling(
                poll_interval=0.0, timeout=int(self.poll_timeout), allowed_updates=ALLOWED_UPDATES,
                drop_pending_updates=False)
        self.ready.set()
        log.info("Telegram bot @%s running (%s)", self.bot.username, "webhook" if self.webhook_url else "polling")
        await self.replay()

    async def start_with_retry(self, first_delay: float = 2.0, max_delay: float = 300.0) -> None:
        """Start, retrying while the Bot API is unreachable, so the rest of the server runs meanwhile."""
        delay = first_delay
        while True:
            try:
                await self.start()
                return
            except InvalidToken:
                log.error("Telegram rejected TELEGRAM_BOT_TOKEN; the Telegram channel stays off")
                return
            except TelegramError as exc:
                log.warning("cannot reach the Telegram Bot API (%s); retrying in %.0f s", exc, delay)
                await self._shutdown_quietly()
                await asyncio.sleep(delay)
                delay = min(max_delay, delay * 2)

    async def stop(self) -> None:
        """Stop polling, finish updates in hand, and close the HTTP client."""
        self.ready.clear()
        self.stopped.set()
        app = self.application
        if app.updater is not None and app.updater.running:
            await app.updater.stop()
        if app.running:
            await app.stop()
        await self.journal.stop()
        for waiting in self._waiting.values():  # never handled: Telegram must deliver them again
            for future in waiting:
                if not future.done():
                    future.set_exception(NotHandled("the bot stopped before handling this update"))
        self._waiting.clear()
        await self._shutdown_quietly()

    async def _shutdown_quietly(self) -> None:
        try:
            await self.application.shutdown()
        except Exception:  # noqa: BLE001 - shutting down after a failed start may fail too
            log.debug("application shutdown failed", exc_info=True)

    async def replay(self) -> int:
        """Queue again updates remembered but never finished (the process died mid-turn), and send the
        replies of turns committed but never sent (it died between the commit and the replies)."""
        resent = await inbound.resend_answered(self.db, self.outbox, CHANNEL, self.replay_after)
        if resent:
            log.info("queued the unsent replies of %d Telegram update(s)", resent)
        rows = await inbound.pending(self.db, CHANNEL, self.replay_after)
        for row in rows:
            try:
                update = Update.de_json(row.payload or {}, self.bot)
            except (KeyError, TypeError, ValueError):
                update = None
            if update is None or chat_of(update) is None:
                await inbound.mark_failed(self.db, CHANNEL, row.message_id)
                continue
            self._claimed.add(update.update_id)
            await self.application.update_queue.put(update)
        if rows:
            log.info("replaying %d unfinished Telegram update(s)", len(rows))
        return len(rows)

    # --- entry points ----------------------------------------------------------------------------

    async def accept(self, data: dict[str, Any]) -> bool:
        """Take a webhook update; return once it is recorded, False when it was seen before.

        With `turn_claims` the update is recorded by its turn's commit, so this returns after that
        commit (before the replies are sent); else it is remembered first, then queued. Raises
        `NotHandled` when the bot stops before handling it.
        """
        update = Update.de_json(data, self.bot)
        resident = chat_of(update) is not None
        if resident and self.turn_claims:
            future: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
            self._waiting.setdefault(update.update_id, deque()).append(future)
            await self.application.update_queue.put(update)
            return await future
        if resident:
            # Remembered before Telegram gets its 200: a crash after that is replayed, not lost.
            if not await self.journal.remember(str(update.update_id), payload=data):
                log.info("update %s delivered again; skipped", update.update_id)
                return False
            self._claimed.add(update.update_id)
        await self.application.update_queue.put(update)
        return True

    async def _on_update(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        chat_id = chat_of(update)
        query = update.callback_query
        if chat_id is None or (query is not None and query.data == NOOP):
            if query is not None:
                await self._quietly(query.answer())
            elif update.effective_chat is not None and update.effective_chat.type != "private":
                _log_group(update)
            return
        self._busy += 1
        self._quiet.clear()
        try:
            await self._update(update, chat_id)
        finally:
            self._busy -= 1
            if not self._busy:
                self._quiet.set()

    async def _update(self, update: Update, chat_id: int) -> None:
        uid = update.update_id
        waiting = self._waiting.get(uid)
        if waiting:  # from the webhook route: the turn's commit records it
            webhook = waiting.popleft()
            if not waiting:
                del self._waiting[uid]
            try:
                await self._turn(update, chat_id, Claim(CHANNEL, str(uid)), webhook)
            except BaseException as exc:
                if not webhook.done():  # the route answers 500: Telegram delivers it again
                    webhook.set_exception(exc)
                raise
            return
        if uid in self._claimed:
            self._claimed.discard(uid)
        elif not await self.journal.remember(str(uid), payload=update.to_dict()):
            log.info("update %s delivered again; skipped", uid)
            if update.callback_query is not None:
                await self._quietly(update.callback_query.answer())
            return
        try:
            await self._turn(update, chat_id)
        finally:
            self.journal.mark_done(str(uid))

    async def _turn(self, update: Update, chat_id: int, claim: Claim | None = None,
                    webhook: asyncio.Future[bool] | None = None) -> None:
        # A button press: stop its spinner and retire the keyboard while the core thinks.
        ack = asyncio.create_task(self._acknowledge(update)) if update.callback_query is not None else None
        try:
            msg = await to_inbound(update, self.media, claim)
            replies = await self.handle(msg) if msg else []
            if claim is not None:
                if claim.new is None:  # no commit took the claim: record the update here (done below)
                    claim.new = await self.journal.remember(claim.message_id)
                if webhook is not None and not webhook.done():
                    webhook.set_result(claim.new)  # recorded: Telegram may have its 200 now
                if not claim.new:
                    log.info("update %s delivered again; skipped", claim.message_id)
                    replies = []
        finally:
            if ack is not None:
                await ack
        if msg and replies:
            await self.send_replies(str(chat_id), replies, clear_keyboard=msg.option is None)
        if claim is not None and claim.new:
            self.journal.mark_done(claim.message_id)  # sent (or queued in the outbox): its replies are not needed

    async def quiet(self) -> None:
        """Wait until no update is being handled (replies included)."""
        await self._quiet.wait()

    async def _acknowledge(self, update: Update) -> None:
        query = update.callback_query
        await self._quietly(query.answer())
        message = query.message
        markup = getattr(message, "reply_markup", None)
        if message is None or markup is None:
            return
        label = chosen_label(markup, query.data or "")
        chosen = InlineKeyboardMarkup([[InlineKeyboardButton(f"✅ {label}", callback_data=NOOP)]]) if label else None
        await self._quietly(self.bot.edit_message_reply_markup(
            chat_id=message.chat.id, message_id=message.message_id, reply_markup=chosen))

    async def _quietly(self, call: Coroutine[Any, Any, Any]) -> None:
        """Make a cosmetic Bot API call; its failure must not cost the resident their answer."""
        try:
            await call
        except BadRequest as exc:
            log.debug("cosmetic call refused: %s", exc)
        except TelegramError as exc:
            log.info("cosmetic call failed: %s", exc)

    async def _on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        log.error("error while handling a Telegram update", exc_info=context.error)

    # --- sending -------------------------------------------------------------------------------

    async def send_replies(self, chat_id: str, replies: list[Reply], *, clear_keyboard: bool = False) -> None:
        """Send a turn's replies now; hand what Telegram refuses for the moment to the outbox."""
        clear = clear_keyboard and not any(r.request == "location" for r in replies)
        for i, reply in enumerate(replies):
            outs = render(reply, self.media_dir)
            if clear:
                outs, clear = with_keyboard_removed(outs)
            try:
                for out in outs:
                    await send_rendered(self.bot, chat_id, out)
            except TelegramError as exc:
                decision = classify(exc)
                if isinstance(decision, PermanentFailure):
                    log.warning("reply to a Telegram chat dropped: %s", decision.reason)
                    return
                await self._defer(chat_id, replies[i:], decision)
                return

    async def _defer(self, chat_id: str, replies: list[Reply], why: RetryLater) -> None:
        """Queue replies Telegram could not take now; the delivery worker sends them in order."""
        await defer_replies(self.db, self.outbox, CHANNEL, chat_id, replies, why)


class NotHandled(Exception):
    """A webhook update the bot stopped before handling: Telegram must deliver it again."""


def _log_group(update: Update) -> None:
    """Say which group the bot is in: the chat id an admin needs for `opd set-telegram-group`."""
    chat = update.effective_chat
    if update.my_chat_member is not None:
        log.info("the bot is now %s in Telegram group %r (chat id %s); to post an OPD's new complaints there: "
                 "tanyakota opd set-telegram-group SLUG %s", update.my_chat_member.new_chat_member.status,
                 chat.title, chat.id, chat.id)
    else:
        log.debug("ignored a message in group chat %s", chat.id)
