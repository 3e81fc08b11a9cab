"""PTB's Bot API requests through aiohttp: JSON bodies (multipart with files), PTB's errors on failures."""

from __future__ import annotations

import asyncio
import socket

import pytest
from aiohttp import web
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile
from telegram.error import NetworkError, TimedOut
from telegram.request import RequestData
from telegram.request._requestparameter import RequestParameter

from bot.channels.telegram_request import AiohttpRequest


@pytest.fixture
async def server(aiohttp_server):  # type: ignore[no-untyped-def]
    seen: list[dict[str, object]] = []

    async def api(request: web.Request) -> web.Response:
        if request.match_info["method"] == "slow":
            await asyncio.sleep(1)
        if request.content_type == "application/json":
            seen.append(await request.json())
        else:
            form = await request.post()
            seen.append({k: (v.file.read() if hasattr(v, "file") else v) for k, v in form.items()})
        return web.json_response({"ok": True, "result": True}, status=200)

    app = web.Application()
    app.router.add_post("/{method}", api)
    srv = await aiohttp_server(app)
    srv.seen = seen
    return srv


async def test_parameters_and_files_arrive_as_ptb_sends_them(server) -> None:  # type: ignore[no-untyped-def]
    request = AiohttpRequest()
    await request.initialize()
    try:
        keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Ya", callback_data="yes")]])
        data = RequestData([RequestParameter.from_input("chat_id", 42), RequestParameter.from_input("text", "Halo 😊"),
                            RequestParameter.from_input("reply_markup", keyboard)])
        status, body = await request.do_request(str(server.make_url("/sendMessage")), "POST", data)
        assert status == 200 and b'"ok": true' in body
        photo = RequestData([RequestParameter.from_input("chat_id", 42),
                             RequestParameter.from_input("photo", InputFile(b"\xff\xd8jpeg", filename="a.jpg"))])
        status, _ = await request.do_request(str(server.make_url("/sendPhoto")), "POST", photo)
        assert status == 200
    finally:
        await request.shutdown()
    # JSON as the Bot API takes it: numbers as numbers, the keyboard as an object.
    assert server.seen[0] == {"chat_id": 42, "text": "Halo 😊",
                              "reply_markup": {"inline_keyboard": [[{"text": "Ya", "callback_data": "yes"}]]}}
    assert server.seen[1]["chat_id"] == "42" and server.seen[1]["photo"] == b"\xff\xd8jpeg"


async def test_failures_become_ptb_errors(server) -> None:  # type: ignore[no-untyped-def]
    request = AiohttpRequest(read_timeout=0.05)
    await request.initialize()
    try:
        with pytest.raises(TimedOut):
            await request.do_request(str(server.make_url("/slow")), "POST", RequestData([]))
        with socket.socket() as s:  # a port nobody listens on
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        with pytest.raises(NetworkError):
            await request.do_request(f"http://127.0.0.1:{port}/getMe", "POST", None)
    finally:
        await request.shutdown()
    with pytest.raises(RuntimeError):
        await request.do_request(str(server.make_url("/getMe")), "POST", None)
