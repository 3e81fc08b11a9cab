"""The Dockerfile, checked as far as a machine without a Docker engine allows.

hadolint lints it; its facts (non-root user, health check on /healthz, the data volume) are read
from it; and its build step is replayed: a wheel is built from exactly the files it copies, so a
package or data file the image would miss fails here rather than at a city's first `docker build`.
"""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCKERFILE = ROOT / "Dockerfile"


def _instructions() -> list[tuple[str, str]]:
    """Return (INSTRUCTION, arguments) pairs, continuation lines joined, comments dropped."""
    joined = DOCKERFILE.read_text(encoding="utf-8").replace("\\\n", " ")
    out = []
    for line in joined.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            out.append((word.upper(), rest.strip()))
    return out


def _final_stage() -> list[tuple[str, str]]:
    instructions = _instructions()
    last_from = max(i for i, (word, _) in enumerate(instructions) if word == "FROM")
    return instructions[last_from:]


def test_hadolint_finds_nothing() -> None:
    hadolint = shutil.which("hadolint") or str(Path(sys.executable).parent / "hadolint")
    result = subprocess.run([hadolint, str(DOCKERFILE)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_image_runs_as_a_user_with_a_health_check_and_a_data_volume() -> None:
    final = dict(_final_stage())
    user = final["USER"].split(":")[0]
    assert user not in ("0", "root")
    assert "/healthz" in final["HEALTHCHECK"]
    assert "/data" in final["VOLUME"]
    assert "TANYAKOTA_DATABASE_URL=sqlite+aiosqlite:////data/" in final["ENV"]
    assert "tanyakota" in final["CMD"] and "serve" in final["CMD"]


def test_a_wheel_builds_from_exactly_the_files_the_image_copies(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    for word, args in _instructions():
        if word == "COPY" and not args.startswith("--from"):
            *sources, _ = shlex.split(args)
            for name in sources:
                path = ROOT / name
                if path.is_dir():
                    shutil.copytree(path, src / name, ignore=shutil.ignore_patterns("__pycache__"))
                else:
                    shutil.copy2(path, src / name)
    result = subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(tmp_path / "dist"),
                             str(src)], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    (wheel,) = (tmp_path / "dist").glob("tanyakota-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in ("bot/cli.py", "handlers/dispatch.py", "admin/app.py", "knowledge/data/decision.json",
                   "admin/templates/base.html"):
        assert needed in names, needed
    assert any(n.startswith("knowledge/data/padang/") for n in names)
    assert any(n.startswith("knowledge/records/migrations/") for n in names)
    assert any(n.endswith("licenses/LICENSE") for n in names)
