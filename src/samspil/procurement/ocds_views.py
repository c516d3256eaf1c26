"""The procurement page's link to its open data. The OCDS JSON itself is served by the API
(``api.py``, section ocds: ``/api/ocds/releases``, ``/api/ocds/releases/<ocid>``,
``/api/ocds/records/<ocid>``); the page links to it (``templates/procurement/ocds/_links.html``).
"""

from django.http import Http404, HttpRequest, HttpResponseRedirect
from django.urls import reverse

from samspil.core import permissions
from samspil.core.models import Visibility


def record(request: HttpRequest, pk: int) -> HttpResponseRedirect:
    """``/procurement/<pk>/ocds/`` → the OCDS record package; 404 unless the procurement is
    public (OCDS is open data) and visible to the visitor."""
    procurement = permissions.get_procurement_for_user(request.user, pk)
    if procurement.visibility != Visibility.PUBLIC or not procurement.ocid:
        raise Http404
    return HttpResponseRedirect(reverse("api:ocds_record", kwargs={"ocid": procurement.ocid}))
