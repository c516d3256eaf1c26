"""Supplier interest and invitations on procurements and challenges, and the supplier
directory (namespace ``suppliers``, under /suppliers/)."""

from django.urls import path

from . import supplier_views as views

app_name = "suppliers"
urlpatterns: list = [
    path("", views.directory, name="directory"),
    path("opportunities/", views.opportunities, name="opportunities"),
    path("<int:pk>/", views.profile_detail, name="profile"),
    path("<int:pk>/edit/", views.profile_edit, name="edit"),
    path(
        "challenges/<int:pk>/interest/",
        views.register_interest,
        {"kind": "challenge"},
        name="challenge-interest",
    ),
    path(
        "procurements/<int:pk>/interest/",
        views.register_interest,
        {"kind": "procurement"},
        name="procurement-interest",
    ),
    path(
        "challenges/<int:pk>/invite/", views.invite, {"kind": "challenge"}, name="challenge-invite"
    ),
    path(
        "procurements/<int:pk>/invite/",
        views.invite,
        {"kind": "procurement"},
        name="procurement-invite",
    ),
]
