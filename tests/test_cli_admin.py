"""The admin command line: users, complaints, OPD groups, KB import/export, and `tanyakota chat`."""

from __future__ import annotations

import asyncio
import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from sqlalchemy import select

from bot import cli_admin
from bot.cli import _parser
from knowledge.kbfiles import load_kb
from knowledge.records.db import Database
from knowledge.records.models import ComplaintRow, FaqRow, OpdRow, OutboxRow, UserRow
from tests.conftest_chat import CHAT_KB, TEST_SECRET, TICKET_RE
from tests.test_webchat import settings_for

ROOT = Path(__file__).resolve().parent.parent


def run(tmp_path: Path, *argv: str, stdin: str = "") -> tuple[int, str]:
    """Run a command in-process (in a worker thread: the commands start their own event loop)."""
    out = io.StringIO()

    def call() -> int:
        return cli_admin.run(_parser().parse_args(argv), settings_for(tmp_path), stdin=io.StringIO(stdin), stdout=out)

    return call(), out.getvalue()


async def arun(tmp_path: Path, *argv: str, stdin: str = "") -> tuple[int, str]:
    return await asyncio.to_thread(run, tmp_path, *argv, stdin=stdin)


async def query(tmp_path: Path, stmt):
    db = Database(settings_for(tmp_path).database_url)
    try:
        async with db.session() as session:
            return list((await session.scalars(stmt)).all())
    finally:
        await db.dispose()


def cli_env(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "TANYAKOTA_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'web.db'}",
            "TANYAKOTA_KB": str(CHAT_KB), "TANYAKOTA_SECRET_KEY": TEST_SECRET,
            "TANYAKOTA_MEDIA_DIR": str(tmp_path / "media")}


async def test_users_add_reads_the_password_from_stdin(tmp_path: Path) -> None:
    code, out = await arun(tmp_path, "users", "add", "admin.dlh", "--role", "opd", "--opd", "dlh",
                           stdin="kata-sandi-rahasia-1\n")
    assert code == 0, out
    [user] = await query(tmp_path, select(UserRow).where(UserRow.username == "admin.dlh"))
    assert user.role == "opd" and "kata-sandi-rahasia-1" not in user.password_hash
    code, out = await arun(tmp_path, "users", "add", "admin2", "--role", "opd", "--opd", "tidak-ada",
                           stdin="kata-sandi-rahasia-1\n")
    assert code == 1 and "refused" in out
    code, out = await arun(tmp_path, "users", "add", "pendek", "--role", "kominfo", stdin="123\n")
    assert code == 1 and "refused" in out
    code, out = await arun(tmp_path, "users", "add", "x1", "--role", "opd", stdin="kata-sandi-rahasia-1\n")
    assert code == 2


def test_users_add_as_a_subprocess(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "bot", "users", "add", "kominfo2", "--role", "kominfo"],
                          input="kata-sandi-panjang-sekali\n", capture_output=True, text=True, cwd=ROOT,
                          env=cli_env(tmp_path), timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "created kominfo account kominfo2" in proc.stdout


async def test_complaints_set_status_tells_the_resident(tmp_path: Path) -> None:
    code, out = await asyncio.to_thread(chat_subprocess, tmp_path, [
        "/lapor", "sampah di depan rumah sudah seminggu tidak diangkut", "ya", "lewati", "lewati", "lewati", "ya"])
    ticket = re.findall(TICKET_RE, out)[-1]
    code, out = await arun(tmp_path, "complaints", "set-status", ticket, "diproses", "--note", "Petugas berangkat")
    assert code == 0 and "Sedang diproses" in out
    code, out = await arun(tmp_path, "complaints", "set-status", ticket, "dialihkan", "--opd", "dpupr")
    assert code == 0
    [row] = await query(tmp_path, select(ComplaintRow))
    [dpupr] = await query(tmp_path, select(OpdRow).where(OpdRow.slug == "dpupr"))
    assert row.opd_id == dpupr.id and row.status == "baru"
    messages = await query(tmp_path, select(OutboxRow).where(OutboxRow.channel == "console"))
    assert any("Petugas berangkat" in m.payload["text"] for m in messages)
    code, out = await arun(tmp_path, "complaints", "set-status", "TST-ZZZZZZ", "selesai")
    assert code == 1 and "tidak ditemukan" in out


async def test_opd_set_telegram_group(tmp_path: Path) -> None:
    code, out = await arun(tmp_path, "opd", "set-telegram-group", "dlh", "-1001234567890")
    assert code == 0, out
    [opd] = await query(tmp_path, select(OpdRow).where(OpdRow.slug == "dlh"))
    assert opd.telegram_chat_id == "-1001234567890"
    assert (await arun(tmp_path, "opd", "set-telegram-group", "nope", "-100"))[0] == 1
    assert (await arun(tmp_path, "opd", "set-telegram-group", "dlh", "bukan angka"))[0] == 2


async def test_kb_import_refuses_a_broken_folder_and_export_round_trips(tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(CHAT_KB, broken)
    (broken / "opd" / "dlh.yaml").write_text("slug: dlh\nname: [tidak: valid\n", encoding="utf-8")
    code, out = await arun(tmp_path, "kb", "import", str(broken))
    assert code == 1 and "dlh.yaml" in out and "refused" in out
    good = tmp_path / "good"
    shutil.copytree(CHAT_KB, good)
    text = (good / "opd" / "dinsos.yaml").read_text(encoding="utf-8")
    (good / "opd" / "dinsos.yaml").write_text(text + """  - id: bantuan-lansia
    question: Bagaimana cara mengajukan bantuan untuk lansia terlantar?
    answer: Laporkan ke kelurahan atau Dinas Sosial.
""", encoding="utf-8")
    code, out = await arun(tmp_path, "kb", "import", str(good))
    assert code == 0 and "imported" in out
    assert await query(tmp_path, select(FaqRow).where(FaqRow.key == "bantuan-lansia"))
    code, out = await arun(tmp_path, "kb", "export", str(tmp_path / "out"))
    assert code == 0, out
    exported = load_kb(tmp_path / "out")
    assert not exported.errors
    assert exported.kb.faq("bantuan-lansia") is not None and exported.kb.city.code == "TST"


def chat_subprocess(tmp_path: Path, lines: list[str]) -> tuple[int, str]:
    proc = subprocess.run([sys.executable, "-m", "bot", "chat"], input="\n".join(lines) + "\n", capture_output=True,
                          text=True, cwd=ROOT, env=cli_env(tmp_path), timeout=60)
    return proc.returncode, proc.stdout


def test_tanyakota_chat_with_piped_stdin(tmp_path: Path) -> None:
    code, out = chat_subprocess(tmp_path, ["apa syarat membuat akta kelahiran", "1", "/lapor",
                                           "jalan di depan SD 12 berlubang besar dan membahayakan", "1",
                                           "lokasi: -0.95, 100.35", "lewati", "lewati", "ya", "/status"])
    assert code == 0
    assert "Tanya Kota Uji" in out  # the greeting
    assert "surat keterangan lahir" in out
    assert "1. 👍 Ya\n2. 👎 Tidak" in out  # options numbered
    assert "Terima kasih atas masukan" in out
    tickets = re.findall(TICKET_RE, out)
    assert tickets and "Dinas Pekerjaan Umum dan Penataan Ruang (DPUPR)" in out
    assert "titik -0.95000, 100.35000" in out
    assert "Siapa nama Anda? (opsional)" in out and "Nama: anonim" in out  # the console has no name: asked, skipped
    assert "**" not in out  # bold markers are not shown when piped
    # A status change made meanwhile is shown before the next prompt of the next session.
    asyncio.run(_close(tmp_path, tickets[-1]))
    code, out = chat_subprocess(tmp_path, ["/batal"])
    assert "(pemberitahuan)" in out and "Selesai" in out and "1. 1" in out


async def _close(tmp_path: Path, ticket: str) -> None:
    code, out = await arun(tmp_path, "complaints", "set-status", ticket, "selesai", "--note", "Sudah ditambal")
    assert code == 0, out
