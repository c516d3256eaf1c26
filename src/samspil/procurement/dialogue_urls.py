"""Market dialogue pages of a procurement: the log, questions and published answers, and
the functional requirements (in the ``procurement`` namespace)."""

from django.urls import path

from . import dialogue_views as views

urlpatterns: list = [
    path("<int:pk>/dialogue/entries/new/", views.entry_create, name="dialogue-entry-add"),
    path(
        "<int:pk>/dialogue/entries/<int:entry_pk>/edit/",
        views.entry_edit,
        name="dialogue-entry-edit",
    ),
    path(
        "<int:pk>/dialogue/entries/<int:entry_pk>/remove/",
        views.entry_remove,
        name="dialogue-entry-remove",
    ),
    path("<int:pk>/dialogue/questions/", views.question_ask, name="dialogue-ask"),
    path(
        "<int:pk>/dialogue/questions/<int:question_pk>/answer/",
        views.question_answer,
        name="dialogue-answer",
    ),
    path("<int:pk>/dialogue/requirements/", views.requirement_add, name="dialogue-requirement-add"),
    path(
        "<int:pk>/dialogue/requirements/pull/",
        views.requirement_pull,
        name="dialogue-requirement-pull",
    ),
    path(
        "<int:pk>/dialogue/requirements/<int:requirement_pk>/remove/",
        views.requirement_remove,
        name="dialogue-requirement-remove",
    ),
]
