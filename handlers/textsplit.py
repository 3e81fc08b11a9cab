"""Split a long reply into pieces that fit a channel's message limit.

Channels call `split_text(reply.text, limit)`: Telegram and WhatsApp allow 4,096 characters.
Pieces break at a paragraph, else a line, else a word, and never inside a `**bold**` pair
unless one bold run is itself longer than the limit (then it is closed and reopened).
"""

from __future__ import annotations

BOLD = "**"


def _bold_open_at(text: str, pos: int) -> bool:
    """Return True when position `pos` falls inside a **bold** pair."""
    return text.count(BOLD, 0, pos) % 2 == 1


def _cut(text: str, limit: int) -> int:
    """Return where to cut `text` (longer than `limit`): the best boundary not inside bold."""
    window = text[: limit + 1]
    for sep in ("\n\n", "\n", " "):
        pos = window.rfind(sep, 0, limit + 1)
        while pos > 0:
            if not _bold_open_at(text, pos):
                return pos
            pos = window.rfind(sep, 0, pos)
    return 0  # no clean boundary


def split_text(text: str, limit: int) -> list[str]:
    """Return `text` as pieces of at most `limit` characters, cut at natural boundaries."""
    if limit < 8:
        raise ValueError("limit must be at least 8 characters")
    pieces: list[str] = []
    rest = text.strip()
    while len(rest) > limit:
        pos = _cut(rest, limit)
        if pos:
            head, rest = rest[:pos].rstrip(), rest[pos:].lstrip()
        else:
            # One "word" longer than the limit: cut hard, closing and reopening bold if needed.
            pos = limit
            if rest[pos - 1: pos + 1] == BOLD:  # never cut a "**" marker in half
                pos -= 1
            if _bold_open_at(rest, pos):  # room to close the bold run here and reopen it after
                pos = limit - len(BOLD)
                if rest[pos - 1: pos + 1] == BOLD:
                    pos -= 1
            head, rest = rest[:pos], rest[pos:]
            if _bold_open_at(head, len(head)):
                head, rest = head + BOLD, BOLD + rest
        if head:
            pieces.append(head)
    if rest:
        pieces.append(rest)
    return pieces or [""]
