"""Knowledge-base folder loader and `kb validate`: every problem reported with file and line."""

import datetime as dt
import subprocess
import sys
from pathlib import Path

from knowledge.kbfiles import load_kb

REPO = Path(__file__).resolve().parent.parent
GOOD = """\
slug: dlh
name: Dinas Lingkungan Hidup
complaint_categories:
  - code: sampah-tidak-diangkut
    name: Sampah tidak diangkut
faqs:
  - id: jadwal-sampah
    question: Jam berapa buang sampah?
    answer: Sore sampai subuh.
"""


def write_kb(root: Path, files: dict[str, str], city: str | None = None) -> Path:
    (root / "opd").mkdir(parents=True, exist_ok=True)
    if city is not None:
        (root / "city.yaml").write_text(city, encoding="utf-8")
    for name, text in files.items():
        (root / "opd" / name).write_text(text, encoding="utf-8")
    return root


def problems(root: Path, today: dt.date | None = None) -> list[str]:
    return [str(p) for p in load_kb(root, today=today).problems]


def test_good_folder_loads_cleanly(tmp_path):
    result = load_kb(write_kb(tmp_path, {"dlh.yaml": GOOD}, city="code: PDG\nname: Kota Padang\n"))
    assert result.problems == ()
    assert result.kb.city.code == "PDG"
    assert [f.id for f in result.kb.faqs] == ["jadwal-sampah"]
    assert result.kb.faq("jadwal-sampah").opd == "dlh"


def test_unknown_key_is_an_error_with_its_line(tmp_path):
    text = GOOD.replace("    answer: Sore sampai subuh.\n", "    answer: Sore sampai subuh.\n    anwser: typo\n")
    found = problems(write_kb(tmp_path, {"dlh.yaml": text}))
    assert any(p.endswith("dlh.yaml:10: error: unknown key 'anwser' in FAQ (allowed: alternatives, answer, id, keywords, "
                          "question, review_by, source)") for p in found), found


def test_duplicate_faq_id_across_files(tmp_path):
    other = GOOD.replace("slug: dlh", "slug: pdam").replace("sampah-tidak-diangkut", "air-mati")
    result = load_kb(write_kb(tmp_path, {"dlh.yaml": GOOD, "pdam.yaml": other}))
    dupes = [p for p in result.errors if "duplicate FAQ id 'jadwal-sampah'" in p.message]
    assert len(dupes) == 1 and dupes[0].file.endswith("pdam.yaml") and dupes[0].line == 7
    assert [f.id for f in result.kb.faqs] == ["jadwal-sampah"]  # the first one is kept


def test_empty_answer_refuses_the_entry(tmp_path):
    text = GOOD.replace("answer: Sore sampai subuh.", 'answer: ""')
    result = load_kb(write_kb(tmp_path, {"dlh.yaml": text}))
    assert any(p.line == 9 and "'answer' is missing or empty" in p.message for p in result.errors)
    assert result.kb.faqs == ()
    assert len(result.kb.opds) == 1  # the rest of the file still loads


def test_bad_slug_and_slug_not_file_name(tmp_path):
    bad = problems(write_kb(tmp_path / "a", {"Dinas LH.yaml": GOOD.replace("slug: dlh", "slug: Dinas LH")}))
    assert any(":1: error: slug 'Dinas LH' must use only a-z, 0-9 and '-'" in p for p in bad), bad
    other = problems(write_kb(tmp_path / "b", {"lingkungan.yaml": GOOD}))
    assert any(":1: error: slug 'dlh' must equal the file name 'lingkungan'" in p for p in other), other


def test_bad_yaml_reports_its_line(tmp_path):
    text = GOOD + "  - id: [unclosed\n    question: x\n"
    found = problems(write_kb(tmp_path, {"dlh.yaml": text}))
    assert len(found) == 1 and "not valid YAML" in found[0]
    assert ":11: error:" in found[0] or ":12: error:" in found[0], found


def test_review_by_passed_is_a_warning(tmp_path):
    text = GOOD.replace("    answer: Sore sampai subuh.\n", "    answer: Sore sampai subuh.\n    review_by: 2024-01-31\n")
    result = load_kb(write_kb(tmp_path, {"dlh.yaml": text}), today=dt.date(2025, 6, 1))
    assert result.errors == ()
    [warning] = result.problems
    assert warning.severity == "warning" and warning.line == 10 and "has passed" in warning.message
    assert result.kb.faqs[0].review_by == dt.date(2024, 1, 31)


def run_validate(folder: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bot", "kb", "validate", str(folder)], cwd=REPO,
                          capture_output=True, text=True, timeout=60)


def test_kb_validate_exit_codes(tmp_path):
    good = run_validate(write_kb(tmp_path / "good", {"dlh.yaml": GOOD}))
    assert good.returncode == 0, good.stdout + good.stderr
    assert "0 error(s)" in good.stdout

    warn_only = GOOD.replace("    answer: Sore sampai subuh.\n", "    answer: Sore sampai subuh.\n    review_by: 2000-01-01\n")
    warned = run_validate(write_kb(tmp_path / "warn", {"dlh.yaml": warn_only}))
    assert warned.returncode == 0 and ": warning: " in warned.stdout

    bad = run_validate(write_kb(tmp_path / "bad", {"dlh.yaml": GOOD.replace("name: Dinas", "nama: Dinas")}))
    assert bad.returncode == 1
    lines = bad.stdout.splitlines()
    assert any(line.startswith(str(tmp_path / "bad" / "opd" / "dlh.yaml") + ":2: error: ") for line in lines), lines
    assert "error(s)" in lines[-1]

    assert run_validate(tmp_path / "missing").returncode == 1


def test_default_kb_validates():
    result = run_validate(REPO / "knowledge" / "data" / "padang")
    assert result.returncode == 0, result.stdout


def test_the_default_kb_round_trips_through_export(tmp_path):
    from knowledge.kb import default_kb_path
    from knowledge.kbexport import export_kb

    original = load_kb(default_kb_path())
    export_kb(original.kb, tmp_path)
    again = load_kb(tmp_path)
    assert not again.errors
    assert again.kb.city == original.kb.city
    assert again.kb.opds == original.kb.opds
