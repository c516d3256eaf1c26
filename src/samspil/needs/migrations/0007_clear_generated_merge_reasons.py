"""Clear the "Merged into …" texts that merging used to store as a merged need's reason.

They were written in the language of whoever merged, so readers of the other languages saw
the wrong one; pages now render that text from ``merged_into`` in each reader's language.
A merge never took a reason from a person, so every merged need's reason in one of these
forms was generated. The survivor's title may have changed since, so the forms are matched
by what comes before and after the title.
"""

from django.db import migrations

# "Merged into “%(title)s”." in English, Danish, Norwegian and Swedish, split at the title.
GENERATED_FORMS = [
    ("Merged into “", "”."),
    ("Sammenlagt med »", "«."),
    ("Slått sammen med «", "»."),
    ("Sammanslaget med ”", "”."),
]


def clear_generated_reasons(apps, schema_editor):
    Need = apps.get_model("needs", "Need")
    merged = Need.objects.filter(status="merged").exclude(status_reason="")
    generated = [
        pk
        for pk, reason in merged.values_list("pk", "status_reason").iterator()
        if any(reason.startswith(a) and reason.endswith(b) for a, b in GENERATED_FORMS)
    ]
    Need.objects.filter(pk__in=generated).update(status_reason="")


class Migration(migrations.Migration):
    dependencies = [("needs", "0006_list_index_covers_visibility")]

    operations = [migrations.RunPython(clear_generated_reasons, migrations.RunPython.noop)]
