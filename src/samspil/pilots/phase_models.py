"""The built-in phase models as plain data.

Each model keeps the names its method uses, in the method's own language: Norwegian for
Digdir's Prosjektveiviseren, Danish for Statens it-projektmodel. They are not translated,
like the name of a law. ``samspil-pilot`` is a short generic model in English for
organisations without a method of their own.

A decision point closes a phase (``closes`` is the phase's position, from 1): passed with
"go" it leads to the next phase, and the go on the one closing the last phase completes the
model. The rows are made by the data migration ``0002_phase_models`` (which keeps its own
frozen copy of this data) and brought up to date after a change here with
``manage.py load_phase_models``. No Django imports: this is data only.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class PhaseData:
    name: str
    description: str
    checklist: tuple[str, ...]


@dataclass(frozen=True)
class DecisionPointData:
    code: str
    name: str
    description: str
    documents: tuple[str, ...]  # the documents decided on
    closes: int  # the position of the phase it closes, from 1


@dataclass(frozen=True)
class PhaseModelData:
    code: str
    name: str
    description: str
    source: str
    phases: tuple[PhaseData, ...]
    decision_points: tuple[DecisionPointData, ...]


PROSJEKTVEIVISEREN = PhaseModelData(
    code="prosjektveiviseren",
    name="Prosjektveiviseren",
    description=(
        "Digitaliseringsdirektoratets prosjektmodell for digitaliseringsprosjekter i offentlig "
        "sektor: seks faser med et beslutningspunkt etter hver fase. Ethvert "
        "beslutningspunkt kan stanse prosjektet."
    ),
    source="Digitaliseringsdirektoratet (Digdir): Prosjektveiviseren, prosjektveiviseren.no",
    phases=(
        PhaseData(
            "Idé",
            "Problemet eller muligheten beskrives, og det vurderes om idéen er verdt å utrede.",
            (
                "Problem eller mulighet beskrevet",
                "Idéen forankret hos ledelsen",
                "Foreløpige gevinster og kostnader anslått",
                "Prosjekteier utpekt",
                "Mandat for konseptfasen utarbeidet",
            ),
        ),
        PhaseData(
            "Konsept",
            "Behov, mål og alternativer utredes, og det beste konseptet velges.",
            (
                "Behov og mål beskrevet",
                "Alternativer vurdert, også nullalternativet",
                "Gevinster identifisert",
                "Kostnader og usikkerhet anslått",
                "Prosjektbegrunnelse utarbeidet",
                "Prosjektforslag utarbeidet",
            ),
        ),
        PhaseData(
            "Planlegge",
            "Prosjektet planlegges: omfang, organisering, tid, kostnad, risiko og gevinster.",
            (
                "Styringsdokument utarbeidet",
                "Gevinstrealiseringsplan utarbeidet",
                "Risikovurdering gjennomført",
                "Prosjektorganisering og roller avklart",
                "Anskaffelsesstrategi avklart",
            ),
        ),
        PhaseData(
            "Gjennomføre",
            "Leveransene utvikles og tas i bruk, og prosjektet styres etter styringsdokumentet.",
            (
                "Leveranser fullført og godkjent",
                "Avvik og endringer fulgt opp mot styringsdokumentet",
                "Risikoer fulgt opp løpende",
                "Nye arbeidsprosesser tatt i bruk",
                "Overlevering til linjen planlagt",
            ),
        ),
        PhaseData(
            "Avslutte",
            "Prosjektet overleveres til linjen, evalueres og avsluttes.",
            (
                "Leveranser overlevert til linjen",
                "Sluttrapport utarbeidet",
                "Erfaringer dokumentert og delt",
                "Gevinstrealiseringsplan oppdatert og overført til linjen",
            ),
        ),
        PhaseData(
            "Realisere",
            "Linjen tar ut gevinstene og følger dem opp etter gevinstrealiseringsplanen.",
            (
                "Gevinster målt mot nullpunktet",
                "Gevinster tatt ut i budsjett eller kapasitet",
                "Avvik fra gevinstrealiseringsplanen fulgt opp",
                "Gevinstrealiseringen evaluert",
            ),
        ),
    ),
    decision_points=(
        DecisionPointData(
            "BP1",
            "Mandat for konseptfasen",
            "Er idéen verdt å utrede? Mandatet for konseptfasen godkjennes.",
            ("Mandat",),
            1,
        ),
        DecisionPointData(
            "BP2",
            "Godkjenning av prosjektforslag",
            "Skal prosjektet planlegges? Prosjektforslaget og prosjektbegrunnelsen godkjennes.",
            ("Prosjektforslag", "Prosjektbegrunnelse"),
            2,
        ),
        DecisionPointData(
            "BP3",
            "Godkjenning av styringsdokument",
            "Skal prosjektet gjennomføres? Styringsdokumentet og gevinstrealiseringsplanen "
            "godkjennes.",
            ("Styringsdokument", "Gevinstrealiseringsplan"),
            3,
        ),
        DecisionPointData(
            "BP4",
            "Klar for avslutning",
            "Er leveransene ferdige, så prosjektet kan avsluttes?",
            ("Statusrapport", "Plan for overlevering til linjen"),
            4,
        ),
        DecisionPointData(
            "BP5",
            "Godkjenning av sluttrapport",
            "Godkjennes sluttrapporten, og er gevinstansvaret overført til linjen?",
            ("Sluttrapport", "Oppdatert gevinstrealiseringsplan"),
            5,
        ),
        DecisionPointData(
            "BP6",
            "Gevinster realisert",
            "Er gevinstene realisert som planlagt?",
            ("Gevinstrapport",),
            6,
        ),
    ),
)

STATENS_IT_PROJEKTMODEL = PhaseModelData(
    code="statens-it-projektmodel",
    name="Statens it-projektmodel",
    description=(
        "Den fællesstatslige it-projektmodel: fire faser fra idé til realiserede gevinster, "
        "med en business case med scenarie 0 (ikke gennemført) og 1 (gennemført), "
        "trepunktsestimater, en risikopulje og gevinstrealiseringsplanen som bilag."
    ),
    source="Digitaliseringsstyrelsen: Statens it-projektmodel, fasemodellen (digst.dk)",
    phases=(
        PhaseData(
            "Idéfase",
            "Idéen kvalificeres, før projektet etableres: behov, gevinstpotentiale og de "
            "største risici.",
            (
                "Behovet beskrevet og reelt",
                "Projektejer udpeget",
                "Sammenhæng med strategien beskrevet",
                "Projektgrundlag inkl. plan for analysefasen",
                "Foreløbig business case",
            ),
        ),
        PhaseData(
            "Analysefase",
            "Omfang, udgifter, gevinster, tidsplan og risici analyseres, så styregruppen kan "
            "beslutte, om projektet skal gennemføres.",
            (
                "Business case med scenarie 0 og 1",
                "Trepunktsestimater",
                "Risikopulje fastsat",
                "Risikolog og risikotjekliste udfyldt",
                "Gevinstrealiseringsplan som bilag",
                "Styregruppeaftale indgået",
            ),
        ),
        PhaseData(
            "Gennemførelsesfase",
            "Løsningen anskaffes, udvikles og implementeres i organisationen.",
            (
                "Kontrakt med leverandør indgået, hvis der anskaffes",
                "Leverancer testet og godkendt",
                "Business case og risikolog opdateret løbende",
                "Modtagerorganisationen klar til forankring",
                "Afslutningsrapport udarbejdet",
            ),
        ),
        PhaseData(
            "Realiseringsfase",
            "Gevinsterne realiseres og følges op efter gevinstrealiseringsplanen.",
            (
                "Gevinster målt mod baseline",
                "Gevinster forankret hos gevinstejerne",
                "Afvigelser fra gevinstrealiseringsplanen fulgt op",
                "Gevinstrealiseringen evalueret",
            ),
        ),
    ),
    decision_points=(
        DecisionPointData(
            "B1",
            "Igangsættelse af analysefasen",
            "Er idéen bæredygtig nok til at bruge ressourcer på en analyse?",
            ("Projektgrundlag inkl. plan for analysefasen", "Foreløbig business case"),
            1,
        ),
        DecisionPointData(
            "B2",
            "Igangsættelse af gennemførelsesfasen",
            "Skal projektet gennemføres? Større projekter risikovurderes af Statens It-råd "
            "forinden.",
            (
                "Projektgrundlag",
                "Business case",
                "Gevinstrealiseringsplan",
                "Risikolog",
                "Risikovurdering fra Statens It-råd, hvis påkrævet",
            ),
            2,
        ),
        DecisionPointData(
            "B3",
            "Overgang til realiseringsfasen",
            "Er løsningen leveret og forankret, så projektet kan afsluttes?",
            ("Afslutningsrapport", "Opdateret gevinstrealiseringsplan"),
            3,
        ),
        DecisionPointData(
            "B4",
            "Afslutning af gevinstrealiseringen",
            "Er gevinsterne realiseret som planlagt?",
            ("Gevinstopfølgning",),
            4,
        ),
    ),
)

SAMSPIL_PILOT = PhaseModelData(
    code="samspil-pilot",
    name="Pilot: idea, test, evaluate, decide",
    description=(
        "A short model for organisations without a method of their own: test an idea "
        "against a measured baseline, evaluate the gain and decide to scale, iterate or stop."
    ),
    source="samspil",
    phases=(
        PhaseData(
            "Idea",
            "The hypothesis, the baseline and how the test will be run.",
            (
                "Hypothesis written",
                "Baseline measured",
                "KPIs and target chosen",
                "Test plan agreed with the people affected",
            ),
        ),
        PhaseData(
            "Test",
            "The idea is tried with real users and measured as planned.",
            (
                "Test started with real users",
                "Measurements recorded as planned",
                "Problems and changes logged",
                "Costs of the test recorded",
            ),
        ),
        PhaseData(
            "Evaluate",
            "The gain against the baseline and what was learned.",
            (
                "Gain computed against the baseline",
                "Lessons learned written",
                "Users' experience collected",
                "Compared with similar pilots elsewhere",
            ),
        ),
        PhaseData(
            "Decide",
            "Scale, iterate or stop: the pilot's outcome.",
            (
                "Recommendation written: scale, iterate or stop",
                "Benefits plan made if the pilot is scaled",
                "Outcome recorded on the pilot",
            ),
        ),
    ),
    decision_points=(
        DecisionPointData("G1", "Start the test", "", ("Test plan", "Baseline"), 1),
        DecisionPointData("G2", "Test completed", "", ("Measurements",), 2),
        DecisionPointData("G3", "Evaluation accepted", "", ("Evaluation report",), 3),
    ),
)

BUILTIN_MODELS: tuple[PhaseModelData, ...] = (
    PROSJEKTVEIVISEREN,
    STATENS_IT_PROJEKTMODEL,
    SAMSPIL_PILOT,
)
