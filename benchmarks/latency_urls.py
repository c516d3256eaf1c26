"""samspil's URLs plus ``/bench/floor/``, the bare view the latency benchmark compares with."""

from django.http import HttpResponse
from django.urls import include, path


def floor(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench/floor/", floor),
    path("", include("samspil.urls")),
]
handler403 = "samspil.core.views.error_403"
handler404 = "samspil.core.views.error_404"
