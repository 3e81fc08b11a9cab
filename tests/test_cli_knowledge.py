"""`tanyakota ask` / `route` end to end through the installed script: JSON lines in, JSON lines out."""

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SCRIPT = Path(sys.executable).parent / "tanyakota"

TINY_OPD = """\
slug: dlh
name: Dinas Lingkungan Hidup
complaint_categories:
  - code: sampah-tidak-diangkut
    name: Sampah tidak diangkut
    keywords: [sampah, tps, diangkut]
faqs:
  - id: jadwal-sampah
    question: Jam berapa boleh membuang sampah ke TPS?
    answer: Sore sampai subuh.
    keywords: [sampah, tps, jadwal]
  - id: bank-sampah
    question: Bagaimana cara menabung di bank sampah?
    answer: Daftar sebagai nasabah.
"""


def tanyakota(*args: str, lines: list[str]) -> tuple[int, list[dict], str]:
    command = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "bot"]
    proc = subprocess.run([*command, *args], input="".join(line + "\n" for line in lines), cwd=REPO,
                          capture_output=True, text=True, timeout=120)
    return proc.returncode, [json.loads(line) for line in proc.stdout.splitlines()], proc.stderr


def test_ask_answers_suggests_and_abstains():
    code, out, err = tanyakota("ask", lines=[
        json.dumps({"text": "kk saya hilang gmn ngurusnya"}),
        json.dumps({"text": "resep rendang daging yang empuk"}),
        json.dumps({"text": "halo"}),
    ])
    assert code == 0, err
    answered, off_topic, greeting = out
    assert set(answered) == {"text", "faq_id", "opd", "score", "answer", "suggestions"}
    assert answered["text"] == "kk saya hilang gmn ngurusnya"
    assert answered["faq_id"] == "dukcapil-kk-hilang-rusak" and answered["opd"] == "disdukcapil"
    assert answered["answer"] and 0 < answered["score"] <= 1
    assert answered["score"] == round(answered["score"], 4)
    assert answered["faq_id"] not in answered["suggestions"] and len(answered["suggestions"]) <= 3
    for row in (off_topic, greeting):
        assert row["faq_id"] is None and row["opd"] is None and row["answer"] is None
        assert 0 <= row["score"] <= 1 and isinstance(row["suggestions"], list)
    assert greeting["score"] == 0 and greeting["suggestions"] == []


def test_ask_reports_bad_lines_and_goes_on():
    code, out, _ = tanyakota("ask", lines=["not json", json.dumps({"teks": "x"}), json.dumps(["text"]),
                                           json.dumps({"text": 5}), json.dumps({"text": "jam buka mpp"})])
    assert code == 0
    assert len(out) == 5
    for row in out[:4]:
        assert row["error"] and row["faq_id"] is None and row["opd"] is None and row["answer"] is None
        assert row["suggestions"] == []
    assert "error" not in out[4] and out[4]["text"] == "jam buka mpp"


def test_route_and_bad_lines():
    code, out, err = tanyakota("route", lines=[
        json.dumps({"text": "lampu jalan depan rumah mati sudah seminggu"}),
        json.dumps({"text": "halo"}),
        "{broken",
    ])
    assert code == 0, err
    lamp, greeting, broken = out
    assert set(lamp) == {"text", "opd", "category", "score"}
    assert lamp["opd"] == "dishub" and lamp["category"] and 0 < lamp["score"] <= 1
    assert greeting == {"text": "halo", "opd": None, "category": None, "score": 0.0}
    assert broken["error"] and broken["opd"] is None and broken["category"] is None


def test_route_leaves_the_citys_place_names_out():
    # As in the chat: "Ulak Karang" (a kelurahan of Padang, from the KB folder's kelurahan.tsv) says where the
    # lamp is, not what the complaint is about (its words had sent it to BPBD's tsunami shelters).
    code, out, err = tanyakota("route", lines=[json.dumps({"text": "lampu jalan mati di kelurahan ulak karang"})])
    assert code == 0, err
    assert out[0]["opd"] == "dishub"


def test_ask_and_route_with_another_kb(tmp_path):
    (tmp_path / "opd").mkdir()
    (tmp_path / "opd" / "dlh.yaml").write_text(TINY_OPD, encoding="utf-8")
    code, out, err = tanyakota("ask", "--kb", str(tmp_path), lines=[json.dumps({"text": "jam brp buang sampah ke tps"})])
    assert code == 0, err
    assert out[0]["faq_id"] == "jadwal-sampah" and out[0]["answer"] == "Sore sampai subuh."
    code, out, err = tanyakota("route", "--kb", str(tmp_path), lines=[json.dumps({"text": "sampah di tps ga diangkut"})])
    assert code == 0, err
    assert out[0]["opd"] == "dlh" and out[0]["category"] == "sampah-tidak-diangkut"


def test_ask_without_a_usable_kb_fails(tmp_path):
    code, out, _ = tanyakota("ask", "--kb", str(tmp_path / "missing"), lines=[json.dumps({"text": "x"})])
    assert code != 0 and out == []


@pytest.mark.parametrize("command", ["ask"])
def test_thousand_lines_in_seconds(command):
    lines = [json.dumps({"text": f"min sampah di tps ga diangkut udh {i} hari gmn"}) for i in range(1000)]
    start = time.perf_counter()
    code, out, err = tanyakota(command, lines=lines)
    elapsed = time.perf_counter() - start
    assert code == 0, err
    assert len(out) == 1000
    assert elapsed < 10, f"{command}: 1,000 lines took {elapsed:.1f} s (target 5 s; 10 s allows a loaded CI machine)"


def test_ask_does_not_import_the_web_or_database_stack():
    probe = ("import sys, io, json; from bot import cli_knowledge; "
             "cli_knowledge.ask_or_route('ask', None, io.StringIO(json.dumps({'text': 'ktp'})), io.StringIO()); "
             "print(sorted(m for m in ('aiohttp', 'telegram', 'sqlalchemy') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert out.stdout.strip().splitlines()[-1] == "[]", out.stdout + out.stderr


def test_a_reader_that_stops_early_gets_no_traceback():
    """`tanyakota ask < questions.jsonl | head -1`: the closed pipe ends the run quietly."""
    command = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "bot"]
    proc = subprocess.Popen([*command, "ask"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, cwd=REPO)
    line = json.dumps({"text": "cara bikin ktp baru"}).encode() + b"\n"
    proc.stdin.write(line)
    proc.stdin.flush()
    first = json.loads(proc.stdout.readline())
    proc.stdout.close()  # like `head -1` leaving
    try:
        proc.stdin.write(line * 20000)
        proc.stdin.close()
    except BrokenPipeError:  # the process may already have ended
        pass
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 1
    assert first["text"] == "cara bikin ktp baru"
    assert "Traceback" not in err and "BrokenPipe" not in err
