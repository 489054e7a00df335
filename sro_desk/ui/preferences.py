"""Per-laptop preferences (window geometry, recent files, who is making changes) in an INI file."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths

from sro_desk.paths import APP_NAME

MAX_RECENT = 8


def config_path() -> Path:
    """``<the platform's configuration folder>/SRO Desk/preferences.ini``, found by Qt, which is
    loaded anyway (on Linux ``$XDG_CONFIG_HOME``, else ``~/.config``; on Windows
    ``%LOCALAPPDATA%``; on macOS ``~/Library/Preferences``); ``SRO_DESK_CONFIG_DIR`` overrides."""
    override = os.environ.get("SRO_DESK_CONFIG_DIR")
    if override:
        folder = Path(override)
    else:
        base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.GenericConfigLocation)
        folder = Path(base) / APP_NAME
    folder.mkdir(parents=True, exist_ok=True)
    return folder / "preferences.ini"


def app_settings() -> QSettings:
    return QSettings(str(config_path()), QSettings.Format.IniFormat)


def recent_files() -> list[Path]:
    value = app_settings().value("recent_files", [])
    items = [value] if isinstance(value, str) else list(value or [])
    return [Path(p) for p in items if p]


def remember_file(path: Path) -> None:
    items = [p for p in recent_files() if p.resolve() != path.resolve()]
    items.insert(0, path.resolve())
    app_settings().setValue("recent_files", [str(p) for p in items[:MAX_RECENT]])


def actor_name() -> str:
    return str(app_settings().value("actor_name", "") or "")


def set_actor_name(name: str) -> None:
    app_settings().setValue("actor_name", name.strip())
