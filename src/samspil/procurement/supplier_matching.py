"""Which suppliers fit a challenge or a procurement, and why: pure Python, no Django.

A supplier's profile (what it offers, its competences, its references) is compared with the
target's text (title, problem statement or description, success criteria). Words are
normalised the same way across Danish, Norwegian, Swedish and English
(``samspil.matching.lexical.normalise``: æ/ä → ae, ø/ö → oe, å → aa), a few spellings that
differ between the languages are folded (c before e/i → s, so "medicin" meets "medisin"; ph → f;
w → v …), common endings are cut ("digitale", "digitala" → "digital") and function words
dropped. Two words meet when their stems are equal, when they differ only in the last two
letters ("elektronisk", "elektronik"), or when a long stem ends or begins a compound
("indkøbssystem" and "system", "medisinstøtte" and "medisin").

Past participation counts as well: the company's people registered for events linked to the
target, and its teams' submissions there. Every match carries its reasons, so the page can
say *why* a supplier is suggested; the score only orders them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from samspil.matching.lexical import normalise

__all__ = ["Candidate", "Match", "Target", "Weights", "rank", "shared_terms", "terms"]


@dataclass(frozen=True)
class Target:
    """A challenge's or procurement's text."""

    title: str
    text: str = ""
    criteria: str = ""


@dataclass(frozen=True)
class Candidate:
    """A supplier with its profile and its past participation around the target."""

    id: int
    name: str
    offer: str = ""
    competences: tuple[str, ...] = ()
    references: str = ""
    events: tuple[str, ...] = ()  # linked events its people registered for
    submissions: tuple[str, ...] = ()  # its teams' submissions at those events


@dataclass(frozen=True)
class Weights:
    term: float = 1.0
    title_term: float = 2.0  # a word of the title weighs more than one of the text
    competence: float = 3.0
    event: float = 2.0
    submission: float = 4.0
    max_terms: int = 10  # shared words counted at most (a long profile gains no more)


@dataclass(frozen=True)
class Match:
    id: int
    score: float
    shared_terms: tuple[str, ...] = ()
    competences: tuple[str, ...] = ()
    events: tuple[str, ...] = ()
    submissions: tuple[str, ...] = ()


# Words that carry no offer: function words of the four languages and the platform's own
# everyday words (every challenge is about a municipality and a solution).
def _words(text: str) -> list[str]:
    return text.split()


STOPWORDS = frozenset(
    normalise(word)
    for word in _words(
        """
    og i at det en den til er som på de med han af for ikke der var mig sig men et har om vi
    min havde ham hun nu over da fra du ud sin dem os op man hans hvor eller hvad skal selv
    her alle vil blev kunne ind når være dog noget ville jo deres efter ned skulle denne end
    dette mit også under have dig anden hende mine alt meget sit sine vor mod disse hvis din
    nogle hos blive mange ad bliver hendes været thi jer sådan kan får kun mere mest bedre
    ikkje ein eit eller også ved vere vore korleis kven kvar dei deira hjå frå berre blir
    og och att det som en på är av för med till den har de inte om ett han men var jag sig
    från vi så kan man när år säger hon under också efter eller nu sina där vid mot ska
    skulle kommer ut får finns vara hade alla andra mycket än här då sedan över bara in blir
    deras vilka vilken samt genom utan hur några inom sådan
    the and for with from that this into are was were been have has had not but all any
    can will our their they them its who what when where which while more most other such
    than then there these those also each both only over very just about after before
    kommune kommuner kommunen kommunes kommun kommunerne kommunerna region regionen
    løsning løsninger lösning lösningar losning loesning borger borgere invånare innbyggere
    kan skal bruk brug användning arbejde arbeid arbete hjælp hjelp hjälp
    udvikle udvikler udvikling udviklet utvikle utvikler utvikling utviklet utveckla utvecklar
    utveckling develop develops development bruge bruger brugere bruke bruker brukere använda
    använder användare user users mindre mere flere færre fler andre andra anden annen andet
    bygge bygger bygga bygg build builds offentlig offentlige offentliga offentligt public
    projekt projekter projektet prosjekt prosjekter prosjektet projekten project projects
    medarbejder medarbejdere medarbejderne medarbeider medarbeidere medarbetare medarbetarna
    staff employee employees nye nya new gode bra good gøre gjøre göra hele hela whole både
    samarbejde samarbeid samarbete cooperation innovation innovasjon innovative innovativ
    innovativa innovativt stad staden byen city tid time leve lever lives
    """
    )
)

# Endings cut from a word, longest first; a stem keeps at least four letters.
_ENDINGS = tuple(
    sorted(
        """
        ernes ernas arnas ornas erne arna orna erna ene ende ande heden heten hed het
        ingen ingar inger ing ning ninger ningar else elser ighed ighet
        er ar or en et na ne es e a s
        """.split(),  # noqa: SIM905 - a list of short words reads better as text
        key=len,
        reverse=True,
    )
)
_FOLDS = (
    (re.compile(r"c(?=[eiy])"), "s"),
    (re.compile(r"ck"), "k"),
    (re.compile(r"c"), "k"),
    (re.compile(r"ph"), "f"),
    (re.compile(r"th"), "t"),
    (re.compile(r"qu"), "kv"),
    (re.compile(r"w"), "v"),
    (re.compile(r"x"), "ks"),
    (re.compile(r"z"), "s"),
)
MIN_WORD = 4  # shorter words of a text are not compared (competences may be "AI", "IoT")
COMPOUND_HEAD = 6  # a stem this long may end a compound word ("indkøbs|system")
COMPOUND_PART = 7  # and one this long may begin it ("medisin|støtte")
_WORD = re.compile(r"\w+", re.UNICODE)


def stem(word: str) -> str:
    """A normalised word's stem: spellings folded, a common ending cut."""
    for pattern, replacement in _FOLDS:
        word = pattern.sub(replacement, word)
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= MIN_WORD:
            return word[: -len(ending)]
    return word


def terms(text: str, *, min_length: int = MIN_WORD) -> dict[str, str]:
    """The text's words worth comparing: stem → the word as written (lower case, first
    occurrence)."""
    found: dict[str, str] = {}
    for raw in _WORD.findall(text or ""):
        word = normalise(raw)
        if len(word) < min_length or word in STOPWORDS or word.isdigit():
            continue
        found.setdefault(stem(word), raw.lower())
    return found


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def stems_meet(a: str, b: str) -> bool:
    """Equal stems, the same word spelt a little differently at the end, or a long stem
    that begins or ends a compound."""
    if a == b:
        return True
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if _common_prefix(a, b) >= max(MIN_WORD + 1, len(long_) - 2):
        return True
    if len(short) >= COMPOUND_PART and long_.startswith(short):
        return True
    return len(short) >= COMPOUND_HEAD and long_.endswith(short)


def shared_terms(target_terms: dict[str, str], profile_terms: dict[str, str]) -> list[str]:
    """The target's words (as written there) that meet a word of the profile, in the
    target's order. Looks up prefixes and compound endings rather than comparing every
    pair, so a long profile costs little more than a short one."""
    profile = set(profile_terms)
    by_prefix: dict[str, list[str]] = {}
    endings: set[str] = set()
    for p in profile:
        if len(p) > MIN_WORD:
            by_prefix.setdefault(p[: MIN_WORD + 1], []).append(p)
        for i in range(1, len(p) - COMPOUND_HEAD + 1):
            endings.add(p[i:])
    shared = []
    for target_stem, written in target_terms.items():
        if (
            target_stem in profile
            or any(
                stems_meet(target_stem, p) for p in by_prefix.get(target_stem[: MIN_WORD + 1], ())
            )
            or (len(target_stem) >= COMPOUND_HEAD and target_stem in endings)
            or any(
                target_stem[i:] in profile for i in range(1, len(target_stem) - COMPOUND_HEAD + 1)
            )
        ):
            shared.append(written)
    return shared


def _competence_matches(competence: str, target_stems: Sequence[str], target_words: set) -> bool:
    """Every word of the competence is in the target: short ones ("AI", "IoT") exactly."""
    words = [normalise(w) for w in _WORD.findall(competence)]
    words = [w for w in words if w and w not in STOPWORDS]
    if not words:
        return False
    for word in words:
        if len(word) < MIN_WORD:
            if word not in target_words:
                return False
        elif not any(stems_meet(stem(word), s) for s in target_stems):
            return False
    return True


def rank(
    target: Target,
    candidates: Iterable[Candidate],
    *,
    limit: int | None = 10,
    weights: Weights = Weights(),
) -> list[Match]:
    """The candidates that share something with the target, best first (score, then name),
    each with its reasons."""
    title_terms = terms(target.title)
    all_terms = {**terms(target.criteria), **terms(target.text), **title_terms}
    target_stems = list(all_terms)
    target_words = {
        normalise(w) for w in _WORD.findall(f"{target.title} {target.text} {target.criteria}")
    }
    scored: list[tuple[float, str, Match]] = []
    for candidate in candidates:
        profile_terms = terms(
            " ".join([candidate.offer, candidate.references, *candidate.competences])
        )
        shared = shared_terms(all_terms, profile_terms)[: weights.max_terms]
        title_written = set(title_terms.values())
        term_score = sum(
            weights.title_term if word in title_written else weights.term for word in shared
        )
        competences = tuple(
            c
            for c in dict.fromkeys(candidate.competences)
            if c.strip() and _competence_matches(c, target_stems, target_words)
        )
        events = tuple(dict.fromkeys(candidate.events))
        submissions = tuple(dict.fromkeys(candidate.submissions))
        score = (
            term_score
            + weights.competence * len(competences)
            + weights.event * len(events)
            + weights.submission * len(submissions)
        )
        if score <= 0:
            continue
        match = Match(
            id=candidate.id,
            score=round(score, 3),
            shared_terms=tuple(shared),
            competences=competences,
            events=events,
            submissions=submissions,
        )
        scored.append((-score, candidate.name.casefold(), match))
    scored.sort(key=lambda row: (row[0], row[1], row[2].id))
    matches = [row[2] for row in scored]
    return matches if limit is None else matches[:limit]
