"""The one database handle every record class binds to, filled in by ``open_database``."""

from __future__ import annotations

from peewee import DatabaseProxy, Model

database_proxy = DatabaseProxy()


class BaseRecord(Model):
    class Meta:
        database = database_proxy
        legacy_table_names = False


def all_record_classes() -> list[type[BaseRecord]]:
    """Every live record class, after importing every ``*_records`` module of the store."""
    import importlib
    import pkgutil

    import sro_desk.store as store_pkg

    for info in pkgutil.iter_modules(store_pkg.__path__):
        if info.name.endswith("records"):
            importlib.import_module(f"sro_desk.store.{info.name}")
    found: list[type[BaseRecord]] = []
    stack: list[type[BaseRecord]] = list(BaseRecord.__subclasses__())
    while stack:
        cls = stack.pop()
        if cls not in found and not getattr(cls._meta, "abstract", False):
            found.append(cls)
        stack.extend(cls.__subclasses__())
    return sorted(found, key=lambda c: c._meta.table_name)
