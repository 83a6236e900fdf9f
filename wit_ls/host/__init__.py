"""Disk access for the front doors (CLI and language server); the model never reads the disk."""

from __future__ import annotations

from wit_ls.host.disk import DiskFileSystem, OverlayFileSystem

__all__ = ["DiskFileSystem", "OverlayFileSystem"]
