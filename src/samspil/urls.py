from django.contrib import admin
from django.urls import include, path

from samspil.api import api
from samspil.core import views as core_views

urlpatterns = [
    path("api/", include(api.urls())),
    path("operators/", admin.site.urls),
    path("needs/", include("samspil.needs.urls")),
    path("challenges/", include("samspil.needs.challenge_urls")),
    path("events/", include("samspil.events.urls")),
    path("pilots/", include("samspil.pilots.urls")),
    path("proposals/", include("samspil.proposals.urls")),
    path("procurement/", include("samspil.procurement.urls")),
    path("scaling/", include("samspil.procurement.scaling_urls")),
    path("suppliers/", include("samspil.procurement.supplier_urls")),
    path("hub/", include("samspil.hub.urls")),
    path("results/", include("samspil.results.urls")),
    path("", include("samspil.core.urls")),
]

handler403 = core_views.error_403
handler404 = core_views.error_404
