from django.db import migrations

CODES = ["member", "innovation_lead", "procurement_officer", "board_member", "admin"]


def create_roles(apps, schema_editor):
    Role = apps.get_model("core", "Role")
    for code in CODES:
        Role.objects.get_or_create(code=code)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
