"""Over every package root of the real corpus, `wit-ls check` split over processes prints
exactly what the serial check prints, text and JSON, exit code included (with no size limit on
a split, so that every root with more than one package group is split); and so it does with
the worst grouping, every package folder or file a group of its own, where the groups'
analyses must show that most splits do not stand."""

from __future__ import annotations

import contextlib
import io

import pytest
from support.oracle import corpus_dir, read_tsv

from wit_ls.cli import check_cmd, check_split
from wit_ls.model import package_groups
from wit_ls.model.fs import FileSystem


def _check(*argv: str) -> tuple[int, str, str]:
    args = check_cmd.quick_args(["--no-cache", *argv])
    assert args is not None
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = check_cmd.run(args)
    return code, out.getvalue(), err.getvalue()


def _every_unit_alone(_fs: FileSystem, units: list[package_groups.Unit]
                      ) -> list[tuple[list[str], int]] | None:
    return [([unit.path], 1) for unit in units]


@pytest.mark.parametrize("worst", [False, True], ids=["scanned groups", "worst groups"])
@pytest.mark.parametrize("fmt", ["text", "json"])
def test_split_equals_serial_over_the_corpus(monkeypatch: pytest.MonkeyPatch, fmt: str,
                                             worst: bool) -> None:
    real = corpus_dir("real")
    if real is None:
        pytest.skip("needs ../shared/corpus/real (the team's shared corpus) beside the checkout")
    monkeypatch.chdir(real)
    monkeypatch.setattr(check_split, "MIN_SPLIT_BYTES", 0)
    if worst:
        monkeypatch.setattr(package_groups, "independent_groups", _every_unit_alone)
    answers: list[bool] = []
    decide = check_split.clean_by_split

    def spy(*args: object) -> bool:
        answer = decide(*args)  # type: ignore[arg-type]
        answers.append(answer)
        return answer

    monkeypatch.setattr(check_split, "clean_by_split", spy)
    dirs = [r["path"] for r in read_tsv(real / "verdicts.tsv") if r["input_kind"] == "dir"]
    for root in dirs:
        serial = _check("--format", fmt, "--jobs", "1", root)
        assert _check("--format", fmt, "--jobs", "2", root) == serial, root
    # (The split decided on some roots, fell back on others: both paths were compared.)
    assert 0 < sum(answers) < len(answers) == len(dirs)
