"""Builders of Bot API update JSON for the fake Telegram server: messages, photos, locations, button presses.

`FakeTelegram` inherits these; the updates look like Telegram's (update_id, message with chat and
from, photo sizes, callback_query carrying the bot's message with its keyboard).
"""

from __future__ import annotations

import itertools
import time
from typing import Any


class UpdateBuilder:
    """Build updates; photos register their files so getFile and the download can serve them."""

    bot_user: dict[str, Any]
    files: dict[str, tuple[str, bytes]]
    messages: dict[tuple[str, int], dict[str, Any]]
    _update_ids: itertools.count
    _message_ids: itertools.count

    def user(self, chat_id: int, first_name: str = "Warga") -> dict[str, Any]:
        return {"id": chat_id, "is_bot": False, "first_name": first_name, "language_code": "id"}

    def _message(self, chat_id: int, chat_type: str = "private", **content: Any) -> dict[str, Any]:
        chat: dict[str, Any] = {"id": chat_id, "type": chat_type}
        if chat_type == "private":
            chat["first_name"] = "Warga"
        else:
            chat["title"] = "Grup"
        return {"update_id": next(self._update_ids),
                "message": {"message_id": next(self._message_ids), "date": int(time.time()),
                            "chat": chat, "from": self.user(abs(chat_id)), **content}}

    def text(self, chat_id: int, text: str, *, chat_type: str = "private") -> dict[str, Any]:
        """Build a text-message update (commands get their bot_command entity)."""
        content: dict[str, Any] = {"text": text}
        if text.startswith("/"):
            content["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        return self._message(chat_id, chat_type, **content)

    def location(self, chat_id: int, latitude: float, longitude: float) -> dict[str, Any]:
        return self._message(chat_id, location={"latitude": latitude, "longitude": longitude})

    def photo(self, chat_id: int, content: bytes, caption: str | None = None) -> dict[str, Any]:
        """Build a photo update in three sizes; only the largest carries `content`."""
        sizes = []
        for i, (w, h, data) in enumerate(((90, 60, b"small"), (320, 213, b"medium"), (1280, 853, content))):
            file_id = f"AgAC-{next(self._message_ids)}-{i}"
            self.files[file_id] = (f"photos/file_{file_id}.jpg", data)
            sizes.append({"file_id": file_id, "file_unique_id": f"u{file_id}", "width": w, "height": h,
                          "file_size": len(data)})
        extra = {"caption": caption} if caption else {}
        return self._message(chat_id, photo=sizes, **extra)

    def voice(self, chat_id: int) -> dict[str, Any]:
        return self._message(chat_id, voice={"file_id": "voice-1", "file_unique_id": "v1", "duration": 3})

    def added_to_group(self, chat_id: int, title: str = "Pengaduan DLH") -> dict[str, Any]:
        """Build the my_chat_member update Telegram sends when someone adds the bot to a group."""
        member = {"status": "member", "user": self.bot_user}
        return {"update_id": next(self._update_ids),
                "my_chat_member": {"chat": {"id": chat_id, "type": "supergroup", "title": title},
                                   "from": self.user(1), "date": int(time.time()),
                                   "old_chat_member": {"status": "left", "user": self.bot_user},
                                   "new_chat_member": member}}

    def press(self, chat_id: int, data: str, message_id: int | None = None) -> dict[str, Any]:
        """Build a callback_query update: the resident pressed an inline button of a bot message."""
        if message_id is None:
            message_id = max(mid for (chat, mid) in self.messages if chat == str(chat_id))
        message = self.messages[(str(chat_id), message_id)]
        return {"update_id": next(self._update_ids),
                "callback_query": {"id": str(next(self._message_ids) * 7919), "from": self.user(chat_id),
                                   "message": message, "chat_instance": f"ci{chat_id}", "data": data}}
