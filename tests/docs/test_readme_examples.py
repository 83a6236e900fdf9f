"""README.md's sample session is real: the command it shows, run in the example folder it names,
prints exactly the text it shows; and the set-up example checks clean."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "wit_ls", *args], cwd=cwd, text=True,
                          capture_output=True, timeout=60, check=False)


def test_readme_sample_output_is_what_the_mistakes_example_prints() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"^```text\n\$ cd (examples/\S+) && wit-ls ([^\n]+)\n(.*?)^```", readme,
                      flags=re.M | re.S)
    assert block is not None, "README.md lost its sample session"
    folder, command, shown = block.group(1), block.group(2), block.group(3)
    result = _run(command.split(), ROOT / folder)
    assert shown.strip(), "the sample session shows no output"
    assert result.stdout == shown
    assert result.returncode == 1, result.stderr


def test_setup_example_checks_clean() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"wit-ls check (examples/\S+)", readme)
    assert match is not None
    result = _run(["check", match.group(1)], ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
