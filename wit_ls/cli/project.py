"""The project configuration file as every command reads it.

Discovery is :func:`wit_ls.model.project_config.find_config` (the server uses it too), starting
at the first path a command was given; the file is read and validated by
:func:`wit_ls.lint.config.load_config`, imported only when a file exists so that a plain
``wit-ls check`` pays nothing for it. A broken file ends the command with exit code 2.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from wit_ls.cli.files import error
from wit_ls.host.disk import DiskFileSystem
from wit_ls.model.project_config import find_config

TYPE_CHECKING = False  # not typing's: see wit_ls.light_typing
if TYPE_CHECKING:
    from wit_ls.lint.config import LintConfig


def project_config(paths: Sequence[str]) -> LintConfig | None:
    """The configuration that applies to ``paths[0]`` (or the current folder), None when there
    is no file; on a broken file, report it and raise ``SystemExit(2)``."""
    disk = DiskFileSystem()
    found = find_config(os.path.abspath(paths[0] if paths else "."), disk)
    if found is None:
        return None
    from wit_ls.lint.config import ConfigError, load_config

    try:
        return load_config(found, disk)
    except ConfigError as err:
        raise SystemExit(error(f"configuration error: {err}")) from None
