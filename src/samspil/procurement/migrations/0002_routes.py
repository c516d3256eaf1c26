"""The eight procurement routes with their steps (data). English in the fields, Danish,
Norwegian (bokmål) and Swedish names in ``translations``. Idempotent; reversing removes them."""

from django.db import migrations

# (code, name, law, ocds_method, has_phases, description, produces, {lang: name}, steps)
# steps: (name, produces)
ROUTES = [
    (
        "market-consultation",
        "Market consultation",
        "Directive 2014/24/EU art. 40–41",
        "",
        False,
        "Preliminary market consultation before a procedure: the buyer talks to the market "
        "and shares what was said with everyone, so no supplier gains an advantage.",
        "Dialogue log, participants, shared questions and answers",
        {"da": "Markedsdialog", "nb": "Markedsdialog", "sv": "Marknadsdialog"},
        [
            ("Consult the market", "Dialogue log and participants"),
            ("Prepare the procurement", "Notes for the requirements"),
            ("Share with all", "Shared questions and answers"),
        ],
    ),
    (
        "open-tender",
        "Open tender",
        "Directive 2014/24/EU art. 27",
        "open",
        False,
        "Every interested supplier may tender against requirements the buyer has set.",
        "Contract notice, tenders, evaluation, award",
        {"da": "Offentligt udbud", "nb": "Åpen anbudskonkurranse", "sv": "Öppet förfarande"},
        [
            ("Contract notice", "Notice and tender documents"),
            ("Tenders received", "Tenders"),
            ("Evaluation", "Evaluation report"),
            ("Award", "Award decision"),
        ],
    ),
    (
        "competitive-dialogue",
        "Competitive dialogue",
        "Directive 2014/24/EU art. 30",
        "selective",
        False,
        "The buyer selects candidates and develops the solution in dialogue with them before "
        "final tenders.",
        "Notice, shortlist, phase minutes, award",
        {
            "da": "Konkurrencepræget dialog",
            "nb": "Konkurransepreget dialog",
            "sv": "Konkurrenspräglad dialog",
        },
        [
            ("Contract notice", "Notice"),
            ("Selection", "Shortlist"),
            ("Dialogue phases", "Phase minutes"),
            ("Final tenders", "Final tenders"),
            ("Award", "Award decision"),
        ],
    ),
    (
        "negotiation",
        "Competitive procedure with negotiation",
        "Directive 2014/24/EU art. 29, 26(4)",
        "selective",
        False,
        "The buyer selects candidates and negotiates their initial tenders before final tenders.",
        "Notice, shortlist, negotiation minutes, award",
        {
            "da": "Udbud med forhandling",
            "nb": "Konkurranse med forhandling",
            "sv": "Förhandlat förfarande",
        },
        [
            ("Contract notice", "Notice"),
            ("Selection", "Shortlist"),
            ("Negotiation", "Negotiation minutes"),
            ("Final tenders", "Final tenders"),
            ("Award", "Award decision"),
        ],
    ),
    (
        "innovation-partnership",
        "Innovation partnership",
        "Directive 2014/24/EU art. 31",
        "selective",
        True,
        "Development of a solution not yet on the market and its later purchase in one "
        "procedure, in phases with intermediate targets and go/no-go decisions.",
        "Partners, phase targets and results, decisions",
        {
            "da": "Innovationspartnerskab",
            "nb": "Innovasjonspartnerskap",
            "sv": "Innovationspartnerskap",
        },
        [
            ("Need and minimum requirements", "Need description and minimum requirements"),
            ("Selection on R&D capacity", "Selected partners"),
            ("Negotiation", "Negotiation minutes"),
            ("Phases with intermediate targets", "Phase targets, results and go/no-go"),
            ("Purchase", "Purchase if performance and maximum cost are met"),
        ],
    ),
    (
        "pcp",
        "Pre-commercial procurement (PCP)",
        "R&D services exemption (Directive 2014/24/EU art. 14)",
        "",
        True,
        "The buyer pays several suppliers to design, prototype and test solutions in "
        "competing phases; buying the result needs a separate tender.",
        "Suppliers per phase, evaluations, IPR terms",
        {
            "da": "Prækommerciel indkøb (PCP)",
            "nb": "Førkommersielle anskaffelser (PCP)",
            "sv": "Förkommersiell upphandling (PCP)",
        },
        [
            ("Solution design", "Designs and evaluation"),
            ("Prototype", "Prototypes and evaluation"),
            ("Test series", "Test results; fewer suppliers each phase"),
            ("Separate tender", "A new procurement for the purchase"),
        ],
    ),
    (
        "opi-without-tender",
        "Public-private innovation without tender",
        "Udbudsloven § 22 (Denmark)",
        "",
        False,
        "A Danish public-private innovation partnership without a tender: joint development "
        "where the buyer handles conflicts of interest before any later tender.",
        "Parties, contributions, rights, conflict log",
        {
            "da": "Udbudsfrit OPI",
            "nb": "Offentlig-privat innovasjon uten anbud",
            "sv": "Offentlig-privat innovation utan upphandling",
        },
        [
            ("Agreement", "Parties, contributions and rights"),
            ("Joint development", "Development results"),
            ("Results", "Results and their rights"),
            ("Handle conflicts of interest", "Conflict log before any tender"),
        ],
    ),
    (
        "lup",
        "Supplier development programme (LUP)",
        "Norway's national programme",
        "",
        False,
        "Norway's programme for innovative procurement: the need is defined, discussed with "
        "the market and bought through functional requirements.",
        "Needs, dialogue records, functional specification",
        {
            "da": "Leverandørudviklingsprogrammet (LUP)",
            "nb": "Leverandørutviklingsprogrammet (LUP)",
            "sv": "Leverantörsutvecklingsprogrammet (LUP)",
        },
        [
            ("Need definition", "Need description"),
            ("Market dialogue", "Dialogue records"),
            ("Functional requirements", "Functional specification"),
            ("Competition", "Tenders and award"),
        ],
    ),
]

CODES = [route[0] for route in ROUTES]


def create_routes(apps, schema_editor):
    ProcurementRoute = apps.get_model("procurement", "ProcurementRoute")
    RouteStep = apps.get_model("procurement", "RouteStep")
    for position, row in enumerate(ROUTES, start=1):
        code, name, law, method, phases, description, produces, names, steps = row
        route, _ = ProcurementRoute.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "law": law,
                "ocds_method": method,
                "has_phases": phases,
                "description": description,
                "produces": produces,
                "position": position,
                "translations": {lang: {"name": text} for lang, text in names.items()},
            },
        )
        for step_position, (step_name, step_produces) in enumerate(steps, start=1):
            RouteStep.objects.update_or_create(
                route=route,
                position=step_position,
                defaults={"name": step_name, "produces": step_produces},
            )
        RouteStep.objects.filter(route=route, position__gt=len(steps)).delete()


def remove_routes(apps, schema_editor):
    ProcurementRoute = apps.get_model("procurement", "ProcurementRoute")
    RouteStep = apps.get_model("procurement", "RouteStep")
    RouteStep.objects.filter(route__code__in=CODES).delete()
    ProcurementRoute.objects.filter(code__in=CODES).delete()


class Migration(migrations.Migration):
    dependencies = [("procurement", "0001_initial")]

    operations = [migrations.RunPython(create_routes, remove_routes)]
