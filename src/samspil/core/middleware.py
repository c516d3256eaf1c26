"""Puts the organisation the user works for now on ``request.organisation``, and remembers
the organisation trees a request looks up."""

from django.utils.functional import SimpleLazyObject

from .models import Organisation
from .permissions import memberships_of, remembering_trees

SESSION_KEY = "current_organisation_id"


def current_organisation(request) -> Organisation | None:
    memberships = memberships_of(request.user)  # oldest first
    if not memberships:
        return None
    chosen = request.session.get(SESSION_KEY)
    for membership in memberships:
        if str(membership.organisation_id) == str(chosen):
            return membership.organisation
    return memberships[0].organisation


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
