"""Incident fields the law now asks for, per involved student.

Adds to ``call_student_record`` (nothing is removed or rewritten, so an existing file migrates
without loss; its single race value stays as it was and reads as "collected before detailed
categories"):

Every column may be NULL (a row written before, by another program or by plain SQL on the
server): NULL and "" both read as "not recorded".

* ``grade`` — the student's grade ("" = not recorded), for the CRDC's K-12 rule;
* ``race_detail`` — the detailed race and ethnicity codes as collected (JSON list; "" = none);
* ``hispanic`` — the Hispanic or Latino answer as collected (NULL = not collected);
* ``hispanic_origins`` — the Hispanic or Latino origin codes (JSON list; "" = none);
* ``police_contact`` — the structured police contact fields (JSON object; "" = not recorded),
  each validated against the catalog by ``domain.police_contact``.

Frozen column definitions: the live model may change later, this file never does.
"""

from peewee import BooleanField, CharField, TextField
from playhouse.migrate import migrate


def up(migrator, db):
    table = "call_student_record"
    columns = {
        "grade": CharField(null=True, default=""),
        "race_detail": TextField(null=True, default=""),
        "hispanic": BooleanField(null=True),
        "hispanic_origins": TextField(null=True, default=""),
        "police_contact": TextField(null=True, default=""),
    }
    present = {c.name for c in db.get_columns(table)}  # run twice, it adds nothing twice
    operations = [migrator.add_column(table, name, field)
                  for name, field in columns.items() if name not in present]
    if operations:
        migrate(*operations)
