"""The built-in proposal templates and discount-rate presets (data).

Templates: Copenhagen's *innovationsforslag* (default for Denmark), Prosjektveiviseren's
business justification *prosjektbegrunnelse* (default for Norway) and a Swedish investment
proposal (default for Sweden). Headings are the template's own language, like the phase
models. Presets are dated, with their source. Running it twice changes nothing.
"""

from datetime import date

from django.db import migrations

TEMPLATES = [
    {
        "code": "copenhagen",
        "name": "Innovationsforslag (Københavns Kommune)",
        "description": "Københavns Kommunes skabelon for forslag til innovationspuljen: "
        "økonomisk tabel, prioriteringskriterier, opfølgning og høringer.",
        "source": "Københavns Kommune, skabelon for innovationsforslag (2020)",
        "default_for": "DK",
        "sections": [
            ("economy", "1.0", "Forslagets samlede økonomiske konsekvenser", "economy",
             "Udgifter og besparelser pr. år i 1.000 kr. i forslagets p/l. Alle besparelser "
             "angives med negativt fortegn."),
            ("background", "1.1", "Baggrund og formål", "text",
             "Hvilket problem løser forslaget, og hvorfor nu?"),
            ("content", "1.2", "Forslagets indhold og organisering", "text",
             "Hvad gøres konkret, hvilke leverancer, og hvem står for projektledelsen?"),
            ("economy_narrative", "1.3", "Økonomi", "text",
             "Ressourceforbrug og forudsætninger bag tallene i tabellen."),
            ("criteria", "1.4", "Kriterier til prioritering af innovationspuljen", "criteria",
             "Udgift, forventet investeringsforslag og budgetår, potentiale for varig "
             "effektivisering, tværgående effektivisering, storskala og moden brug af ny "
             "teknologi."),
            ("implementation", "1.5", "Implementering og eksterne samarbejdspartnere", "text",
             "Hvem er ansvarlig, og hvilke eksterne parter inddrages?"),
            ("effect", "1.6", "Forslagets effekt", "text", "Hvilken effekt forventes, og hvornår?"),
            ("follow_up", "1.7", "Opfølgning", "follow_up",
             "Succeskriterium, hvordan det måles, hvem der følger op, og hvornår."),
            ("risk", "1.8", "Risikovurdering", "text", "Hvad kan gå galt, og hvordan håndteres det?"),
            ("consultations", "", "Hvem er hørt?", "consultations",
             "Høringer med svar (ja, nej, ikke relevant) og dato."),
        ],
        "bodies": [
            ("Center for Økonomi, Økonomiforvaltningen",
             "Godkender forslaget, før det kan indgå i puljen."),
            ("Ejendomsfaglig høring",
             "Når forslaget ændrer behovet for kvadratmeter: nye lejemål, samlokalisering, "
             "flytning eller renovering."),
            ("IT-kredsen", "Digitaliseringsprojekter, forud for budgetforhandlingerne."),
            ("Koncern IT", "Nye it-systemer, før de anskaffes."),
            ("HR-kredsen", "Effektiviseringer på arbejdsgiverområdet."),
            ("Velfærdsanalytisk vurdering",
             "Effektiviseringer på overførsler: evidens, varige gevinster, lignende indsatser "
             "og opfølgning."),
        ],
    },
    {
        "code": "prosjektveiviseren",
        "name": "Prosjektbegrunnelse (Prosjektveiviseren)",
        "description": "Virksomhetsbegrunnelsen som legges fram ved beslutningspunkt 2: "
        "behov, mål, alternativer, gevinster, kostnader og risiko.",
        "source": "Digitaliseringsdirektoratet (Digdir): Prosjektveiviseren, prosjektveiviseren.no",
        "default_for": "NO",
        "sections": [
            ("background", "1", "Bakgrunn og behov", "text",
             "Hvilket problem eller hvilken mulighet gjelder det?"),
            ("objectives", "2", "Mål: samfunnsmål og effektmål", "text",
             "Hva skal oppnås for samfunnet og for virksomheten?"),
            ("scope", "3", "Omfang og avgrensning", "text", "Hva er med, og hva er ikke med?"),
            ("alternatives", "4", "Alternativer", "text",
             "Nullalternativet og tiltaksalternativene som er vurdert."),
            ("benefits", "5", "Gevinster", "text",
             "Hvilke gevinster, for hvem, og hvordan de skal realiseres."),
            ("economy", "6", "Kostnader og økonomi", "economy",
             "Kostnader og innsparinger per år i 1 000 kr. Innsparinger føres med minus."),
            ("risk", "7", "Usikkerhet og risiko", "text",
             "Viktige usikkerheter og tiltak for å håndtere dem."),
            ("implementation", "8", "Gjennomføring, organisering og tidsplan", "text",
             "Prosjekteier, styringsgruppe, faser og milepæler."),
            ("follow_up", "9", "Oppfølging og gevinstrealisering", "follow_up",
             "Hva følges opp, hvordan det måles, hvem som er ansvarlig og når."),
            ("consultations", "10", "Forankring og høring", "consultations",
             "Hvem er hørt, med svar og dato."),
        ],
        "bodies": [
            ("Økonomiavdelingen", "Kostnader, finansiering og gevinster."),
            ("IT-avdelingen", "Arkitektur, drift og sikkerhet."),
            ("Personvernombudet", "Når personopplysninger behandles."),
            ("Tillitsvalgte", "Når arbeidsoppgaver eller bemanning endres."),
        ],
    },
    {
        "code": "sweden-investment",
        "name": "Investeringsförslag",
        "description": "Ett investeringsförslag för kommuner och regioner: bakgrund, innehåll, "
        "ekonomi, effekt, uppföljning, risker och vilka som har hörts.",
        "source": "samspil",
        "default_for": "SE",
        "sections": [
            ("economy", "1", "Ekonomiska konsekvenser", "economy",
             "Kostnader och besparingar per år i tusen kronor. Besparingar anges med minus."),
            ("background", "2", "Bakgrund och syfte", "text", "Vilket problem löser förslaget?"),
            ("content", "3", "Innehåll och organisation", "text",
             "Vad görs, vilka leveranser, och vem leder arbetet?"),
            ("implementation", "4", "Genomförande och externa parter", "text",
             "Vem ansvarar, och vilka parter deltar?"),
            ("effect", "5", "Effekt", "text", "Vilken effekt väntas, och när?"),
            ("follow_up", "6", "Uppföljning", "follow_up",
             "Vad följs upp, hur det mäts, vem som ansvarar och när."),
            ("risk", "7", "Risker", "text", "Vad kan gå fel, och hur hanteras det?"),
            ("consultations", "8", "Vilka har hörts?", "consultations",
             "Remissinstanser med svar och datum."),
        ],
        "bodies": [
            ("Ekonomiavdelningen", "Kostnader, finansiering och nyttor."),
            ("IT-avdelningen", "Nya system och drift."),
            ("HR-avdelningen", "Förändringar för medarbetarna."),
        ],
    },
]

PRESETS = [
    {
        "code": "dk-finance-ministry-2021",
        "name": "Finansministeriet 2021: 3,5 % (år 0–35), 2,5 % (år 36–70)",
        "country": "DK",
        "bands": [[0, 35, "3.5"], [36, 70, "2.5"]],
        "source": "Finansministeriet: den samfundsøkonomiske diskonteringsrente (2021)",
        "valid_from": date(2021, 1, 1),
    },
    {
        "code": "no-finance-ministry-4",
        "name": "Finansdepartementet: 4 %",
        "country": "NO",
        "bands": [[0, 100, "4"]],
        "source": "Finansdepartementet (2005); rundskriv R-109/2021",
        "valid_from": date(2005, 1, 1),
    },
]


def load(apps, schema_editor):
    ProposalTemplate = apps.get_model("proposals", "ProposalTemplate")
    TemplateSection = apps.get_model("proposals", "TemplateSection")
    TemplateConsultationBody = apps.get_model("proposals", "TemplateConsultationBody")
    DiscountPreset = apps.get_model("proposals", "DiscountPreset")
    for data in TEMPLATES:
        template, _ = ProposalTemplate.objects.update_or_create(
            code=data["code"],
            defaults={
                key: data[key] for key in ("name", "description", "source", "default_for")
            },
        )
        for position, (code, number, heading, kind, guidance) in enumerate(data["sections"]):
            TemplateSection.objects.update_or_create(
                template=template,
                code=code,
                defaults={
                    "number": number,
                    "heading": heading,
                    "kind": kind,
                    "guidance": guidance,
                    "position": position,
                },
            )
        for position, (name, guidance) in enumerate(data["bodies"]):
            TemplateConsultationBody.objects.update_or_create(
                template=template, name=name, defaults={"guidance": guidance, "position": position}
            )
    for data in PRESETS:
        DiscountPreset.objects.update_or_create(
            code=data["code"], defaults={k: v for k, v in data.items() if k != "code"}
        )


def unload(apps, schema_editor):
    apps.get_model("proposals", "ProposalTemplate").objects.filter(
        code__in=[t["code"] for t in TEMPLATES], organisation__isnull=True
    ).delete()
    apps.get_model("proposals", "DiscountPreset").objects.filter(
        code__in=[p["code"] for p in PRESETS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("proposals", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
