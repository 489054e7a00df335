"""Settings kept in the database (they belong to the district, not to one laptop). Values are JSON."""

from __future__ import annotations

import json
from typing import Any

from sro_desk.store.audit import audited_create, audited_update
from sro_desk.store.foundation_records import SettingRecord

DISTRICT_NAME = "district.name"
DISTRICT_ESD = "district.esd"
DISTRICT_TIME_ZONE = "district.time_zone"


def get_setting(key: str, default: Any = None) -> Any:
    row = SettingRecord.get_or_none(SettingRecord.key == key)
    if row is None:
        return default
    return json.loads(row.value)


def set_setting(key: str, value: Any, *, reason: str = "") -> None:
    from sro_desk.store.audit import RESERVED_PREFIX

    if key.startswith(RESERVED_PREFIX):
        raise ValueError(f"{key} is written only by the audit layer")
    text = json.dumps(value, sort_keys=True, default=str)
    row = SettingRecord.get_or_none(SettingRecord.key == key)
    if row is None:
        audited_create(SettingRecord, key=key, value=text, reason=reason)
    else:
        audited_update(row, value=text, reason=reason)


def district_name() -> str:
    return str(get_setting(DISTRICT_NAME, "") or "")


def district_esd() -> str:
    return str(get_setting(DISTRICT_ESD, "") or "")


def is_set_up() -> bool:
    return bool(district_name())


def district_time_zone() -> str:
    from sro_desk.clock import DEFAULT_TIME_ZONE

    return str(get_setting(DISTRICT_TIME_ZONE, DEFAULT_TIME_ZONE) or DEFAULT_TIME_ZONE)
