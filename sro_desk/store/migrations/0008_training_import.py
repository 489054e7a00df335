"""Training import: a completion record keeps the certificate number, the module version and
the issuing ESD that an ESD's completion roster gives for it.

Plain ``ALTER TABLE ... ADD COLUMN ... NOT NULL DEFAULT ''``: SQLite adds such a column in place.
(peewee's ``add_column`` would add it as nullable and then rebuild the table to make it NOT NULL;
dropping the old table with foreign keys on would cascade to the evidence links.)
"""

COLUMNS = ("certificate_number", "module_version", "issuing_esd")


def up(migrator, db):
    with db.atomic():
        for column in COLUMNS:
            db.execute_sql(
                f"ALTER TABLE training_completion_record "
                f"ADD COLUMN {column} VARCHAR(255) NOT NULL DEFAULT ''"
            )
