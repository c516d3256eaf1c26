"""The pure supplier matching on plain data: words meet across Danish, Norwegian and Swedish,
competences and past participation count, and every match says why."""

from samspil.procurement.supplier_matching import (
    Candidate,
    Target,
    Weights,
    rank,
    shared_terms,
    stem,
    stems_meet,
    terms,
)

MEDICINE = Target(
    title="Elektronisk medisinstøtte i hjemmetjenesten",
    text="Brukere som bor hjemme trenger hjelp til å ta riktig medisin til riktig tid.",
    criteria="Færre besøk som bare gjelder medisiner.",
)


def test_it_cuts_endings_and_folds_spellings():
    assert stem("digitale") == stem("digitala") == "digital"
    assert stem("medicin") == stem("medisin")
    assert stem("sensorer") == "sensor"


def test_function_words_short_words_and_numbers_are_left_out():
    assert set(terms("og det er på 2024 til kommunen")) == set()
    assert terms("Indkøbssystemet")["indkoebssystem"] == "indkøbssystemet"


def test_words_meet_across_spellings_and_in_compounds():
    assert stems_meet(stem("elektronisk"), stem("elektronik"))
    assert stems_meet("indkoebssystem", "system")
    assert stems_meet("medisinstoett", "medisin")
    assert not stems_meet("process", "produkt")
    assert not stems_meet("lys", "lyst")  # short words meet only when equal


def test_shared_terms_are_the_targets_words_in_its_order():
    target = terms("Digitale sensorer til medicin")
    profile = terms("Vi levererar digitala lösningar och sensorer")
    assert shared_terms(target, profile) == ["digitale", "sensorer"]


def test_it_ranks_the_supplier_that_shares_most_with_the_reasons():
    atea = Candidate(
        1,
        "Atea",
        offer="Digitala lösningar för läkemedelshantering i hemtjänsten med elektronik.",
        competences=("Medicin", "IoT"),
    )
    builder = Candidate(2, "Dalby Bygg", offer="Grävmaskiner och hjullastare.")
    matches = rank(MEDICINE, [builder, atea])
    assert [m.id for m in matches] == [1]
    assert "elektronisk" in matches[0].shared_terms
    assert matches[0].competences == ("Medicin",)


def test_title_words_weigh_more_than_text_words():
    in_title = Candidate(1, "A", offer="elektronisk")
    in_text = Candidate(2, "B", offer="hjemme")
    first, second = rank(MEDICINE, [in_text, in_title])
    assert (first.id, second.id) == (1, 2)
    assert first.score == 2 * second.score


def test_short_competences_must_be_named_exactly():
    target = Target(title="AI for caseworkers", text="A prototype with AI support")
    hit = Candidate(1, "A", competences=("AI",))
    miss = Candidate(2, "B", competences=("AIR",), offer="")
    assert [m.id for m in rank(target, [hit, miss])] == [1]


def test_past_events_and_submissions_count_even_without_shared_words():
    target = Target(title="Fewer readmissions")
    quiet = Candidate(1, "Quiet", offer="Nothing in common")
    active = Candidate(2, "Active", events=("Hackathon", "Hackathon"), submissions=("Hackathon",))
    matches = rank(target, [quiet, active])
    assert [m.id for m in matches] == [2]
    assert matches[0].events == ("Hackathon",)  # once
    weights = Weights()
    assert matches[0].score == weights.event + weights.submission


def test_ties_are_ordered_by_name_and_the_limit_holds():
    target = Target(title="Sensorer")
    candidates = [Candidate(i, name, offer="sensorer") for i, name in enumerate("dcba")]
    assert [m.id for m in rank(target, candidates, limit=2)] == [3, 2]
    assert len(rank(target, candidates, limit=None)) == 4


def test_shared_words_are_capped():
    target = Target(title="", text=" ".join(f"ordet{chr(97 + i)}xx" for i in range(20)))
    candidate = Candidate(1, "Long", offer=target.text)
    match = rank(target, [candidate], weights=Weights(max_terms=5))[0]
    assert len(match.shared_terms) == 5 and match.score == 5


def test_nothing_in_common_is_no_match():
    assert rank(MEDICINE, [Candidate(1, "X", offer="")]) == []
    assert rank(Target(title=""), [Candidate(1, "X", offer="elektronisk")]) == []
