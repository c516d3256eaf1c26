from django.urls import path

from . import views

app_name = "events"
urlpatterns: list = [
    path("", views.event_list, name="list"),
    path("new/", views.event_create, name="create"),
    path("feed.ics", views.events_feed, name="feed"),
    path("cancel/<str:token>/", views.cancel, name="cancel"),
    path("<int:pk>/", views.event_detail, name="detail"),
    path("<int:pk>/edit/", views.event_edit, name="edit"),
    path("<int:pk>/event.ics", views.event_ics, name="ics"),
    path("<int:pk>/register/", views.register, name="register"),
    path("<int:pk>/participants/", views.participant_list, name="participants"),
    path(
        "<int:pk>/participants.<str:fmt>",
        views.participant_export,
        name="participants-export",
    ),
    path(
        "<int:pk>/participants/<int:registration_pk>/attendance/",
        views.attendance,
        name="attendance",
    ),
    path("<int:pk>/groups/", views.grouping_page, name="groups"),
    path("<int:pk>/groups/move/", views.grouping_move, name="groups-move"),
    path("<int:pk>/groups/print/", views.grouping_print, name="groups-print"),
    # section: concepts and preparation tasks
    # section: datasets
    # section: teams and submissions
    # section: judging
    # section: survey and cost
    # section: report
]
