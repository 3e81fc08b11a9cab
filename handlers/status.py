"""/status: the resident's own complaints; /status TICKET: one of them with its public timeline.

A ticket filed by someone else gets the same answer as a ticket that does not exist, so the
bot never reveals whether a number is in use.

A complaint the OPD has not finished can be withdrawn by the resident who filed it: the button
under its details, or "batalkan laporan TICKET" (also "/batal TICKET"), then a yes/no question.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from sqlalchemy import select

from handlers import complaint_flow, complaint_texts, texts
from handlers.context import Turn
from handlers.messages import Option, Reply
from knowledge.records.complaints import FINAL, RATEABLE, WITHDRAWABLE, ComplaintError, status_label
from knowledge.records.models import ComplaintRow, OpdRow
from knowledge.records.notices import rating_options
from knowledge.records.tickets import find_city_ticket, find_ticket

MAX_LISTED = 10
ASKING_WORDS = 12  # a message this short that names a ticket asks about it; a longer one tells a story
# Option values of the withdrawal: asked from the details, then confirmed or not (each ends with the ticket).
WITHDRAW, WITHDRAW_YES, WITHDRAW_NO = "withdraw:", "withdraw-yes:", "withdraw-no:"
_WITHDRAW_WORDS = re.compile(r"\b(?:di)?(?:batal\w*|cabut\w*|tarik\w*|hapus\w*)\b|\b(?:menarik|withdraw|cancel)\b|"
                             r"\b(?:ga|gak|nggak|tidak|tdk|jangan|ndak|indak)\s+(?:usah\s+)?(?:di)?proses\w*",
                             re.IGNORECASE)


# "laporan tadi", "laporan saya", "my last report": the resident's own latest complaint, named without its ticket.
_LAST_REPORT = re.compile(r"\b(?:laporan|pengaduan|aduan|report|complaint)\w*\s+(?:\w+\s+){0,2}?(?:saya|sy|ku|aku|ambo|"
                          r"tadi|td|terakhir|barusan|sebelumnya|yang\s+tadi|yg\s+tadi|ini|itu|tu)\b|\b(?:my|the|this)\s+(?:last\s+)?"
                          r"(?:report|complaint)\b|\b(?:laporan|pengaduan|aduan)(?:nya|ku)\b", re.IGNORECASE)
WITHDRAW_WORDS = 16  # a longer message tells a story that mentions cancelling


def names_last_report(text: str) -> bool:
    """Tell whether a message speaks of the resident's latest complaint ("batalkan laporan ini", "my last report")."""
    return bool(_LAST_REPORT.search(text))


async def _latest_withdrawable(turn: Turn) -> str | None:
    """Return the ticket of the resident's latest complaint that may still be withdrawn, else None."""
    resident = await turn.resident()
    rows = await turn.services.complaints.list_for_resident(turn.session, resident.id)
    open_rows = [r for r in rows if r.status in WITHDRAWABLE]
    return max(open_rows, key=lambda r: r.created_at).ticket if open_rows else None


async def handle(turn: Turn) -> list[Reply] | None:
    """List the resident's complaints, show one ticket's details, or withdraw one."""
    ticket = None
    choice = turn.choice or ""
    for prefix, step in ((WITHDRAW, _ask_withdraw), (WITHDRAW_YES, _withdraw), (WITHDRAW_NO, _keep)):
        if choice.startswith(prefix):  # (a button of an earlier message may be pressed during a complaint)
            replies = await step(turn, choice.removeprefix(prefix))
            return replies + (await complaint_flow.reprompt(turn) if turn.state.get("flow") else [])
    if (undo := _undo_asked(turn)) is not None:
        return undo
    command = turn.command
    if command and command[0] == "batal" and (named := find_city_ticket(command[1] or "", turn.kb.city.code)):
        # "/batal PDG-AWDEKK", even with a complaint draft open (its step is asked again after the answer)
        return await _ask_withdraw(turn, named)
    if (not choice and not turn.state.get("flow") and len(turn.text.split()) <= WITHDRAW_WORDS
            and _WITHDRAW_WORDS.search(turn.text) and _LAST_REPORT.search(turn.text)
            and not find_city_ticket(turn.text, turn.kb.city.code)):
        # "eh saya mau batalkan laporan tadi, pohonnya sudah dipotong warga": the latest one that can be withdrawn
        latest = await _latest_withdrawable(turn)
        if latest is not None:
            return await _ask_withdraw(turn, latest)
    if choice.startswith("status:"):
        ticket = choice[7:]
    elif not turn.state.get("flow") and len(turn.text.split()) <= ASKING_WORDS and (
            asked := find_city_ticket(turn.text, turn.kb.city.code)):
        if _WITHDRAW_WORDS.search(turn.text):  # "batalkan laporan PDG-AWDEKK"
            return await _ask_withdraw(turn, asked)
        ticket = asked  # a short message naming a ticket ("PDG-AWDEKK sudah diproses?"): its status
    else:
        if not command or command[0] != "status":
            return None
        ticket = command[1]
    found = (find_city_ticket(ticket, turn.kb.city.code) or find_ticket(ticket)) if ticket else None
    if found:  # "/status pengaduan pdg-263c85": the ticket in the words
        ticket = found
    elif ticket and not any(c.isdigit() for c in ticket):
        ticket = None  # "status laporan saya": words, no ticket number; the list answers it
    replies = await (_detail(turn, ticket) if ticket else _list(turn))
    if turn.state.get("flow"):
        replies += await complaint_flow.reprompt(turn)
    return replies


def _local(turn: Turn, moment: dt.datetime) -> dt.datetime:
    try:
        return moment.astimezone(ZoneInfo(turn.kb.city.timezone))
    except (KeyError, ValueError):
        return moment


async def _list(turn: Turn) -> list[Reply]:
    turn.record("command", "status")
    resident = await turn.resident()
    rows = await turn.services.complaints.list_for_resident(turn.session, resident.id)
    if not rows and turn.state.get("flow"):  # the one being written is not sent yet (the reminder follows)
        return [Reply(complaint_texts.NONE_SENT_YET)]
    if not rows:
        return [Reply(complaint_texts.NO_COMPLAINTS, options=(texts.REPORT, texts.ASK))]
    rows = sorted(rows, key=lambda r: r.created_at, reverse=True)[:MAX_LISTED]
    names = await _opd_names(turn, (row.opd_id for row in rows), short=True)
    lines = ["**Laporan Anda**"]
    for row in rows:
        when = texts.date_short(_local(turn, row.created_at).date())
        lines.append(f"- **{row.ticket}** — {status_label(row.status)} — {names.get(row.opd_id, '-')} — {when}")
    lines += ["", complaint_texts.STATUS_HINT]
    options = tuple(Option(row.ticket, f"status:{row.ticket}") for row in rows)
    return [Reply("\n".join(lines), options=options, kind="status")]


async def _opd_names(turn: Turn, ids: Iterable[int], *, short: bool = False) -> dict[int, str]:
    """Return the names residents know the OPDs by (or their short names), keyed by database id."""
    result = await turn.session.execute(
        select(OpdRow.id, OpdRow.name, OpdRow.short_name).where(OpdRow.id.in_(set(ids))))
    if short:
        return {id_: abbr or name for id_, name, abbr in result}
    return {id_: f"{name} ({abbr})" if abbr else name for id_, name, abbr in result}


async def _detail(turn: Turn, ticket: str) -> list[Reply]:
    turn.record("command", "status_ticket")
    ticket = ticket.strip().upper()
    resident = await turn.resident()
    row = await turn.services.complaints.get_for_resident(turn.session, resident.id, ticket)
    if row is None:
        return _not_found()
    names = await _opd_names(turn, [row.opd_id])
    category = turn.kb.category(row.category_code)
    lines = [
        f"**Laporan {row.ticket}**",
        f"Status: **{status_label(row.status)}**",
        f"Instansi: {names.get(row.opd_id, '-')}",
        f"Kategori: {category.name if category else 'Lainnya'}",
        f"Dilaporkan: {texts.date_short(_local(turn, row.created_at).date())}",
        *([f"Batas tanggapan: {texts.date_long(row.due_date)}"] if row.status not in FINAL else []),
        f"Lokasi: {complaint_texts.place(row.address, row.latitude, row.longitude, row.kelurahan, row.kecamatan)}",
        f"Foto: {'ada' if row.photo_path else 'tidak ada'}",
        f"Masalah: {complaint_texts.shown_description(row.description)}",
    ]
    events = await turn.services.complaints.timeline(turn.session, row.id)
    public = [e for e in events if not e.internal]  # status changes and the OPD's messages
    if public:
        lines += ["", "**Riwayat**"]
        for event in public:
            moment = _local(turn, event.created_at)
            note = f" — {event.note.strip()}" if event.note and event.note.strip() else ""
            when = f"- {texts.date_short(moment.date())} {moment:%H.%M}: "
            if event.actor == "resident" and not event.status:  # the resident's own rating
                lines.append(when + (event.note or "").strip().replace("Warga ", "Anda ", 1))
                continue
            what = status_label(event.status) if event.status else "Pesan petugas"
            lines.append(f"{when}{what}{note}")
    options: tuple[Option, ...] = ()
    if row.status in WITHDRAWABLE:
        options = (Option(complaint_texts.WITHDRAW_LABEL, f"{WITHDRAW}{row.ticket}"),)
    elif row.status in RATEABLE and row.rating is None:  # not rated yet: it can be, from here
        lines += ["", complaint_texts.RATE_NOW]
        options = tuple(Option(o["label"], o["value"]) for o in rating_options(row.ticket))
    return [Reply("\n".join(lines), options=options, kind="status")]


async def _ask_withdraw(turn: Turn, ticket: str) -> list[Reply]:
    """Ask the resident to confirm withdrawing one of their complaints."""
    turn.record("command", "withdraw_ask")
    resident = await turn.resident()
    row = await turn.services.complaints.get_for_resident(turn.session, resident.id, ticket)
    if row is None:
        return _not_found()
    if row.status not in WITHDRAWABLE:
        return _too_late(row)
    return [Reply(complaint_texts.withdraw_question(row.ticket), options=(
        Option(complaint_texts.WITHDRAW_YES_LABEL, f"{WITHDRAW_YES}{row.ticket}"),
        Option(complaint_texts.WITHDRAW_NO_LABEL, f"{WITHDRAW_NO}{row.ticket}")))]


async def _withdraw(turn: Turn, ticket: str) -> list[Reply]:
    """Withdraw the complaint (the resident said yes)."""
    resident = await turn.resident()
    try:
        row = await turn.services.complaints.withdraw(turn.session, resident.id, ticket)
    except ComplaintError:  # finished meanwhile
        turn.record("command", "withdraw", data={"done": False})
        row = await turn.services.complaints.get_for_resident(turn.session, resident.id, ticket)
        assert row is not None
        return _too_late(row)
    if row is None:
        return _not_found()
    turn.record("command", "withdraw", data={"done": True})
    # kept a little while: "eh jangan dibatalin, salah pencet" cannot undo it, but may report it again
    turn.state["withdrawn"] = {"ticket": row.ticket, "at": turn.services.now().isoformat(),
                               "story": row.description[:MAX_REFILED]}
    return [Reply(complaint_texts.withdrawn(row.ticket), options=texts.MENU)]


MAX_REFILED = 2000  # characters of a withdrawn complaint's story kept to report it again
UNDO_WINDOW = dt.timedelta(minutes=30)
# "eh jangan dibatalin, saya salah pencet, aktifkan lagi", "undo", "kembalikan laporannya".
_UNDO = re.compile(r"\b(?:jangan\s+(?:di)?batal\w*|salah\s+(?:pencet|tekan|klik)|(?:aktifkan|aktifin|hidupkan|buka)\s+"
                   r"(?:lagi|kembali)|kembalikan\s+laporan\w*|undo|restore\s+it|didn'?t\s+mean\s+to)\b", re.IGNORECASE)


def _undo_asked(turn: Turn) -> list[Reply] | None:
    """Answer a resident who wants back the complaint they withdrew a little earlier: it cannot be undone, but the
    same story can be reported again with one button."""
    withdrawn = turn.state.get("withdrawn")
    if (not withdrawn or turn.choice is not None or turn.state.get("flow") or not _UNDO.search(turn.text)
            or turn.services.now() - dt.datetime.fromisoformat(withdrawn["at"]) > UNDO_WINDOW):
        return None
    turn.state.pop("withdrawn", None)
    turn.state["also"] = withdrawn["story"]
    turn.record("command", "withdraw_undo_asked", data={"ticket": withdrawn["ticket"]})
    return [Reply(complaint_texts.withdrawn_for_good(withdrawn["ticket"]),
                  options=(complaint_texts.REPORT_AGAIN, *texts.MENU))]


def _not_found() -> list[Reply]:
    return [Reply(complaint_texts.NOT_FOUND, options=(texts.STATUS, texts.REPORT))]


def _too_late(row: ComplaintRow) -> list[Reply]:
    return [Reply(complaint_texts.withdraw_too_late(row.ticket, status_label(row.status)), options=texts.MENU)]


async def _keep(turn: Turn, ticket: str) -> list[Reply]:
    """The resident chose not to withdraw."""
    turn.record("command", "withdraw", data={"done": False})
    return [Reply(complaint_texts.withdraw_kept(ticket), options=texts.MENU)]
