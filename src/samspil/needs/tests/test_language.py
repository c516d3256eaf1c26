"""Which language a need is written in, told from its text alone (offline)."""

import pytest

from samspil.needs.language import detect_language


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Sygeplejersker mangler tid", "da"),
        ("Sykepleiere mangler tid", "nb"),
        ("Sjuksköterskor saknar tid", "sv"),
        ("Nurses lack time", "en"),
        ("Vi bruger for meget tid på at kode fakturaer", "da"),
        ("Vi bruker for mye tid på å kode fakturaer manuelt", "nb"),
        ("Vi lägger för mycket tid på att koda fakturor manuellt", "sv"),
        ("We spend too much time coding invoices by hand", "en"),
    ],
)
def test_it_tells_the_language_of_a_short_text(text, language):
    assert detect_language(text) == language


@pytest.mark.parametrize(
    ("text", "language"),
    [
        (
            "Børnehaverne køber ind til tusind børn i en webshop, som er svær at bruge. Hver "
            "leder bruger flere timer om ugen på at finde varer, sammenligne priser og rette "
            "fejl i ordrerne, og indkøbene bliver ikke samlet på tværs af institutionerne.",
            "da",
        ),
        (
            "Barnehagene kjøper inn til tusen barn i en nettbutikk som er vanskelig å bruke. "
            "Hver styrer bruker flere timer i uken på å finne varer, sammenligne priser og rette "
            "feil i bestillingene, og innkjøpene blir ikke samlet på tvers av barnehagene.",
            "nb",
        ),
        (
            "Förskolorna köper in till tusen barn i en webbutik som är svår att använda. Varje "
            "förskolechef lägger flera timmar i veckan på att hitta varor, jämföra priser och "
            "rätta fel i beställningarna, och inköpen samordnas inte mellan förskolorna.",
            "sv",
        ),
        (
            "The kindergartens buy for a thousand children in a webshop that is hard to use. "
            "Every manager spends several hours a week finding products, comparing prices and "
            "correcting orders, and the purchases are not pooled across the kindergartens.",
            "en",
        ),
    ],
)
def test_it_tells_the_language_of_a_long_text(text, language):
    assert detect_language(text) == language


@pytest.mark.parametrize("text", ["", "   ", "Fakturaer", "Sjuksköterskor", "Invoices", "🙂"])
def test_it_answers_the_default_for_a_single_word(text):
    assert detect_language(text) == "da"
    assert detect_language(text, default="sv") == "sv"


@pytest.mark.parametrize("text", ["1234 5678", "!!! ???", "<b> </b>", "Bonjour tout le monde"])
def test_it_always_answers_one_of_the_platforms_languages(text):
    assert detect_language(text) in {"da", "nb", "sv", "en"}
