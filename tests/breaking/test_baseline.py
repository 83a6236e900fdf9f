"""The older version for the editor: a folder named by `breaking.against`, or the setting from
`[breaking] against` of wit-ls.toml; the comparison follows the current analysis."""

from __future__ import annotations

from pathlib import Path

from wit_ls.host.disk import DiskFileSystem
from wit_ls.lsp.baseline import Baseline, configured_against
from wit_ls.model import Analysis, Options, analyze

OLD = "package a:b@1.0.0;\n\ninterface api {\n  f: func();\n}\n"
NEW = "package a:b@1.0.0;\n\ninterface api {\n  f: func(x: u8);\n}\n"


class _Workspace:
    def __init__(self, root: Path) -> None:
        self.root = root

    def analysis(self, roots: tuple[str, ...]) -> Analysis:
        return analyze(DiskFileSystem(), list(roots), Options())


def _write(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True)
    (folder / "api.wit").write_text(text, encoding="utf-8")
    return folder


def test_a_folder_as_the_older_version(tmp_path: Path) -> None:
    old = _write(tmp_path / "release", OLD)
    new = _write(tmp_path / "work" / "wit", NEW)
    baseline = Baseline()
    baseline.configure(str(old), (str(tmp_path / "work"),), Options())
    result = baseline.result(_Workspace(new), (str(new),))
    assert result is not None
    # The parameter, then the package-level summaries (a break within 1.x, version unchanged).
    assert [f.code for f in result.findings] == ["B203", "B705", "B706"]


def test_a_relative_folder_is_found_in_a_workspace_folder(tmp_path: Path) -> None:
    _write(tmp_path / "work" / "old", OLD)
    new = _write(tmp_path / "work" / "wit", NEW)
    baseline = Baseline()
    baseline.configure("old", (str(tmp_path / "work"),), Options())
    result = baseline.result(_Workspace(new), (str(new),))
    assert result is not None and result.findings


def test_no_setting_and_no_configuration_means_no_comparison(tmp_path: Path) -> None:
    new = _write(tmp_path / "work" / "wit", NEW)
    baseline = Baseline()
    baseline.configure(None, (str(tmp_path / "work"),), Options())
    assert baseline.result(_Workspace(new), (str(new),)) is None


def test_the_configuration_file_names_the_older_version(tmp_path: Path) -> None:
    new = _write(tmp_path / "work" / "wit", NEW)
    (tmp_path / "work" / "wit-ls.toml").write_text('[breaking]\nagainst = "origin/main"\n',
                                                   encoding="utf-8")
    assert configured_against(str(new), DiskFileSystem()) == "origin/main"
    (tmp_path / "work" / "wit-ls.toml").write_text("[lint]\npreset = \"minimal\"\n",
                                                   encoding="utf-8")
    assert configured_against(str(new), DiskFileSystem()) is None
    # A broken file names nothing (the workspace reports it with the file's other settings).
    (tmp_path / "work" / "wit-ls.toml").write_text('[breaking]\nagainst = 3\n', encoding="utf-8")
    assert configured_against(str(new), DiskFileSystem()) is None


def test_the_configuration_is_read_through_the_workspace_file_system(tmp_path: Path) -> None:
    from wit_ls.model.fs import MemoryFileSystem

    root = str(tmp_path / "work" / "wit")
    unsaved = MemoryFileSystem({f"{tmp_path}/work/wit-ls.toml": '[breaking]\nagainst = "v1"\n',
                                f"{root}/api.wit": NEW})
    assert configured_against(root, unsaved) == "v1"
