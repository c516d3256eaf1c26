from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .permissions import memberships_of

# The modules of the pipeline; each gets its page as its issue lands.
MODULES = [
    ("needs", _("Needs")),
    ("challenges", _("Challenges")),
    ("events", _("Events")),
    ("pilots", _("Pilots")),
    ("proposals", _("Proposals")),
    ("procurement", _("Procurement")),
    ("hub", _("Hub")),
    ("results", _("Results")),
]
# Modules whose pages exist: their navigation entry opens the page (URL name), the others
# keep the /modules/<key>/ description.
MODULE_URLS = {
    "needs": "needs:list",
    "challenges": "challenges:list",
    "events": "events:list",
    "pilots": "pilots:list",
    "proposals": "proposals:list",
    "procurement": "procurement:list",
    "hub": "hub:list",
    "results": "results:catalogue",
}


def module_url(key: str) -> str:
    name = MODULE_URLS.get(key)
    return reverse(name) if name else reverse("module", args=[key])


def navigation(request):
    user = getattr(request, "user", None)
    memberships = []
    unread = 0
    if user is not None and user.is_authenticated:
        unread = user.notifications.filter(read_at__isnull=True).count()
        memberships = sorted(
            memberships_of(user), key=lambda m: (m.organisation.name.casefold(), m.pk)
        )
    organisation = getattr(request, "organisation", None)
    return {
        "navigation_modules": [
            {"key": key, "label": label, "url": module_url(key)} for key, label in MODULES
        ],
        "my_memberships": memberships,
        "current_organisation": organisation if organisation else None,
        "unread_notifications": unread,
    }
