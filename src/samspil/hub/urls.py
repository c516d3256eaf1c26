"""The hub pages (namespace ``hub``, under /hub/): hubs, partners and the competence pool
here; bookable resources and bookings in ``resource_urls``."""

from django.urls import include, path

from . import pool_views, views

app_name = "hub"
urlpatterns: list = [
    # section: hubs and partners (views.py)
    path("", views.hub_list, name="list"),
    path("new/", views.hub_create, name="create"),
    path("<int:pk>/", views.hub_detail, name="detail"),
    path("<int:pk>/edit/", views.hub_edit, name="edit"),
    path("<int:pk>/partners/", views.partner_add, name="partner-add"),
    path(
        "<int:pk>/partners/<int:partner_pk>/remove/",
        views.partner_remove,
        name="partner-remove",
    ),
    path("<int:pk>/projects/", views.project_add, name="project-add"),
    path(
        "<int:pk>/projects/<int:project_pk>/remove/",
        views.project_remove,
        name="project-remove",
    ),
    # section: competence pool (pool_views.py)
    path("pool/", pool_views.pool, name="pool"),
    path("pool/add/", pool_views.member_add, name="pool-add"),
    path("pool/<int:pk>/edit/", pool_views.member_edit, name="pool-edit"),
    path("pool/<int:pk>/remove/", pool_views.member_remove, name="pool-remove"),
    path("pool/<int:pk>/assign/", pool_views.assign, name="pool-assign"),
    path(
        "pool/assignments/<int:pk>/remove/",
        pool_views.assignment_remove,
        name="assignment-remove",
    ),
    path("", include("samspil.hub.resource_urls")),
]
