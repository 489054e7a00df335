"""Training import: a completion record keeps the certificate number, the module version and
the issuing ESD that an ESD's completion roster gives for it.

Plain ``ALTER TABLE ... ADD COLUMN ... NOT NULL DEFAULT ''``: SQLite and PostgreSQL add such a
column in place. (peewee's ``add_column`` adds it as nullable and then, on SQLite, rebuilds the
table to make it NOT NULL; dropping the old table with foreign keys on would cascade to the
evidence links.) A column already there is left alone, so the migration can be run again.
"""

TABLE = "training_completion_record"
COLUMNS = ("certificate_number", "module_version", "issuing_esd")


def up(migrator, db):
    with db.atomic():
        present = {column.name for column in db.get_columns(TABLE)}
        for column in COLUMNS:
            if column not in present:
                db.execute_sql(
                    f"ALTER TABLE {TABLE} ADD COLUMN {column} VARCHAR(255) NOT NULL DEFAULT ''"
                )
