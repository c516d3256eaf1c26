"""samspil's URLs plus ``/bench/floor/``, the bare view the latency benchmark compares with,
and ``/bench/floor/signed-in/``, the same view after reading the session and the user."""

from django.http import HttpResponse
from django.urls import include, path


def floor(request):
    return HttpResponse("ok", content_type="text/plain")


def signed_in_floor(request):
    """The bare view once the middleware has read the session and the user, as every
    signed-in page has (the floor's view never asks, so its lazy session stays unread)."""
    return HttpResponse("ok" if request.user.is_authenticated else "anonymous")


urlpatterns = [
    path("bench/floor/", floor),
    path("bench/floor/signed-in/", signed_in_floor),
    path("", include("samspil.urls")),
]
handler403 = "samspil.core.views.error_403"
handler404 = "samspil.core.views.error_404"
