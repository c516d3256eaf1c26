"""The built-in phase models: Prosjektveiviseren, Statens it-projektmodel and a short generic
pilot model.

The data is a frozen copy of ``samspil.pilots.phase_models`` as it was when this migration was
written, not an import, so that later edits of the module do not change history; bring the
rows up to date with ``manage.py load_phase_models``. Running it twice changes nothing; the
reverse removes the built-in models (and fails while pilots use them).
"""

from django.db import migrations

MODELS = [
    {
        "code": "prosjektveiviseren",
        "name": "Prosjektveiviseren",
        "description": "Digitaliseringsdirektoratets prosjektmodell for digitaliseringsprosjekter i "
        "offentlig sektor: seks faser med et beslutningspunkt etter hver fase. "
        "Ethvert beslutningspunkt kan stanse prosjektet.",
        "source": "Digitaliseringsdirektoratet (Digdir): Prosjektveiviseren, prosjektveiviseren.no",
        "phases": [
            {
                "name": "Idé",
                "description": "Problemet eller muligheten beskrives, og det vurderes om idéen "
                "er verdt å utrede.",
                "checklist": [
                    "Problem eller mulighet beskrevet",
                    "Idéen forankret hos ledelsen",
                    "Foreløpige gevinster og kostnader anslått",
                    "Prosjekteier utpekt",
                    "Mandat for konseptfasen utarbeidet",
                ],
            },
            {
                "name": "Konsept",
                "description": "Behov, mål og alternativer utredes, og det beste konseptet velges.",
                "checklist": [
                    "Behov og mål beskrevet",
                    "Alternativer vurdert, også nullalternativet",
                    "Gevinster identifisert",
                    "Kostnader og usikkerhet anslått",
                    "Prosjektbegrunnelse utarbeidet",
                    "Prosjektforslag utarbeidet",
                ],
            },
            {
                "name": "Planlegge",
                "description": "Prosjektet planlegges: omfang, organisering, tid, kostnad, "
                "risiko og gevinster.",
                "checklist": [
                    "Styringsdokument utarbeidet",
                    "Gevinstrealiseringsplan utarbeidet",
                    "Risikovurdering gjennomført",
                    "Prosjektorganisering og roller avklart",
                    "Anskaffelsesstrategi avklart",
                ],
            },
            {
                "name": "Gjennomføre",
                "description": "Leveransene utvikles og tas i bruk, og prosjektet styres etter "
                "styringsdokumentet.",
                "checklist": [
                    "Leveranser fullført og godkjent",
                    "Avvik og endringer fulgt opp mot styringsdokumentet",
                    "Risikoer fulgt opp løpende",
                    "Nye arbeidsprosesser tatt i bruk",
                    "Overlevering til linjen planlagt",
                ],
            },
            {
                "name": "Avslutte",
                "description": "Prosjektet overleveres til linjen, evalueres og avsluttes.",
                "checklist": [
                    "Leveranser overlevert til linjen",
                    "Sluttrapport utarbeidet",
                    "Erfaringer dokumentert og delt",
                    "Gevinstrealiseringsplan oppdatert og overført til linjen",
                ],
            },
            {
                "name": "Realisere",
                "description": "Linjen tar ut gevinstene og følger dem opp etter "
                "gevinstrealiseringsplanen.",
                "checklist": [
                    "Gevinster målt mot nullpunktet",
                    "Gevinster tatt ut i budsjett eller kapasitet",
                    "Avvik fra gevinstrealiseringsplanen fulgt opp",
                    "Gevinstrealiseringen evaluert",
                ],
            },
        ],
        "decision_points": [
            {
                "code": "BP1",
                "name": "Mandat for konseptfasen",
                "description": "Er idéen verdt å utrede? Mandatet for konseptfasen godkjennes.",
                "documents": ["Mandat"],
                "closes": 1,
            },
            {
                "code": "BP2",
                "name": "Godkjenning av prosjektforslag",
                "description": "Skal prosjektet planlegges? Prosjektforslaget og "
                "prosjektbegrunnelsen godkjennes.",
                "documents": ["Prosjektforslag", "Prosjektbegrunnelse"],
                "closes": 2,
            },
            {
                "code": "BP3",
                "name": "Godkjenning av styringsdokument",
                "description": "Skal prosjektet gjennomføres? Styringsdokumentet og "
                "gevinstrealiseringsplanen godkjennes.",
                "documents": ["Styringsdokument", "Gevinstrealiseringsplan"],
                "closes": 3,
            },
            {
                "code": "BP4",
                "name": "Klar for avslutning",
                "description": "Er leveransene ferdige, så prosjektet kan avsluttes?",
                "documents": ["Statusrapport", "Plan for overlevering til linjen"],
                "closes": 4,
            },
            {
                "code": "BP5",
                "name": "Godkjenning av sluttrapport",
                "description": "Godkjennes sluttrapporten, og er gevinstansvaret "
                "overført til linjen?",
                "documents": ["Sluttrapport", "Oppdatert gevinstrealiseringsplan"],
                "closes": 5,
            },
            {
                "code": "BP6",
                "name": "Gevinster realisert",
                "description": "Er gevinstene realisert som planlagt?",
                "documents": ["Gevinstrapport"],
                "closes": 6,
            },
        ],
    },
    {
        "code": "statens-it-projektmodel",
        "name": "Statens it-projektmodel",
        "description": "Den fællesstatslige it-projektmodel: fire faser fra idé til realiserede "
        "gevinster, med en business case med scenarie 0 (ikke gennemført) og 1 "
        "(gennemført), trepunktsestimater, en risikopulje og "
        "gevinstrealiseringsplanen som bilag.",
        "source": "Digitaliseringsstyrelsen: Statens it-projektmodel, fasemodellen (digst.dk)",
        "phases": [
            {
                "name": "Idéfase",
                "description": "Idéen kvalificeres, før projektet etableres: behov, "
                "gevinstpotentiale og de største risici.",
                "checklist": [
                    "Behovet beskrevet og reelt",
                    "Projektejer udpeget",
                    "Sammenhæng med strategien beskrevet",
                    "Projektgrundlag inkl. plan for analysefasen",
                    "Foreløbig business case",
                ],
            },
            {
                "name": "Analysefase",
                "description": "Omfang, udgifter, gevinster, tidsplan og risici analyseres, så "
                "styregruppen kan beslutte, om projektet skal gennemføres.",
                "checklist": [
                    "Business case med scenarie 0 og 1",
                    "Trepunktsestimater",
                    "Risikopulje fastsat",
                    "Risikolog og risikotjekliste udfyldt",
                    "Gevinstrealiseringsplan som bilag",
                    "Styregruppeaftale indgået",
                ],
            },
            {
                "name": "Gennemførelsesfase",
                "description": "Løsningen anskaffes, udvikles og implementeres i organisationen.",
                "checklist": [
                    "Kontrakt med leverandør indgået, hvis der anskaffes",
                    "Leverancer testet og godkendt",
                    "Business case og risikolog opdateret løbende",
                    "Modtagerorganisationen klar til forankring",
                    "Afslutningsrapport udarbejdet",
                ],
            },
            {
                "name": "Realiseringsfase",
                "description": "Gevinsterne realiseres og følges op efter "
                "gevinstrealiseringsplanen.",
                "checklist": [
                    "Gevinster målt mod baseline",
                    "Gevinster forankret hos gevinstejerne",
                    "Afvigelser fra gevinstrealiseringsplanen fulgt op",
                    "Gevinstrealiseringen evalueret",
                ],
            },
        ],
        "decision_points": [
            {
                "code": "B1",
                "name": "Igangsættelse af analysefasen",
                "description": "Er idéen bæredygtig nok til at bruge ressourcer på en analyse?",
                "documents": [
                    "Projektgrundlag inkl. plan for analysefasen",
                    "Foreløbig business case",
                ],
                "closes": 1,
            },
            {
                "code": "B2",
                "name": "Igangsættelse af gennemførelsesfasen",
                "description": "Skal projektet gennemføres? Større projekter "
                "risikovurderes af Statens It-råd forinden.",
                "documents": [
                    "Projektgrundlag",
                    "Business case",
                    "Gevinstrealiseringsplan",
                    "Risikolog",
                    "Risikovurdering fra Statens It-råd, hvis påkrævet",
                ],
                "closes": 2,
            },
            {
                "code": "B3",
                "name": "Overgang til realiseringsfasen",
                "description": "Er løsningen leveret og forankret, så projektet kan afsluttes?",
                "documents": ["Afslutningsrapport", "Opdateret gevinstrealiseringsplan"],
                "closes": 3,
            },
            {
                "code": "B4",
                "name": "Afslutning af gevinstrealiseringen",
                "description": "Er gevinsterne realiseret som planlagt?",
                "documents": ["Gevinstopfølgning"],
                "closes": 4,
            },
        ],
    },
    {
        "code": "samspil-pilot",
        "name": "Pilot: idea, test, evaluate, decide",
        "description": "A short model for organisations without a method of their own: test an idea "
        "against a measured baseline, evaluate the gain and decide to scale, iterate "
        "or stop.",
        "source": "samspil",
        "phases": [
            {
                "name": "Idea",
                "description": "The hypothesis, the baseline and how the test will be run.",
                "checklist": [
                    "Hypothesis written",
                    "Baseline measured",
                    "KPIs and target chosen",
                    "Test plan agreed with the people affected",
                ],
            },
            {
                "name": "Test",
                "description": "The idea is tried with real users and measured as planned.",
                "checklist": [
                    "Test started with real users",
                    "Measurements recorded as planned",
                    "Problems and changes logged",
                    "Costs of the test recorded",
                ],
            },
            {
                "name": "Evaluate",
                "description": "The gain against the baseline and what was learned.",
                "checklist": [
                    "Gain computed against the baseline",
                    "Lessons learned written",
                    "Users' experience collected",
                    "Compared with similar pilots elsewhere",
                ],
            },
            {
                "name": "Decide",
                "description": "Scale, iterate or stop: the pilot's outcome.",
                "checklist": [
                    "Recommendation written: scale, iterate or stop",
                    "Benefits plan made if the pilot is scaled",
                    "Outcome recorded on the pilot",
                ],
            },
        ],
        "decision_points": [
            {
                "code": "G1",
                "name": "Start the test",
                "description": "",
                "documents": ["Test plan", "Baseline"],
                "closes": 1,
            },
            {
                "code": "G2",
                "name": "Test completed",
                "description": "",
                "documents": ["Measurements"],
                "closes": 2,
            },
            {
                "code": "G3",
                "name": "Evaluation accepted",
                "description": "",
                "documents": ["Evaluation report"],
                "closes": 3,
            },
        ],
    },
]


def create_models(apps, schema_editor):
    PhaseModel = apps.get_model("pilots", "PhaseModel")
    Phase = apps.get_model("pilots", "Phase")
    DecisionPoint = apps.get_model("pilots", "DecisionPoint")
    ChecklistTemplateItem = apps.get_model("pilots", "ChecklistTemplateItem")
    for data in MODELS:
        model, _created = PhaseModel.objects.update_or_create(
            code=data["code"],
            defaults={
                "name": data["name"],
                "description": data["description"],
                "source": data["source"],
                "organisation": None,
            },
        )
        phases = {}
        for position, phase_data in enumerate(data["phases"], start=1):
            phase, _created = Phase.objects.update_or_create(
                model=model,
                position=position,
                defaults={"name": phase_data["name"], "description": phase_data["description"]},
            )
            phases[position] = phase
            for item_position, text in enumerate(phase_data["checklist"], start=1):
                ChecklistTemplateItem.objects.update_or_create(
                    phase=phase, position=item_position, defaults={"text": text}
                )
        for position, point in enumerate(data["decision_points"], start=1):
            DecisionPoint.objects.update_or_create(
                model=model,
                position=position,
                defaults={
                    "code": point["code"],
                    "name": point["name"],
                    "description": point["description"],
                    "documents": "\n".join(point["documents"]),
                    "closes": phases[point["closes"]],
                },
            )


def delete_models(apps, schema_editor):
    PhaseModel = apps.get_model("pilots", "PhaseModel")
    codes = [data["code"] for data in MODELS]
    PhaseModel.objects.filter(code__in=codes, organisation__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("pilots", "0001_initial")]

    operations = [migrations.RunPython(create_models, delete_models)]
