"""Bandit's rules (ruff `S`) run on the whole project, and every silenced finding says why."""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NOQA_S = re.compile(r"#\s*noqa:\s*(?P<codes>[A-Z0-9, ]*S\d{3}[A-Z0-9, ]*)(?P<rest>.*)$")


def _project_files() -> list[Path]:
    skipped = {".venv", "var", "locale", "locale_vendor", "migrations", "node_modules"}
    return [path for path in ROOT.rglob("*.py") if not skipped & set(path.relative_to(ROOT).parts)]


def test_ruff_selects_the_bandit_rules_and_ignores_none_of_them_outside_tests():
    lint = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["ruff"]["lint"]

    assert "S" in lint["select"]
    assert not [code for code in lint.get("ignore", []) if code.startswith("S")]
    for pattern, codes in lint.get("per-file-ignores", {}).items():
        if any(code.startswith("S") for code in codes):
            assert pattern.startswith(("tests/", "bench/")), pattern


def test_every_silenced_bandit_finding_carries_its_reason():
    unexplained = []
    for path in _project_files():
        lines = path.read_text().splitlines()
        for number, line in enumerate(lines, start=1):
            match = NOQA_S.search(line)
            if not match:
                continue
            # The reason follows the noqa, or is the comment on the line just above.
            above = lines[number - 2].strip() if number > 1 else ""
            if len(match.group("rest").strip(" ()-:")) < 10 and not above.startswith("#"):
                unexplained.append(f"{path.relative_to(ROOT)}:{number}")

    assert unexplained == []
