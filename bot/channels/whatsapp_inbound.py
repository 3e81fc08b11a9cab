"""Turn WhatsApp webhook notifications into the core's `InboundMessage`.

A notification (`object: whatsapp_business_account`) carries, per change with `field: messages`,
the resident's messages (with a `contacts` entry naming them) and status receipts of what we
sent. Only changes for our own phone number id are read; group messages are ignored.

Residents are keyed by the business-scoped user id (BSUID: `from_user_id` on the message,
`user_id` on the contact, present since Meta's 2026 username rollout) when the payload has one,
else by the phone number (`from` / `wa_id`). Replies go to the phone number when we have it
(Meta's advice) and to the BSUID otherwise.

Kinds: text; interactive `button_reply` / `list_reply` (→ `option` = the id we sent); a template's
quick-reply `button` (its text); location (latitude, longitude, name and address); image (and an
image sent as a document), fetched through the media endpoint with the access token and stored
like Telegram photos (one that cannot be fetched or is no JPEG/PNG becomes `unsupported="photo"`
with its caption as text: the core asks for it again); `request_welcome` (the resident opened the
chat) → /start. Voice notes, audio, stickers, video, documents, contacts and anything unknown become
`unsupported`, which the core answers politely. System notices and reactions (an emoji on one of our
messages, given or taken back) get no answer.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.channels.common import sniff_image, store_photo
from bot.channels.whatsapp_client import GraphClient, GraphError, MediaTooLarge
from handlers.messages import InboundMessage, Location, Photo

log = logging.getLogger(__name__)

CHANNEL = "whatsapp"
MEDIA_SUBDIR = "whatsapp"
MAX_PHOTO_BYTES = 10 * 2**20  # WhatsApp itself caps images at 5 MB
MAX_USER_ID = 128
IMAGE_DOCUMENTS = ("image/jpeg", "image/png")
_UNSUPPORTED = {"audio", "video", "document", "sticker", "contacts", "order", "unsupported",
                "unknown", "interactive"}


class MalformedNotification(ValueError):
    """A signed notification whose JSON does not have the documented shape."""


@dataclass(frozen=True)
class Sender:
    """Who wrote: the resident key (BSUID or phone) and where replies go."""

    user_id: str
    reply_to: str
    name: str | None = None


def read_notification(data: Any, phone_number_id: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Return (messages, statuses) addressed to our number; each message as {"message", "contact"}."""
    if not isinstance(data, dict) or data.get("object") != "whatsapp_business_account":
        raise MalformedNotification("not a WhatsApp Business Account notification")
    messages: list[dict[str, Any]] = []
    statuses: list[dict[str, Any]] = []
    for entry in _list(data.get("entry"), "entry"):
        for change in _list(_dict(entry, "entry").get("changes"), "changes"):
            change = _dict(change, "change")
            if change.get("field") != "messages":
                continue
            value = _dict(change.get("value"), "value")
            number = str(_dict(value.get("metadata"), "metadata").get("phone_number_id") or "")
            if number != phone_number_id:
                log.info("notification for another phone number id ignored")
                continue
            contacts = [c for c in _list(value.get("contacts"), "contacts") if isinstance(c, dict)]
            for message in _list(value.get("messages"), "messages"):
                message = _dict(message, "message")
                if not isinstance(message.get("id"), str) or not message["id"]:
                    raise MalformedNotification("message without an id")
                messages.append({"message": message, "contact": _contact_for(message, contacts)})
            statuses.extend(s for s in _list(value.get("statuses"), "statuses") if isinstance(s, dict))
    return messages, statuses


def _list(value: Any, what: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise MalformedNotification(f"{what} is not a list")
    return value


def _dict(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise MalformedNotification(f"{what} is not an object")
    return value


def _contact_for(message: dict[str, Any], contacts: list[dict[str, Any]]) -> dict[str, Any]:
    """Return the contacts entry describing the message's sender."""
    for contact in contacts:
        if (message.get("from_user_id") and contact.get("user_id") == message["from_user_id"]) or (
                message.get("from") and contact.get("wa_id") == message["from"]):
            return contact
    return contacts[0] if len(contacts) == 1 else {}


def sender_of(envelope: dict[str, Any]) -> Sender | None:
    """Return the sender of a stored message, or None when it names nobody usable."""
    message, contact = envelope.get("message") or {}, envelope.get("contact") or {}
    bsuid = message.get("from_user_id") or contact.get("user_id")
    phone = message.get("from") or contact.get("wa_id")
    user_id = bsuid or phone
    if not isinstance(user_id, str) or not user_id or len(user_id) > MAX_USER_ID:
        return None
    reply_to = phone if isinstance(phone, str) and phone else user_id
    profile = contact.get("profile") if isinstance(contact.get("profile"), dict) else {}
    name = profile.get("name") or profile.get("username")
    return Sender(user_id, reply_to, str(name)[:200] if name else None)


@dataclass(frozen=True)
class MediaStore:
    """Fetches a resident's photo through the media endpoint and keeps it in the media folder."""

    client: GraphClient
    media_dir: Path

    async def fetch(self, media_id: str) -> Photo:
        """Download a media object and store it under a random name; raise PhotoRejected if unusable."""
        try:
            info = await self.client.media_info(media_id)
            size = int(info.get("file_size") or 0)
            if size > MAX_PHOTO_BYTES:
                raise PhotoRejected(f"photo too large: {size} bytes")
            data = await self.client.download(str(info["url"]), MAX_PHOTO_BYTES)
        except (GraphError, MediaTooLarge, ValueError) as exc:
            raise PhotoRejected(str(exc)) from exc
        kind = sniff_image(data)
        if kind is None:
            raise PhotoRejected("not a JPEG or PNG image")
        relative = await store_photo(self.media_dir, MEDIA_SUBDIR, data, kind[0])
        return Photo(path=relative, mime=kind[1])


class PhotoRejected(Exception):
    """A photo the bot could not fetch or will not keep."""


async def to_inbound(envelope: dict[str, Any], media: MediaStore) -> InboundMessage | None:
    """Convert a stored message to an InboundMessage, or None when there is nothing to answer."""
    sender = sender_of(envelope)
    message = envelope.get("message") or {}
    if sender is None or message.get("group_id"):
        return None
    base = {"channel": CHANNEL, "user_id": sender.user_id, "message_id": str(message.get("id")),
            "display_name": sender.name}
    kind = message.get("type")
    body = message.get(kind) if isinstance(kind, str) and isinstance(message.get(kind), dict) else {}
    if kind == "text":
        return InboundMessage(**base, text=str(body.get("body") or ""))
    if kind == "interactive":
        reply = body.get(body.get("type")) if body.get("type") in ("button_reply", "list_reply") else None
        if isinstance(reply, dict) and reply.get("id"):
            return InboundMessage(**base, option=str(reply["id"]))
    if kind == "button":  # a quick-reply button of a template message
        return InboundMessage(**base, text=str(body.get("text") or body.get("payload") or ""))
    if kind == "location":
        return _location(base, body)
    if kind == "image" or (kind == "document" and body.get("mime_type") in IMAGE_DOCUMENTS):
        return await _photo(base, body, media)
    if kind == "request_welcome":
        return InboundMessage(**base, text="/start")
    if kind == "system":
        log.info("WhatsApp system notice (%s) not answered", body.get("type"))
        return None
    if kind == "reaction":  # an emoji on one of our messages: nothing to answer
        return None
    if kind == "audio":
        return InboundMessage(**base, unsupported="voice" if body.get("voice") else "audio")
    return InboundMessage(**base, unsupported=kind if kind in _UNSUPPORTED else "other")


def _location(base: dict[str, Any], body: dict[str, Any]) -> InboundMessage:
    try:
        latitude, longitude = float(body["latitude"]), float(body["longitude"])
    except (KeyError, TypeError, ValueError):
        return InboundMessage(**base, unsupported="location")
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return InboundMessage(**base, unsupported="location")
    address = ", ".join(str(p) for p in (body.get("name"), body.get("address")) if p) or None
    return InboundMessage(**base, location=Location(latitude, longitude, address))


async def _photo(base: dict[str, Any], body: dict[str, Any], media: MediaStore) -> InboundMessage:
    media_id = body.get("id")
    caption = str(body.get("caption") or "")
    if not media_id:
        return InboundMessage(**base, text=caption, unsupported="photo")
    try:
        photo = await media.fetch(str(media_id))
    except PhotoRejected as exc:  # the core says so; the caption still counts
        log.info("a WhatsApp photo was not stored: %s", exc)  # no wamid: it encodes the phone number
        return InboundMessage(**base, text=caption, unsupported="photo")
    return InboundMessage(**base, photo=Photo(photo.path, photo.mime, caption or None))
