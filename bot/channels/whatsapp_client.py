"""A thin client for the WhatsApp Cloud API (the Graph API over HTTP), and what its errors mean.

- `GraphClient.send(recipient, body)` POSTs one message to `/{phone-number-id}/messages` and
  returns its `wamid`; `media_info` / `download` fetch a resident's photo (the download URL also
  needs the bearer token, and is only followed to Meta's hosts or the API's own host).
- Sends are paced to the business number's throughput (80 messages/s by default), shared by
  direct replies and the outbox worker.
- `classify` turns an error into the delivery worker's vocabulary (bot/delivery.py):
  130429 (throughput) → `RetryLater` with the outbox's backoff; 131056 (pair rate limit) →
  `RetryLater(6 s)`; 131047 (outside the 24-hour window) → `OutsideWindow` (send a template
  instead); 5xx, timeouts and network errors → `RetryLater`; any other 4xx → `PermanentFailure`
  carrying Meta's message.

Graph error shape: {"error": {"message", "type", "code", "error_subcode", "error_data": {"details"},
"fbtrace_id"}}.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from typing import Any
from urllib.parse import urlsplit

import aiohttp

from bot.delivery import PermanentFailure, RetryLater

log = logging.getLogger(__name__)

THROUGHPUT_LIMIT = 130429
OUTSIDE_WINDOW_CODE = 131047
PAIR_RATE_LIMIT = 131056
PAIR_BACKOFF = 6.0  # seconds: the pair limit allows about one message every 6 s to one resident
# Codes that mean "not now" rather than "never": rate limits and Meta-side outages.
RETRYABLE = {1, 2, 4, 80007, 130429, 131000, 131016, 131048, 131056, 133004, 190}
SLOW_RETRY = {4: 60.0, 80007: 60.0, 131048: 300.0}  # app, account and spam rate limits: back off longer
MEDIA_HOSTS = (".fbsbx.com", ".facebook.com", ".fbcdn.net", ".whatsapp.net")
BSUID_RE = re.compile(r"^[A-Z]{2}\.(?:ENT\.)?[0-9A-Za-z]{1,128}$")


class GraphError(Exception):
    """An error answer from the Graph API."""

    def __init__(self, status: int, code: int | None, message: str, *, subcode: int | None = None,
                 details: str | None = None, fbtrace_id: str | None = None):
        super().__init__(f"HTTP {status}, code {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.subcode = subcode
        self.details = details
        self.fbtrace_id = fbtrace_id

    @classmethod
    def from_response(cls, status: int, body: Any) -> GraphError:
        """Read Graph's error JSON (tolerating anything else a proxy might answer)."""
        error = body.get("error") if isinstance(body, dict) else None
        if not isinstance(error, dict):
            return cls(status, None, f"unexpected answer: {str(body)[:200]}")
        data = error.get("error_data") if isinstance(error.get("error_data"), dict) else {}
        code = error.get("code")
        return cls(status, int(code) if isinstance(code, (int, str)) and str(code).isdigit() else None,
                   str(error.get("message") or "error"), subcode=error.get("error_subcode"),
                   details=data.get("details"), fbtrace_id=error.get("fbtrace_id"))


class OutsideWindow(PermanentFailure):
    """Free-form messages are refused: the resident last wrote more than 24 hours ago (131047)."""


def classify(exc: BaseException) -> RetryLater | PermanentFailure:
    """Translate a failed call into retry-later, outside-the-window or give-up."""
    if isinstance(exc, GraphError):
        reason = f"WhatsApp error {exc.code}: {exc.message}" + (f" ({exc.details})" if exc.details else "")
        if exc.code == OUTSIDE_WINDOW_CODE:
            return OutsideWindow(reason)
        if exc.code == PAIR_RATE_LIMIT:
            return RetryLater(PAIR_BACKOFF, reason)
        if exc.code in SLOW_RETRY:
            return RetryLater(SLOW_RETRY[exc.code], reason)
        if exc.code in RETRYABLE or exc.status >= 500 or exc.status == 429:
            return RetryLater(None, reason)
        return PermanentFailure(reason)
    if isinstance(exc, (aiohttp.ClientError, asyncio.TimeoutError, OSError)):
        return RetryLater(None, f"network: {type(exc).__name__}: {exc}")
    return RetryLater(None, f"{type(exc).__name__}: {exc}")


def address(recipient: str) -> dict[str, str]:
    """Address a resident by phone number ("to") or by business-scoped user id ("recipient")."""
    return {"recipient": recipient} if BSUID_RE.match(recipient) else {"to": recipient}


class Pacer:
    """Space calls to at most `rate` per second (a slot per call, first come first served)."""

    def __init__(self, rate: float):
        self.interval = 1.0 / rate if rate > 0 else 0.0
        self._next = 0.0

    async def wait(self) -> None:
        now = time.monotonic()
        slot = max(now, self._next)
        self._next = slot + self.interval
        if slot > now:
            await asyncio.sleep(slot - now)


class GraphClient:
    """Send messages and fetch media for one business phone number."""

    def __init__(self, *, base_url: str, token: str, phone_number_id: str, rate: float = 80.0,
                 timeout: float = 20.0, connections: int = 64):
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.phone_number_id = phone_number_id
        self.pacer = Pacer(rate)
        self.timeout = aiohttp.ClientTimeout(total=timeout)
        self.connections = connections
        self._session: aiohttp.ClientSession | None = None
        self._closed = False

    @property
    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def session(self) -> aiohttp.ClientSession:
        """Return the HTTP session, made on first use (inside the running event loop)."""
        if self._closed:
            raise RetryLater(None, "the WhatsApp client is shut down")
        if self._session is None:
            self._session = aiohttp.ClientSession(timeout=self.timeout,
                                                  connector=aiohttp.TCPConnector(limit=self.connections))
        return self._session

    async def close(self) -> None:
        """Close the HTTP session; later calls raise RetryLater."""
        self._closed = True
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def send(self, recipient: str, body: dict[str, Any]) -> str:
        """Send one message body (without addressing) to a resident; return its wamid."""
        payload = {"messaging_product": "whatsapp", "recipient_type": "individual", **address(recipient), **body}
        await self.pacer.wait()
        async with self.session().post(f"{self.base_url}/{self.phone_number_id}/messages", json=payload,
                                       headers=self._headers) as response:
            data = await _json(response)
            if response.status != 200:
                raise GraphError.from_response(response.status, data)
        try:
            return str(data["messages"][0]["id"])
        except (KeyError, IndexError, TypeError):
            raise GraphError(response.status, None, f"no message id in the answer: {str(data)[:200]}") from None

    async def media_info(self, media_id: str) -> dict[str, Any]:
        """Return a media object's url, mime_type, sha256 and file_size."""
        async with self.session().get(f"{self.base_url}/{media_id}", headers=self._headers,
                                      params={"phone_number_id": self.phone_number_id}) as response:
            data = await _json(response)
            if response.status != 200 or not isinstance(data, dict) or not data.get("url"):
                raise GraphError.from_response(response.status, data)
        return data

    async def download(self, url: str, max_bytes: int) -> bytes:
        """Download a media URL with the access token; refuse other hosts and oversized files."""
        if not self._trusted(url):
            raise GraphError(0, None, f"media URL on an unexpected host: {urlsplit(url).hostname}")
        async with self.session().get(url, headers=self._headers) as response:
            if response.status != 200:
                raise GraphError.from_response(response.status, await _json(response))
            data = bytearray()
            async for chunk in response.content.iter_chunked(64 * 1024):
                data += chunk
                if len(data) > max_bytes:
                    raise MediaTooLarge(f"media larger than {max_bytes} bytes")
        return bytes(data)

    def _trusted(self, url: str) -> bool:
        # The token goes with the request: only to Meta, or to the host the API itself runs on.
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        if host == (urlsplit(self.base_url).hostname or "").lower():
            return parts.scheme in ("http", "https")
        return parts.scheme == "https" and host.endswith(MEDIA_HOSTS)


class MediaTooLarge(Exception):
    """A media file over the size the bot keeps."""


async def _json(response: aiohttp.ClientResponse) -> Any:
    try:
        return await response.json(content_type=None)
    except (ValueError, aiohttp.ContentTypeError):
        return {"error": {"message": (await response.text())[:200] or f"HTTP {response.status}"}}
