from django.urls import path

from . import (
    document_views,
    economy_views,
    followup_views,
    optimise_views,
    round_views,
    views,
)

app_name = "proposals"
urlpatterns: list = [
    # section: proposals (views.py)
    path("", views.proposal_list, name="list"),
    path("new/", views.proposal_create, name="create"),
    path("<int:pk>/", views.proposal_detail, name="detail"),
    path("<int:pk>/header/", views.proposal_header, name="header"),
    path("<int:pk>/sections/<slug:code>/", views.proposal_section, name="section"),
    path("<int:pk>/state/", views.proposal_move, name="move"),
    # section: economy (economy_views.py)
    path("<int:pk>/economy/", economy_views.table_edit, name="economy"),
    path("<int:pk>/economy.xlsx", economy_views.table_export, name="economy-xlsx"),
    path("<int:pk>/economy/import/", economy_views.table_import, name="economy-import"),
    path("<int:pk>/economy/lines/", economy_views.line_add, name="economy-line-add"),
    path(
        "<int:pk>/economy/lines/<int:line_pk>/",
        economy_views.line_edit,
        name="economy-line",
    ),
    path(
        "<int:pk>/economy/lines/<int:line_pk>/row/",
        economy_views.line_row,
        name="economy-line-row",
    ),
    path(
        "<int:pk>/economy/lines/<int:line_pk>/delete/",
        economy_views.line_delete,
        name="economy-line-delete",
    ),
    path(
        "<int:pk>/economy/lines/<int:line_pk>/move/",
        economy_views.line_move,
        name="economy-line-move",
    ),
    # section: criteria, follow-up, consultations (followup_views.py)
    path("follow-ups/", followup_views.my_follow_ups, name="follow-ups"),
    path("<int:pk>/criteria/new/", followup_views.criteria_add, name="criteria-add"),
    path(
        "<int:pk>/criteria/<int:row_pk>/edit/",
        followup_views.criteria_edit,
        name="criteria-edit",
    ),
    path(
        "<int:pk>/criteria/<int:row_pk>/delete/",
        followup_views.criteria_delete,
        name="criteria-delete",
    ),
    path(
        "<int:pk>/criteria/<int:row_pk>/move/",
        followup_views.criteria_move,
        name="criteria-move",
    ),
    path("<int:pk>/follow-ups/new/", followup_views.follow_up_add, name="follow-up-add"),
    path(
        "<int:pk>/follow-ups/<int:item_pk>/edit/",
        followup_views.follow_up_edit,
        name="follow-up-edit",
    ),
    path(
        "<int:pk>/follow-ups/<int:item_pk>/delete/",
        followup_views.follow_up_delete,
        name="follow-up-delete",
    ),
    path(
        "<int:pk>/follow-ups/<int:item_pk>/move/",
        followup_views.follow_up_move,
        name="follow-up-move",
    ),
    path(
        "<int:pk>/follow-ups/<int:item_pk>/done/",
        followup_views.follow_up_done,
        name="follow-up-done",
    ),
    path(
        "<int:pk>/consultations/new/",
        followup_views.consultation_add,
        name="consultation-add",
    ),
    path(
        "<int:pk>/consultations/<int:consultation_pk>/edit/",
        followup_views.consultation_edit,
        name="consultation-edit",
    ),
    path(
        "<int:pk>/consultations/<int:consultation_pk>/delete/",
        followup_views.consultation_delete,
        name="consultation-delete",
    ),
    # section: rounds (round_views.py)
    path("rounds/", round_views.round_list, name="rounds"),
    path("rounds/new/", round_views.round_create, name="round-create"),
    path("rounds/<int:pk>/", round_views.round_detail, name="round"),
    path("rounds/<int:pk>/edit/", round_views.round_edit, name="round-edit"),
    path("rounds/<int:pk>/prioritise/", round_views.round_prioritise, name="round-prioritise"),
    path(
        "rounds/<int:pk>/entries/<int:entry_pk>/score/",
        round_views.round_score,
        name="round-score",
    ),
    path(
        "rounds/<int:pk>/entries/<int:entry_pk>/remove/",
        round_views.round_remove_entry,
        name="round-remove-entry",
    ),
    path("<int:pk>/rounds/", round_views.proposal_enter_round, name="enter-round"),
    # section: optimise (optimise_views.py)
    path("rounds/<int:pk>/optimise/", optimise_views.round_optimise, name="round-optimise"),
    path(
        "rounds/<int:pk>/entries/<int:entry_pk>/choice/",
        optimise_views.round_choice,
        name="round-choice",
    ),
    # section: documents (document_views.py)
    path(
        "<int:pk>/document/<str:file_format>/",
        document_views.proposal_document,
        name="document",
    ),
    path(
        "rounds/<int:pk>/overview/<str:file_format>/",
        document_views.round_overview,
        name="round-overview",
    ),
]
