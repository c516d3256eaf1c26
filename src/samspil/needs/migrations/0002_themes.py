from django.db import migrations

THEMES = [
    ("care", "Pleje og omsorg", "Pleie og omsorg", "Vård och omsorg", "Care"),
    ("health", "Sundhed", "Helse", "Hälsa", "Health"),
    ("children", "Børn og unge", "Barn og unge", "Barn och unga", "Children and young people"),
    ("social", "Social og beskæftigelse", "Sosial og arbeid", "Socialt och arbete", "Social services and employment"),
    ("administration", "Administration og økonomi", "Administrasjon og økonomi", "Administration och ekonomi", "Administration and finance"),
    ("procurement", "Indkøb", "Innkjøp", "Inköp", "Purchasing"),
    ("climate", "Klima og miljø", "Klima og miljø", "Klimat och miljö", "Climate and environment"),
    ("construction", "Byggeri og anlæg", "Bygg og anlegg", "Bygg och anläggning", "Construction"),
    ("digital", "Digitalisering og data", "Digitalisering og data", "Digitalisering och data", "Digitalisation and data"),
    ("premises", "Lokaler og ejendomme", "Lokaler og eiendom", "Lokaler och fastigheter", "Premises and property"),
    ("culture", "Kultur og fritid", "Kultur og fritid", "Kultur och fritid", "Culture and leisure"),
]


def create_themes(apps, schema_editor):
    Theme = apps.get_model("needs", "Theme")
    for slug, da, nb, sv, en in THEMES:
        Theme.objects.update_or_create(
            slug=slug, defaults={"name_da": da, "name_nb": nb, "name_sv": sv, "name_en": en}
        )


class Migration(migrations.Migration):
    dependencies = [("needs", "0001_initial")]

    operations = [migrations.RunPython(create_themes, migrations.RunPython.noop)]
