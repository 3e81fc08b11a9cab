"""Turn Telegram updates into the core's `InboundMessage`.

Only private chats with residents are conversations; the bot also sits in OPD groups (to post
notices) and ignores what is said there. Photos are downloaded through the Bot API (getFile, then
the file URL) and stored in the media folder under a random name, so the OPD can see them later
without depending on Telegram.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from telegram import Bot, CallbackQuery, Message, PhotoSize, Update
from telegram.error import TelegramError

from bot.channels.common import sniff_image, store_photo
from bot.channels.telegram_render import INDEX_PREFIX
from handlers.messages import Claim, InboundMessage, Location, Photo

log = logging.getLogger(__name__)

CHANNEL = "telegram"
MAX_PHOTO_BYTES = 10 * 2**20
MEDIA_SUBDIR = "telegram"
_UNSUPPORTED = ("voice", "audio", "video", "video_note", "sticker", "animation", "document", "poll",
                "dice", "game")


class PhotoRejected(Exception):
    """A photo the bot will not store (too big or not an image)."""


@dataclass(frozen=True)
class MediaStore:
    """Downloads a resident's photo through the Bot API and keeps it in the media folder."""

    bot: Bot
    media_dir: Path

    async def fetch(self, file_id: str, size: int | None) -> Photo:
        """Download a file and store it under a random name; return its media-folder path."""
        if size is not None and size > MAX_PHOTO_BYTES:
            raise PhotoRejected(f"photo too large: {size} bytes")
        tg_file = await self.bot.get_file(file_id)
        data = bytes(await tg_file.download_as_bytearray())
        if len(data) > MAX_PHOTO_BYTES:
            raise PhotoRejected(f"photo too large: {len(data)} bytes")
        kind = sniff_image(data)
        if kind is None:
            raise PhotoRejected("not a JPEG or PNG image")
        relative = await store_photo(self.media_dir, MEDIA_SUBDIR, data, kind[0])
        return Photo(path=relative, mime=kind[1])


def largest(sizes: tuple[PhotoSize, ...]) -> PhotoSize:
    """Return the biggest rendition of a photo (Telegram sends several sizes)."""
    return max(sizes, key=lambda s: (s.width * s.height, s.file_size or 0))


def chat_of(update: Update) -> int | None:
    """Return the private chat an update belongs to, or None for groups, channels and the rest."""
    chat = update.effective_chat
    if chat is None or chat.type != "private":
        return None
    return chat.id


async def to_inbound(update: Update, media: MediaStore, claim: Claim | None = None) -> InboundMessage | None:
    """Convert an update to an InboundMessage, or None when it is not a resident talking to the bot.

    `claim`: the update's exactly-once record, for the core to commit with the turn (see Claim).
    """
    chat_id = chat_of(update)
    if chat_id is None:
        return None
    user = update.effective_user
    base = {"channel": CHANNEL, "user_id": str(chat_id), "message_id": str(update.update_id),
            "display_name": user.full_name if user else None, "claim": claim}
    if update.callback_query is not None:
        return _from_callback(update.callback_query, base)
    message = update.message
    if message is None:
        return None  # edited messages and other update kinds are not conversation turns
    return await _from_message(message, media, base)


def _from_callback(query: CallbackQuery, base: dict) -> InboundMessage:
    data = query.data or ""
    if data.startswith(INDEX_PREFIX):
        # The option's value was too long for callback data; its number works like typing it.
        return InboundMessage(**base, text=data.removeprefix(INDEX_PREFIX))
    return InboundMessage(**base, option=data)


async def _from_message(message: Message, media: MediaStore, base: dict) -> InboundMessage:
    if message.text is not None:
        return InboundMessage(**base, text=message.text)
    if message.location is not None:
        return InboundMessage(**base, location=Location(message.location.latitude, message.location.longitude))
    if message.venue is not None:
        venue = message.venue
        address = ", ".join(p for p in (venue.title, venue.address) if p)
        return InboundMessage(**base, location=Location(venue.location.latitude, venue.location.longitude, address))
    if message.contact is not None:
        return InboundMessage(**base, phone=message.contact.phone_number)
    file_id, size = _image_file(message)
    if file_id:
        try:
            photo = await media.fetch(file_id, size)
        except (PhotoRejected, TelegramError) as exc:  # the core asks the resident to send it again
            log.info("photo from update %s not stored: %s", base["message_id"], exc)
            return InboundMessage(**base, text=message.caption or "", unsupported="photo")
        caption = message.caption
        return InboundMessage(**base, photo=Photo(photo.path, photo.mime, caption))
    kind = next((k for k in _UNSUPPORTED if getattr(message, k, None)), "other")
    return InboundMessage(**base, unsupported=kind)


def _image_file(message: Message) -> tuple[str | None, int | None]:
    """Return (file_id, size) of the photo in a message: a photo, or an image sent as a file."""
    if message.photo:
        best = largest(message.photo)
        return best.file_id, best.file_size
    doc = message.document
    if doc is not None and (doc.mime_type or "") in ("image/jpeg", "image/png"):
        return doc.file_id, doc.file_size
    return None, None
