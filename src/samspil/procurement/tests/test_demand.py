"""Committed and optional demand against the ceiling, with plain data: the joint
innovation partnership on biological light (two municipalities commit, eight more hold
options, DKK 160 m in all)."""

from decimal import Decimal

from samspil.procurement.demand import BuyerDemand, check_ceiling, demand

M = Decimal(1_000_000)
CEILING = 160 * M


def light_buyers(option_value=Decimal(15) * M, exercised: int = 0) -> list[BuyerDemand]:
    committed = [
        BuyerDemand("lead", estimated_value=20 * M),  # Aarhus
        BuyerDemand("participant", estimated_value=20 * M),  # Copenhagen
    ]
    options = [
        BuyerDemand(
            "option_holder",
            estimated_value=10 * M,
            maximum_value=option_value,
            exercised=index < exercised,
        )
        for index in range(8)
    ]
    return committed + options


def test_it_sums_committed_and_optional_demand():
    result = demand(light_buyers(), CEILING)
    assert result.committed == 40 * M
    assert result.optional == 120 * M
    assert result.total == CEILING
    assert result.headroom == 0
    assert not result.over_ceiling
    assert (result.option_holders, result.options_exercised) == (8, 0)


def test_it_counts_an_option_at_its_maximum_value():
    assert BuyerDemand("option_holder", estimated_value=1, maximum_value=5).value == 5
    assert BuyerDemand("option_holder", estimated_value=3).value == 3
    assert BuyerDemand("participant", estimated_value=2, maximum_value=9).value == 2
    assert BuyerDemand("participant", maximum_value=9).value == 9
    assert BuyerDemand("participant").value == 0


def test_an_exercised_option_moves_from_optional_to_committed_demand():
    result = demand(light_buyers(exercised=3), CEILING)
    assert result.committed == 40 * M + 3 * 15 * M
    assert result.optional == 5 * 15 * M
    assert result.exercised == 45 * M
    assert result.total == CEILING
    assert result.options_exercised == 3


def test_it_fits_exactly_at_the_ceiling():
    assert check_ceiling(light_buyers(), CEILING) is None


def test_it_tells_by_how_much_the_ceiling_is_exceeded():
    exceeded = check_ceiling(light_buyers(option_value=16 * M), CEILING)
    assert exceeded is not None
    assert exceeded.total == 168 * M
    assert exceeded.ceiling == CEILING
    assert exceeded.excess == 8 * M


def test_without_a_ceiling_nothing_is_exceeded():
    assert check_ceiling(light_buyers(option_value=10**9), None) is None
    result = demand(light_buyers(), None)
    assert result.headroom is None and not result.over_ceiling and result.share(M) is None


def test_it_gives_a_part_as_a_share_of_the_ceiling():
    result = demand(light_buyers(), CEILING)
    assert result.share(result.committed) == Decimal("25.0")


def test_no_buyers_is_no_demand():
    result = demand([], CEILING)
    assert (result.committed, result.optional, result.headroom) == (0, 0, CEILING)
