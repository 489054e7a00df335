"""The district's name and Educational Service District (ESD), as the set-up dialog edits them."""

from __future__ import annotations

from sro_desk.store import settings


def district_name() -> str:
    return settings.district_name()


def district_esd() -> str:
    return settings.district_esd()


def save_district(name: str, esd: str, *, reason: str = "") -> None:
    """Store what changed of the district's name and ESD (each change audited)."""
    name, esd = name.strip(), esd.strip()
    if name != settings.district_name():
        settings.set_setting(settings.DISTRICT_NAME, name, reason=reason)
    if esd != settings.district_esd():
        settings.set_setting(settings.DISTRICT_ESD, esd, reason=reason)
