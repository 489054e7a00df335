"""Where things live: the user's data folder (platformdirs) and the bundled resources."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

APP_NAME = "SRO Desk"
APP_AUTHOR = "SRO Desk"
DEFAULT_DB_NAME = "sro-desk.db"


def data_dir() -> Path:
    """The user's data folder, where the database lives (platformdirs); ``SRO_DESK_DATA_DIR`` overrides."""
    return _folder("SRO_DESK_DATA_DIR", "user_data_dir")


def config_dir() -> Path:
    """The per-laptop preferences folder (platformdirs); ``SRO_DESK_CONFIG_DIR`` overrides."""
    return _folder("SRO_DESK_CONFIG_DIR", "user_config_dir")


def log_dir() -> Path:
    """Where the program's log is kept (platformdirs' user log folder); ``SRO_DESK_LOG_DIR`` overrides."""
    return _folder("SRO_DESK_LOG_DIR", "user_log_dir")


def _folder(override_variable: str, platformdirs_function: str) -> Path:
    override = os.environ.get(override_variable)
    if override:
        folder = Path(override)
    else:
        import platformdirs  # only when no other folder is given

        folder = Path(getattr(platformdirs, platformdirs_function)(APP_NAME, APP_AUTHOR))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def default_database_path() -> Path:
    return data_dir() / DEFAULT_DB_NAME


def resource(*parts: str) -> Path | Traversable:
    """A file shipped under ``resources/`` (works from source, wheel and frozen builds).

    Those three keep the resources as plain files, found from the package's own folder;
    ``importlib.resources`` (which imports zipfile, a cost at start-up) is only the fallback for
    an install that does not.
    """
    import sro_desk.resources as package

    for folder in package.__path__:
        candidate = Path(folder).joinpath(*parts)
        if candidate.exists():
            return candidate
    from importlib import resources

    node = resources.files("sro_desk.resources")
    for part in parts:
        node = node.joinpath(part)
    return node


def resource_text(*parts: str) -> str:
    return resource(*parts).read_text(encoding="utf-8")


def docs_dir() -> Path:
    """The user guide folder: beside the package in a checkout, inside the bundle when frozen."""
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "docs", here / "docs"):
        if (candidate / "user-guide.md").exists():
            return candidate
    return here.parent / "docs"
