from django.urls import include, path

from . import buyer_views, ocds_views, views

app_name = "procurement"
urlpatterns: list = [
    # section: procurements (views.py)
    path("", views.procurement_list, name="list"),
    path("new/", views.procurement_create, name="create"),
    path("route-advice/", views.route_advice, name="route-advice"),
    path("<int:pk>/", views.procurement_detail, name="detail"),
    path("<int:pk>/edit/", views.procurement_edit, name="edit"),
    path("<int:pk>/steps/", views.step_done, name="step-done"),
    path("<int:pk>/stage/", views.stage_move, name="stage"),
    path("<int:pk>/lots/", views.lot_add, name="lot-add"),
    path("<int:pk>/phases/", views.phase_add, name="phase-add"),
    path("<int:pk>/phases/<int:phase_pk>/decide/", views.phase_decide, name="phase-decide"),
    path("<int:pk>/awards/", views.award_add, name="award-add"),
    path("<int:pk>/contracts/", views.contract_add, name="contract-add"),
    # section: buyers and options (buyer_views.py)
    path("<int:pk>/buyers/", buyer_views.buyer_invite, name="buyer-invite"),
    path(
        "<int:pk>/buyers/<int:buyer_pk>/confirm/", buyer_views.buyer_confirm, name="buyer-confirm"
    ),
    path("<int:pk>/buyers/<int:buyer_pk>/edit/", buyer_views.buyer_edit, name="buyer-edit"),
    path("<int:pk>/buyers/<int:buyer_pk>/remove/", buyer_views.buyer_remove, name="buyer-remove"),
    path(
        "<int:pk>/buyers/<int:buyer_pk>/exercise/",
        buyer_views.buyer_exercise,
        name="buyer-exercise",
    ),
    # section: ocds (ocds_views.py)
    path("<int:pk>/ocds/", ocds_views.record, name="ocds-record"),
    path("", include("samspil.procurement.dialogue_urls")),
]
