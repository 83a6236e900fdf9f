"""Build glue: compile the committed tree-sitter parser into ``wit_ls._grammar`` and ship the
grammar's queries inside the package. Everything else is declared in pyproject.toml."""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).parent
GRAMMAR_SRC = Path("grammar") / "src"
# The oldest supported Python (pyproject's requires-python), as a stable-ABI tag and version.
LIMITED_API_TAG = "cp310"
LIMITED_API_HEX = "0x030A0000"


class BuildPyWithQueries(build_py):
    """Copy grammar/queries/*.scm into the built package as wit_ls/queries/."""

    def run(self) -> None:
        super().run()
        target = Path(self.build_lib) / "wit_ls" / "queries"
        target.mkdir(parents=True, exist_ok=True)
        for query in sorted((ROOT / "grammar" / "queries").glob("*.scm")):
            shutil.copyfile(query, target / query.name)


setup(
    ext_modules=[
        Extension(
            "wit_ls._grammar",
            sources=[
                "wit_ls/_grammar.c",
                str(GRAMMAR_SRC / "parser.c"),
                str(GRAMMAR_SRC / "scanner.c"),
            ],
            include_dirs=[str(GRAMMAR_SRC)],
            extra_compile_args=["-std=c11", "-O2"],
            # The extension uses only the stable ABI (a capsule and a module), so one wheel per
            # platform serves every supported Python (cp310-abi3).
            define_macros=[("Py_LIMITED_API", LIMITED_API_HEX)],
            py_limited_api=True,
        )
    ],
    cmdclass={"build_py": BuildPyWithQueries},
    options={"bdist_wheel": {"py_limited_api": LIMITED_API_TAG}},
)
