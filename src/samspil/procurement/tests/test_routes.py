"""The decision aid (pure): answers → routes with reasons."""

from samspil.procurement.routes import NO, UNSURE, YES, Answers, recommend


def codes(**answers) -> list[str]:
    return [advice.code for advice in recommend(Answers(**answers))]


def test_an_existing_solution_with_clear_requirements_is_an_open_tender():
    assert codes(
        market_has_solution=YES,
        need_clear=YES,
        needs_rnd=NO,
        buyer_buys_result=NO,
        several_buyers=NO,
        norway=NO,
        denmark_partnership=NO,
    ) == ["open-tender"]


def test_development_and_purchase_is_an_innovation_partnership():
    assert codes(needs_rnd=YES, buyer_buys_result=YES)[0] == "innovation-partnership"


def test_development_without_purchase_is_pcp():
    assert codes(needs_rnd=YES, buyer_buys_result=NO)[0] == "pcp"


def test_unsure_about_purchase_offers_both():
    assert codes(needs_rnd=YES)[:2] == ["innovation-partnership", "pcp"]


def test_an_unclear_need_is_dialogue_and_market_consultation():
    result = codes(market_has_solution=YES, need_clear=NO, needs_rnd=NO)
    assert "competitive-dialogue" in result and "market-consultation" in result


def test_adapting_an_existing_solution_is_negotiation():
    assert "negotiation" in codes(market_has_solution=UNSURE, need_clear=YES, needs_rnd=NO)


def test_norway_and_denmark_have_their_own_routes():
    assert "lup" in codes(norway=YES)
    assert "opi-without-tender" in codes(denmark_partnership=YES)


def test_every_advice_has_a_reason_and_no_route_twice():
    for answers in (Answers(), Answers(several_buyers=YES), Answers(needs_rnd=YES, norway=YES)):
        advice = recommend(answers)
        assert advice and all(item.reason for item in advice)
        assert len({item.code for item in advice}) == len(advice)


def test_unknown_answers_count_as_unsure():
    assert codes(needs_rnd="maybe") == codes()
