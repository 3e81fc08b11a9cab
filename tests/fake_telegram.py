"""A fake Telegram Bot API server on 127.0.0.1 for tests and benchmarks.

python-telegram-bot talks HTTP to it exactly as it would to api.telegram.org: the methods the bot
uses answer with the Bot API's JSON shapes ({"ok": true, "result": ...} and the error shapes with
`error_code`, `description` and `parameters.retry_after`). Tests inject updates with `deliver()`,
which behaves like Telegram: with a webhook set it POSTs the update there with the secret header,
otherwise the update waits for `getUpdates` (long polling). Every call is recorded in `calls`, and
failures can be programmed per method with `fail()`.

It is strict where a mistake in the bot would be one in production: HTML is parsed as Telegram
does (unsupported tags or entities, unbalanced tags, too-long texts are 400 errors) and callback
data over 64 bytes is rejected.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

import aiohttp
from aiohttp import web

from tests.fake_telegram_updates import UpdateBuilder

TOKEN = "123456:TEST-fake-token"
JSON_FIELDS = {"reply_markup", "allowed_updates", "commands", "entities", "caption_entities",
               "link_preview_options", "reply_parameters", "scope"}
HTML_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre",
             "tg-spoiler", "span", "blockquote", "tg-emoji"}
HTML_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    files: dict[str, bytes] = field(default_factory=dict)
    at: float = field(default_factory=time.perf_counter)
    status: int = 200


@dataclass
class _Failure:
    status: int
    description: str
    retry_after: int | None
    times: int
    chat_id: str | None
    after: int = 0  # matching calls that succeed before the failures start


class _TelegramHtml(HTMLParser):
    """Parse text the way Telegram's HTML parse mode does; collect the visible text or an error."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.visible: list[str] = []
        self.stack: list[str] = []
        self.error: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in HTML_TAGS:
            self.error = self.error or f'Unsupported start tag "{tag}"'
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.error = self.error or f'Unmatched end tag "{tag}"'
        else:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if "<" in data or ">" in data:
            self.error = self.error or "Unexpected < or > in text; escape it"
        self.visible.append(data)

    def handle_entityref(self, name: str) -> None:
        if name not in HTML_ENTITIES:
            self.error = self.error or f'Unsupported HTML entity "&{name};"'
        self.visible.append(HTML_ENTITIES.get(name, "?"))

    def handle_charref(self, name: str) -> None:
        code = int(name[1:], 16) if name[:1] in "xX" else int(name)
        self.visible.append(chr(code))


def visible_text(text: str, parse_mode: str | None) -> tuple[str, str | None]:
    """Return (visible text, parse error) for a text sent with a parse mode."""
    if parse_mode != "HTML":
        return text, None
    parser = _TelegramHtml()
    parser.feed(text)
    parser.close()
    if parser.stack and not parser.error:
        parser.error = f'Can\'t find end tag corresponding to start tag "{parser.stack[-1]}"'
    return "".join(parser.visible), parser.error


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


class ApiError(Exception):
    def __init__(self, status: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status, self.description, self.retry_after = status, description, retry_after


class FakeTelegram(UpdateBuilder):
    """The fake Bot API: start() it, point the bot at `base_url`, deliver updates, inspect `calls`."""

    def __init__(self, token: str = TOKEN, *, username: str = "TanyaKotaTestBot") -> None:
        self.token = token
        self.bot_user = {"id": int(token.split(":")[0]), "is_bot": True, "first_name": "Tanya Kota",
                         "username": username, "can_join_groups": True,
                         "can_read_all_group_messages": False, "supports_inline_queries": False}
        self.calls: list[Call] = []
        self.webhook: dict[str, Any] | None = None
        self.commands: list[dict[str, Any]] = []
        self.blocked: set[str] = set()  # chats where the bot is blocked (403)
        self.latency = 0.0  # seconds every method waits before answering
        self.files: dict[str, tuple[str, bytes]] = {}  # file_id -> (file_path, content)
        self.messages: dict[tuple[str, int], dict[str, Any]] = {}  # messages the bot sent
        self.listeners: list[Callable[[Call], None]] = []
        self._failures: dict[str, list[_Failure]] = {}
        self._pending: list[dict[str, Any]] = []  # updates waiting for getUpdates
        self._arrived = asyncio.Condition()
        self._ignore_offset_once = False
        self._update_ids = itertools.count(1000)
        self._message_ids = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self._client: aiohttp.ClientSession | None = None
        self.port = 0

    # --- lifecycle ---------------------------------------------------------------------------

    async def start(self) -> FakeTelegram:
        app = web.Application(client_max_size=50 * 2**20)
        app.router.add_route("*", "/bot{token}/{method}", self._api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._download)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self._client = aiohttp.ClientSession()
        return self

    async def close(self) -> None:
        async with self._arrived:
            self._arrived.notify_all()
        if self._client:
            await self._client.close()
        if self._runner:
            await self._runner.cleanup()

    @property
    def base_url(self) -> str:
        """The value for TELEGRAM_API_BASE_URL (the token is appended by the bot)."""
        return f"http://127.0.0.1:{self.port}/bot"

    # --- programming failures ----------------------------------------------------------------

    def fail(self, method: str, status: int = 500, *, description: str | None = None,
             retry_after: int | None = None, times: int = 1, chat_id: int | str | None = None,
             after: int = 0) -> None:
        """Make `times` calls of a method (optionally to one chat) fail like the Bot API, after `after` succeed."""
        if description is None:
            description = {429: f"Too Many Requests: retry after {retry_after or 1}",
                           403: "Forbidden: bot was blocked by the user",
                           400: "Bad Request: chat not found",
                           502: "Bad Gateway"}.get(status, "Internal Server Error")
        if status == 429 and retry_after is None:
            retry_after = 1
        chat = None if chat_id is None else str(chat_id)
        self._failures.setdefault(method, []).append(_Failure(status, description, retry_after, times, chat, after))

    def clear_failures(self) -> None:
        """Forget programmed failures and blocked chats: the Bot API is healthy again."""
        self._failures.clear()
        self.blocked.clear()

    # --- delivering updates (built with the methods of UpdateBuilder) ----------------------

    async def deliver(self, update: dict[str, Any], *, secret: str | None = None) -> int:
        """Hand an update to the bot as Telegram would; return the webhook's HTTP status (200 when queued).

        `secret` overrides the header sent to the webhook ("" sends none) for authenticity tests.
        """
        if self.webhook:
            assert self._client is not None
            token = self.webhook.get("secret_token") if secret is None else secret
            headers = {"X-Telegram-Bot-Api-Secret-Token": token} if token else {}
            async with self._client.post(self.webhook["url"], json=update, headers=headers) as resp:
                return resp.status
        async with self._arrived:
            self._pending.append(update)
            self._arrived.notify_all()
        return 200

    def unconfirm(self) -> None:
        """Let the next getUpdates return updates again whatever its offset (an unconfirmed batch)."""
        self._ignore_offset_once = True

    # --- inspecting calls --------------------------------------------------------------------

    def sent(self, chat_id: int | str | None = None, method: str | None = None) -> list[Call]:
        """Return successful sendMessage/sendPhoto calls, optionally to one chat or of one method."""
        methods = (method,) if method else ("sendMessage", "sendPhoto")
        return [c for c in self.calls if c.method in methods and c.status == 200
                and (chat_id is None or str(c.params.get("chat_id")) == str(chat_id))]

    def texts(self, chat_id: int | str | None = None) -> list[str]:
        return [c.params.get("text") or c.params.get("caption") or "" for c in self.sent(chat_id)]

    def called(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    async def wait_for(self, predicate: Callable[[], Any], timeout: float = 5.0) -> Any:
        """Wait until predicate() is truthy (polled every 5 ms); fail the test after `timeout`."""
        deadline = time.monotonic() + timeout
        while True:
            value = predicate()
            if value:
                return value
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out after {timeout}s; calls: {[c.method for c in self.calls]}")
            await asyncio.sleep(0.005)

    async def wait_sent(self, chat_id: int | str, count: int, timeout: float = 5.0) -> list[str]:
        """Wait until `count` messages were sent to a chat; return their texts."""
        await self.wait_for(lambda: len(self.sent(chat_id)) >= count, timeout)
        return self.texts(chat_id)

    # --- the HTTP side -----------------------------------------------------------------------

    async def _params(self, request: web.Request) -> tuple[dict[str, Any], dict[str, bytes]]:
        params: dict[str, Any] = {}
        files: dict[str, bytes] = {}
        if request.content_type == "application/json":
            params = await request.json()
        elif request.method == "POST":
            for key, value in (await request.post()).items():
                if isinstance(value, web.FileField):
                    files[key] = value.file.read()
                else:
                    params[key] = json.loads(value) if key in JSON_FIELDS else value
        params.update({k: v for k, v in request.query.items() if k not in params})
        return params, files

    async def _api(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.json_response({"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401)
        method = request.match_info["method"]
        params, files = await self._params(request)
        call = Call(method, params, files)
        self.calls.append(call)
        if self.latency:
            await asyncio.sleep(self.latency)
        try:
            self._programmed_failure(method, params)
            handler = getattr(self, f"_m_{method}", None)
            if handler is None:
                raise ApiError(404, "Not Found")
            result = await handler(params, files)
        except ApiError as exc:
            call.status = exc.status
            body: dict[str, Any] = {"ok": False, "error_code": exc.status, "description": exc.description}
            if exc.retry_after is not None:
                body["parameters"] = {"retry_after": exc.retry_after}
            self._notify(call)
            return web.json_response(body, status=exc.status)
        self._notify(call)
        return web.json_response({"ok": True, "result": result})

    def _notify(self, call: Call) -> None:
        for listener in self.listeners:
            listener(call)

    def _programmed_failure(self, method: str, params: dict[str, Any]) -> None:
        chat = str(params.get("chat_id", ""))
        if method in ("sendMessage", "sendPhoto") and chat in self.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        for failure in self._failures.get(method, []):
            if failure.times > 0 and failure.chat_id in (None, chat):
                if failure.after > 0:
                    failure.after -= 1
                    continue
                failure.times -= 1
                raise ApiError(failure.status, failure.description, failure.retry_after)

    async def _download(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != self.token:
            raise web.HTTPUnauthorized()
        self.calls.append(Call("download", {"path": request.match_info["path"]}))
        for path, content in self.files.values():
            if path == request.match_info["path"]:
                return web.Response(body=content, content_type="image/jpeg")
        raise web.HTTPNotFound()

    # --- methods (named _m_<Bot API method>) -------------------------------------------------

    async def _m_getMe(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        return self.bot_user

    async def _m_getUpdates(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        if self.webhook:
            raise ApiError(409, "Conflict: can't use getUpdates method while webhook is active; "
                                "use deleteWebhook to delete the webhook first")
        offset = int(params.get("offset") or 0)
        limit = int(params.get("limit") or 100)
        timeout = float(params.get("timeout") or 0)
        async with self._arrived:
            # Updates below the offset are confirmed: Telegram forgets them.
            if self._ignore_offset_once:
                self._ignore_offset_once = False
            else:
                self._pending = [u for u in self._pending if u["update_id"] >= offset]
            if not self._pending and timeout > 0:
                try:
                    await asyncio.wait_for(self._arrived.wait(), timeout)
                except TimeoutError:
                    pass
            return list(self._pending[:limit])

    async def _m_setWebhook(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        if not str(params.get("url", "")).startswith(("http://", "https://")):
            raise ApiError(400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook")
        self.webhook = {"url": params["url"], "secret_token": params.get("secret_token"),
                        "allowed_updates": params.get("allowed_updates")}
        if str(params.get("drop_pending_updates")).lower() == "true":
            self._pending.clear()
        return True

    async def _m_deleteWebhook(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        self.webhook = None
        if str(params.get("drop_pending_updates")).lower() == "true":
            self._pending.clear()
        return True

    async def _m_getWebhookInfo(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        return {"url": (self.webhook or {}).get("url", ""), "has_custom_certificate": False,
                "pending_update_count": len(self._pending)}

    async def _m_setMyCommands(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        self.commands = params.get("commands") or []
        return True

    async def _m_answerCallbackQuery(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        if not params.get("callback_query_id"):
            raise ApiError(400, "Bad Request: query is too old and response timeout expired or query ID is invalid")
        return True

    def _check_markup(self, markup: dict[str, Any] | None) -> None:
        for row in (markup or {}).get("inline_keyboard", []):
            for button in row:
                if not button.get("text"):
                    raise ApiError(400, "Bad Request: text buttons are unallowed in the inline keyboard")
                data = button.get("callback_data")
                if data is not None and not 1 <= len(data.encode()) <= 64:
                    raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")

    def _new_message(self, params: dict[str, Any], **content: Any) -> dict[str, Any]:
        chat_id = str(params.get("chat_id", ""))
        if not chat_id:
            raise ApiError(400, "Bad Request: chat_id is empty")
        self._check_markup(params.get("reply_markup"))
        chat_type = "private" if not chat_id.startswith("-") else "supergroup"
        message: dict[str, Any] = {"message_id": next(self._message_ids), "date": int(time.time()),
                                   "chat": {"id": int(chat_id), "type": chat_type},
                                   "from": self.bot_user, **content}
        markup = params.get("reply_markup")
        if markup and "inline_keyboard" in markup:
            message["reply_markup"] = markup
        self.messages[(chat_id, message["message_id"])] = message
        return message

    async def _m_sendMessage(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        text = params.get("text") or ""
        visible, error = visible_text(text, params.get("parse_mode"))
        if error:
            raise ApiError(400, f"Bad Request: can't parse entities: {error}")
        if not visible.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        if _utf16_len(visible) > 4096:
            raise ApiError(400, "Bad Request: message is too long")
        return self._new_message(params, text=visible)

    async def _m_sendPhoto(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        photo = params.get("photo")
        if isinstance(photo, str) and photo.startswith("attach://"):
            photo = files.get(photo.removeprefix("attach://"))
        elif "photo" in files:
            photo = files["photo"]
        if not photo:
            raise ApiError(400, "Bad Request: there is no photo in the request")
        caption, error = visible_text(params.get("caption") or "", params.get("parse_mode"))
        if error:
            raise ApiError(400, f"Bad Request: can't parse entities: {error}")
        if _utf16_len(caption) > 1024:
            raise ApiError(400, "Bad Request: message caption is too long")
        file_id = f"AgAC-sent-{len(self.files)}"
        size = len(photo) if isinstance(photo, bytes) else 0
        if isinstance(photo, bytes):
            self.files[file_id] = (f"photos/{file_id}.jpg", photo)
        sizes = [{"file_id": file_id, "file_unique_id": "u" + file_id, "width": 800, "height": 600, "file_size": size}]
        return self._new_message(params, photo=sizes, **({"caption": caption} if caption else {}))

    async def _m_getFile(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        file_id = params.get("file_id", "")
        if file_id not in self.files:
            raise ApiError(400, "Bad Request: invalid file_id")
        path, content = self.files[file_id]
        return {"file_id": file_id, "file_unique_id": "u" + file_id, "file_size": len(content), "file_path": path}

    async def _m_editMessageReplyMarkup(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        key = (str(params.get("chat_id", "")), int(params.get("message_id") or 0))
        if key not in self.messages:
            raise ApiError(400, "Bad Request: message to edit not found")
        markup = params.get("reply_markup")
        self._check_markup(markup)
        message = self.messages[key]
        if markup == message.get("reply_markup") or (not markup and "reply_markup" not in message):
            raise ApiError(400, "Bad Request: message is not modified: specified new message content and reply "
                                "markup are exactly the same as a current content and reply markup of the message")
        if markup and markup.get("inline_keyboard"):
            message["reply_markup"] = markup
        else:
            message.pop("reply_markup", None)
        return message
