"""Scaling processes (namespace ``scaling``, under /scaling/)."""

from django.urls import path

from . import scaling_views as views

app_name = "scaling"
urlpatterns: list = [
    path("", views.scaling_list, name="list"),
    path("new/", views.scaling_create, name="create"),
    path("<int:pk>/", views.scaling_detail, name="detail"),
    path("<int:pk>/edit/", views.scaling_edit, name="edit"),
    path("<int:pk>/criteria/", views.criteria_update, name="criteria"),
    path("<int:pk>/participants/", views.participant_add, name="participant-add"),
    path(
        "<int:pk>/participants/<int:participant_pk>/role/",
        views.participant_role,
        name="participant-role",
    ),
    path(
        "<int:pk>/participants/<int:participant_pk>/remove/",
        views.participant_remove,
        name="participant-remove",
    ),
    path("<int:pk>/steps/", views.step_done, name="step-done"),
    path("<int:pk>/commitments/", views.commitment_add, name="commitment-add"),
    path("<int:pk>/adoption/", views.adoption_add, name="adoption-add"),
]
