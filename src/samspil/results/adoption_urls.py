"""Adoption, the Atom feed and the open-data exports (in the ``results`` namespace)."""

from django.urls import path

from . import adoption_views

urlpatterns: list = [
    path("<int:pk>/adopt/", adoption_views.adopt, name="adopt"),
    path(
        "<int:pk>/adoptions/<int:adoption_pk>/outcome/",
        adoption_views.adoption_outcome,
        name="adoption-outcome",
    ),
    path("feed.atom", adoption_views.feed, name="feed"),
    path("open-data/", adoption_views.open_data, name="open-data"),
    path("open-data/results.csv", adoption_views.results_csv, name="open-data-results"),
    path("open-data/adoptions.csv", adoption_views.adoptions_csv, name="open-data-adoptions"),
    path("open-data/datapackage.json", adoption_views.datapackage, name="open-data-package"),
]
