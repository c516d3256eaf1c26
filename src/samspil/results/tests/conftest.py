import pytest

from samspil.conftest import add_member, make_user
from samspil.core.models import Role, Visibility
from samspil.results import services
from samspil.results.models import Result, ResultKind

from .factories import insert_result, make_concept, make_pilot, make_result


@pytest.fixture(autouse=True)
def _english(english):
    """Every test here reads pages and messages in English."""


# A public pilot of organisation A, an internal one, its draft and published results, a
# published event concept template.


@pytest.fixture
def pilot(org_a):
    return make_pilot(org_a)


@pytest.fixture
def internal_pilot(org_a):
    return make_pilot(org_a, title="Internal payroll pilot", visibility=Visibility.INTERNAL)


@pytest.fixture
def draft(alice, org_a, pilot):
    return make_result(alice, org_a, pilot=pilot)


@pytest.fixture
def published(alice, org_a, pilot):
    return services.publish_result(alice, make_result(alice, org_a, pilot=pilot))


@pytest.fixture
def concept_template(alice, org_a):
    concept = make_concept(org_a)
    result = make_result(
        alice, org_a, title=concept.title, kind=ResultKind.EVENT_CONCEPT, concept=concept
    )
    return services.publish_result(alice, result)


# Bergvik (organisation B) publishes a result that others adopt.


@pytest.fixture
def olav(org_b):
    """Innovation lead of Bergvik, the publisher."""
    user = make_user("olav")
    add_member(user, org_b, Role.Code.INNOVATION_LEAD)
    return user


@pytest.fixture
def result(org_b) -> Result:
    return insert_result(org_b)
