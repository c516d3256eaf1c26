"""Puts the organisation the user works for now on ``request.organisation``, and remembers
the organisation trees a request looks up."""

from django.utils.functional import SimpleLazyObject

from .models import Membership, Organisation
from .permissions import remembering_trees

SESSION_KEY = "current_organisation_id"


def current_organisation(request) -> Organisation | None:
    user = request.user
    if not user.is_authenticated:
        return None
    memberships = Membership.objects.filter(user=user).select_related("organisation")
    chosen = request.session.get(SESSION_KEY)
    membership = None
    if chosen is not None:
        membership = memberships.filter(organisation_id=chosen).first()
    if membership is None:
        membership = memberships.order_by("created_at", "pk").first()
    return membership.organisation if membership else None


class CurrentOrganisationMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.organisation = SimpleLazyObject(lambda: current_organisation(request))
        return self.get_response(request)


class RememberTreesMiddleware:
    """Reads each organisation tree once per request (``permissions.remembering_trees``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with remembering_trees():
            return self.get_response(request)
