"""No two active bookings of one resource overlap, enforced by PostgreSQL itself.

The model state does not know this constraint (SQLite cannot express it; there
``services.book`` checks inside an IMMEDIATE transaction, which serialises writers).
"""

from django.db import migrations

CONSTRAINT = "hub_booking_no_overlap"


def add_exclusion(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    schema_editor.execute(
        f"ALTER TABLE hub_booking ADD CONSTRAINT {CONSTRAINT} EXCLUDE USING gist "
        '(resource_id WITH =, tstzrange("start", "end", \'[)\') WITH &&) '
        "WHERE (status IN ('requested', 'confirmed'))"
    )


def drop_exclusion(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE hub_booking DROP CONSTRAINT IF EXISTS {CONSTRAINT}")


class Migration(migrations.Migration):
    dependencies = [("hub", "0001_initial")]

    operations = [migrations.RunPython(add_exclusion, drop_exclusion)]
