"""The complaint page shows what the resident was told and whether it arrived; the inbox flags the unreachable."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import event, select, update
from telegram.error import Forbidden

from admin import notifications
from bot.channels.telegram_sender import classify as telegram_classify
from bot.channels.whatsapp_client import GraphClient
from bot.channels.whatsapp_sender import OUTSIDE_WINDOW, WhatsAppSender
from bot.delivery import DeliveryWorker, take_messages
from knowledge.records.models import ComplaintRow, OpdRow, OutboxRow, ResidentRow
from tests.admin_support import AdminWorld

WA_USER = "6281234567890"
UNREACHABLE = "Pelapor tidak dapat dihubungi: di luar jendela 24 jam WhatsApp"
BADGE = "Pelapor tak dapat dihubungi"


def _section(page: str) -> str:
    """Return the "Pemberitahuan ke pelapor" section of a complaint page."""
    found = re.search(r'<section class="card" id="pemberitahuan">(.*?)</section>', page, re.S)
    assert found, "no notification section"
    return found.group(1)


def _states(page: str) -> list[str]:
    """Return the delivery state of each message, oldest first."""
    cells = re.findall(r"<tr>\s*<td class=\"nowrap\">.*?</td>\s*<td>.*?</td>\s*<td>(.*?)</td>", _section(page), re.S)
    return [re.sub(r"<div.*?</div>|<[^>]+>", "", c).strip() for c in cells]


def _row_of(page: str, ticket: str) -> str:
    """Return the inbox table row of one ticket."""
    found = re.search(rf"<tr>(?:(?!</tr>).)*{ticket}(?:(?!</tr>).)*</tr>", page, re.S)
    assert found, ticket
    return found.group(0)


async def _outbox(world: AdminWorld, ticket: str) -> list[OutboxRow]:
    async with world.db.session() as session:
        rows = (await session.scalars(select(OutboxRow).where(OutboxRow.kind == "status")
                                      .order_by(OutboxRow.id))).all()
    return [r for r in rows if r.payload.get("ticket") == ticket]


async def _outside_window(world: AdminWorld) -> None:
    """Make the WhatsApp resident's last message two days old (free-form messages are no longer allowed)."""
    async with world.db.session() as session:
        await session.execute(update(ResidentRow).where(ResidentRow.external_id == WA_USER).values(
            last_inbound_at=dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=2), phone="081234567890"))
        await session.commit()


async def _deliver_whatsapp(world: AdminWorld) -> None:
    """Run the real WhatsApp delivery once, with no approved template (nothing reaches the network)."""
    client = GraphClient(base_url="http://127.0.0.1:9", token="unused", phone_number_id="1")
    sender = WhatsAppSender(client, world.db, templates={}, language="id")
    await DeliveryWorker(world.db, world.outbox, sender, rate=1000, per_recipient_interval=0).run_once()


async def test_messages_to_the_resident_show_their_delivery_state(any_world: AdminWorld) -> None:
    world = any_world
    row = await world.file_complaint(channel="whatsapp", user=WA_USER)
    await world.login("dlh.admin")
    page = await world.get(f"/admin/complaints/{row.ticket}")
    assert "Pemberitahuan ke pelapor" in page and "Belum ada pemberitahuan" in _section(page)

    await world.post(f"/admin/complaints/{row.ticket}/status", {"status": "diterima"}, status=303)
    page = await world.get(f"/admin/complaints/{row.ticket}")
    assert _states(page) == ["Menunggu"]
    assert f"Laporan {row.ticket} Anda sekarang berstatus Diterima" in _section(page)

    # The provider's receipts move the first message on: sent, delivered, read.
    [first] = await _outbox(world, row.ticket)
    [claimed] = await world.outbox.claim(world.db, "whatsapp", 10)
    assert claimed.id == first.id
    await world.outbox.mark_sent(world.db, first.id, external_id="wamid.satu")
    assert _states(await world.get(f"/admin/complaints/{row.ticket}")) == ["Terkirim"]
    await world.outbox.set_delivery_status(world.db, "wamid.satu", "delivered")
    assert _states(await world.get(f"/admin/complaints/{row.ticket}")) == ["Diterima"]
    await world.outbox.set_delivery_status(world.db, "wamid.satu", "read")
    page = await world.get(f"/admin/complaints/{row.ticket}")
    assert _states(page) == ["Dibaca"] and "Pelapor tidak dapat dihubungi" not in page

    # Two days later the next update falls outside WhatsApp's 24-hour window and has no template.
    await world.post(f"/admin/complaints/{row.ticket}/status", {"status": "diproses", "note": "Truk besok."},
                     status=303)
    await _outside_window(world)
    await _deliver_whatsapp(world)
    failed = (await _outbox(world, row.ticket))[-1]
    assert failed.status == "failed" and failed.last_error.startswith(OUTSIDE_WINDOW)
    page = await world.get(f"/admin/complaints/{row.ticket}")
    assert _states(page) == ["Dibaca", "Gagal: di luar jendela 24 jam WhatsApp"]
    assert UNREACHABLE in page and "081234567890" in page  # the phone number the resident shared

    # A newer message that has not failed (yet) lifts the warning.
    await world.post(f"/admin/complaints/{row.ticket}/status", {"status": "selesai", "note": "Sudah diangkut."},
                     status=303)
    page = await world.get(f"/admin/complaints/{row.ticket}")
    assert _states(page)[-1] == "Menunggu" and "Pelapor tidak dapat dihubungi" not in page


async def test_web_chat_messages_wait_until_the_resident_looks(world: AdminWorld) -> None:
    row = await world.file_complaint(channel="web", user="warga-web")
    await world.login("dlh.admin")
    await world.post(f"/admin/complaints/{row.ticket}/status", {"status": "diterima"}, status=303)
    assert _states(await world.get(f"/admin/complaints/{row.ticket}")) == ["Menunggu"]
    assert len(await take_messages(world.db, "web", "warga-web")) == 1
    assert _states(await world.get(f"/admin/complaints/{row.ticket}")) == ["Terkirim"]


async def test_inbox_flags_complaints_whose_last_message_failed(world: AdminWorld) -> None:
    lost = await world.file_complaint(channel="whatsapp", user=WA_USER, description="Sampah di pasar")
    fine = await world.file_complaint(channel="web", user="warga-web", description="Sampah di taman")
    await world.login("dlh.admin")
    for c in (lost, fine):
        await world.post(f"/admin/complaints/{c.ticket}/status", {"status": "diterima"}, status=303)
    await _outside_window(world)
    await _deliver_whatsapp(world)
    page = await world.get("/admin/complaints")
    assert BADGE in _row_of(page, lost.ticket) and BADGE not in _row_of(page, fine.ticket)
    assert page.count(BADGE) == 1
    # Kominfo sees the same flag.
    world.client.session.cookie_jar.clear()
    await world.login("kominfo")
    assert BADGE in _row_of(await world.get("/admin/complaints"), lost.ticket)


async def test_inbox_reads_the_delivery_state_in_one_query(world: AdminWorld) -> None:
    await world.login("dlh.admin")

    async def statements() -> int:
        seen: list[str] = []

        def count(conn, cursor, statement, *args) -> None:  # noqa: ANN001
            seen.append(statement)

        event.listen(world.db.engine.sync_engine, "before_cursor_execute", count)
        try:
            await world.get("/admin/complaints")
        finally:
            event.remove(world.db.engine.sync_engine, "before_cursor_execute", count)
        return len([s for s in seen if "outbox" in s.lower()])

    for n in range(2):
        c = await world.file_complaint(user=f"warga-{n}")
        await world.post(f"/admin/complaints/{c.ticket}/status", {"status": "diterima"}, status=303)
    few = await statements()
    for n in range(2, 8):
        c = await world.file_complaint(user=f"warga-{n}")
        await world.post(f"/admin/complaints/{c.ticket}/status", {"status": "diterima"}, status=303)
    assert few == 1 and await statements() == 1


async def test_queries_are_limited_to_the_admins_opd(world: AdminWorld) -> None:
    row = await world.file_complaint(opd="dpupr", category="jalan-rusak", channel="whatsapp", user=WA_USER)
    await world.login("dpupr.admin")
    await world.post(f"/admin/complaints/{row.ticket}/status", {"status": "diterima"}, status=303)
    await _outside_window(world)
    await _deliver_whatsapp(world)
    async with world.db.session() as session:
        dlh = await session.scalar(select(OpdRow.id).where(OpdRow.slug == "dlh"))
        dpupr = await session.scalar(select(OpdRow.id).where(OpdRow.slug == "dpupr"))
        complaint_id = await session.scalar(select(ComplaintRow.id).where(ComplaintRow.ticket == row.ticket))
        assert await notifications.for_complaint(session, complaint_id, dlh) == []
        assert await notifications.last_failed(session, [complaint_id], dlh) == set()
        assert len(await notifications.for_complaint(session, complaint_id, dpupr)) == 1
        assert await notifications.last_failed(session, [complaint_id], dpupr) == {complaint_id}
        assert await notifications.last_failed(session, [complaint_id], None) == {complaint_id}  # Kominfo


@pytest.mark.parametrize(("status", "receipt", "error", "expected"), [
    ("pending", None, None, "Menunggu"),
    ("sending", None, "network: timed out", "Menunggu"),
    ("sent", None, None, "Terkirim"),
    ("sent", "sent", None, "Terkirim"),
    ("sent", "delivered", None, "Diterima"),
    ("sent", "read", None, "Dibaca"),
    ("failed", None, f"{OUTSIDE_WINDOW}: no approved template for this message",
     "Gagal: di luar jendela 24 jam WhatsApp"),
    ("failed", None, telegram_classify(Forbidden("Forbidden: bot was blocked by the user")).reason,
     "Gagal: pelapor memblokir bot atau menutup obrolan"),
    ("failed", "failed", "WhatsApp could not deliver it: 131026 Message undeliverable",
     "Gagal: WhatsApp tidak dapat mengantarkan pesan"),
    ("failed", None, "gave up after 8 attempts: network: timed out",
     "Gagal: tidak terkirim setelah beberapa kali dicoba"),
    ("sent", "failed", None, "Gagal: pesan tidak dapat dikirim"),
])
def test_delivery_states_read_in_indonesian(status: str, receipt: str | None, error: str | None,
                                            expected: str) -> None:
    assert notifications.state_text(status, receipt, error) == expected
