"""python-telegram-bot's HTTP requests made with aiohttp instead of httpx.

Every reply is a Bot API call. PTB's default `HTTPXRequest` spends most of a busy bot's CPU in
httpcore's connection pool (it re-checks every pooled connection on each request), several times
what the whole conversation turn costs; aiohttp, which the server already runs on, does the
same call for a fraction. Same contract as `HTTPXRequest` except the body: a JSON body, which the
Bot API accepts as well as a form (one `json.dumps` instead of percent-encoding every character of
a long answer), multipart when files are uploaded; PTB's `TimedOut` / `NetworkError` on failures,
so the sender's retry classification is unchanged.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

import aiohttp
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

log = logging.getLogger(__name__)

JSON_HEADERS = {"Content-Type": "application/json"}


class AiohttpRequest(BaseRequest):
    """Make PTB's Bot API requests through one aiohttp ClientSession."""

    def __init__(self, *, connection_pool_size: int = 64, connect_timeout: float | None = 5.0,
                 read_timeout: float | None = 5.0, pool_timeout: float | None = 1.0,
                 media_write_timeout: float | None = 20.0) -> None:
        self._pool_size = connection_pool_size
        self._connect_timeout = connect_timeout
        self._read_timeout = read_timeout
        self._pool_timeout = pool_timeout
        self._media_timeout = media_write_timeout
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    async def initialize(self) -> None:
        """Open the HTTP session (again, after a shutdown)."""
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._pool_size),
                headers={"User-Agent": self.USER_AGENT})

    async def shutdown(self) -> None:
        """Close the HTTP session."""
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def do_request(self, url: str, method: str, request_data: RequestData | None = None,
                         read_timeout: Any = BaseRequest.DEFAULT_NONE, write_timeout: Any = BaseRequest.DEFAULT_NONE,
                         connect_timeout: Any = BaseRequest.DEFAULT_NONE,
                         pool_timeout: Any = BaseRequest.DEFAULT_NONE) -> tuple[int, bytes]:
        """Send one request; return the status and the body."""
        if self._session is None or self._session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        read = self._read_timeout if read_timeout is BaseRequest.DEFAULT_NONE else read_timeout
        connect = self._connect_timeout if connect_timeout is BaseRequest.DEFAULT_NONE else connect_timeout
        pool = self._pool_timeout if pool_timeout is BaseRequest.DEFAULT_NONE else pool_timeout
        data: Any = None
        headers = None
        if request_data is not None and not request_data.contains_files:
            data = json.dumps(request_data.parameters).encode()
            headers = JSON_HEADERS
        elif request_data is not None:
            data = _form(request_data.json_parameters, request_data.multipart_data)
            # aiohttp has no write timeout: an upload's (longer by default) is added to the read timeout.
            write = self._media_timeout if write_timeout is BaseRequest.DEFAULT_NONE else write_timeout
            if read is not None and write is not None:
                read += write
        # aiohttp's `connect` covers waiting for a pooled connection and connecting.
        timeout = aiohttp.ClientTimeout(
            total=None, sock_connect=connect, sock_read=read,
            connect=None if pool is None or connect is None else pool + connect)
        try:
            async with self._session.request(method, url, data=data, headers=headers, timeout=timeout) as response:
                return response.status, await response.read()
        except (TimeoutError, asyncio.TimeoutError) as exc:  # aiohttp's timeouts subclass TimeoutError
            raise TimedOut from exc
        except aiohttp.ClientError as exc:
            raise NetworkError(f"aiohttp.{exc.__class__.__name__}: {exc}") from exc


def _form(fields: dict[str, str], files: dict[str, tuple[str, Any, str]]) -> aiohttp.FormData:
    """Return a multipart body: the parameters, then the files (name, content, MIME type)."""
    form = aiohttp.FormData(quote_fields=False)
    for name, value in fields.items():
        form.add_field(name, value)
    for name, (filename, content, mimetype) in files.items():
        form.add_field(name, content, filename=filename, content_type=mimetype)
    return form
