"""Per-laptop preferences (window geometry, recent files, who is making changes) in an INI file."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

from sro_desk.paths import config_dir

MAX_RECENT = 8


def config_path() -> Path:
    return config_dir() / "preferences.ini"


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
