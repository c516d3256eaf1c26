from django.urls import path

from . import benchmark_views, benefit_views, kpi_views, phase_views, programme_views, views

app_name = "pilots"
urlpatterns: list = [
    path("", views.pilot_list, name="list"),
    # section: pilots
    path("new/", views.pilot_create, name="create"),
    path("<int:pk>/", views.pilot_detail, name="detail"),
    path("<int:pk>/edit/", views.pilot_edit, name="edit"),
    path("<int:pk>/status/", views.pilot_status, name="status"),
    path("<int:pk>/maturity/", views.pilot_maturity, name="maturity"),
    path("<int:pk>/partners/", views.partner_add, name="partner-add"),
    path(
        "<int:pk>/partners/<int:partner_pk>/remove/",
        views.partner_remove,
        name="partner-remove",
    ),
    path("<int:pk>/lessons/", views.lesson_add, name="lesson-add"),
    path("<int:pk>/lessons/<int:lesson_pk>/edit/", views.lesson_edit, name="lesson-edit"),
    path("<int:pk>/lessons/<int:lesson_pk>/delete/", views.lesson_delete, name="lesson-delete"),
    path("<int:pk>/adopt/", views.pilot_adopt, name="adopt"),
    # section: programmes and portfolio
    path("programmes/", programme_views.programme_list, name="programmes"),
    path("programmes/new/", programme_views.programme_create, name="programme-create"),
    path("programmes/<int:pk>/", programme_views.programme_detail, name="programme"),
    path("programmes/<int:pk>/edit/", programme_views.programme_edit, name="programme-edit"),
    path(
        "programmes/<int:pk>/pilots/",
        programme_views.programme_pilots,
        name="programme-pilots",
    ),
    path(
        "programmes/<int:pk>/pilots/<int:pilot_pk>/detach/",
        programme_views.programme_detach,
        name="programme-detach",
    ),
    path("portfolio/", programme_views.portfolio_overview, name="portfolio"),
    # section: phases and decisions
    path("<int:pk>/phases/", phase_views.phases, name="phases"),
    path("<int:pk>/phases/decide/", phase_views.decide, name="decide"),
    path(
        "<int:pk>/phases/<int:phase_pk>/checklist/",
        phase_views.checklist_tick,
        name="checklist-tick",
    ),
    path(
        "<int:pk>/phases/<int:phase_pk>/checklist/add/",
        phase_views.checklist_add,
        name="checklist-add",
    ),
    path(
        "<int:pk>/checklist/<int:item_pk>/remove/",
        phase_views.checklist_remove,
        name="checklist-remove",
    ),
    path("phase-models/", phase_views.phase_models, name="phase-models"),
    path("phase-models/new/", phase_views.phase_model_create, name="phase-model-create"),
    path("phase-models/<int:pk>/", phase_views.phase_model, name="phase-model"),
    # section: kpis and measurements
    path("<int:pk>/kpis/", kpi_views.kpi_page, name="kpis"),
    path("<int:pk>/kpis/new/", kpi_views.kpi_add, name="kpi-add"),
    path("<int:pk>/kpis/<int:kpi_pk>/edit/", kpi_views.kpi_edit, name="kpi-edit"),
    path("<int:pk>/kpis/<int:kpi_pk>/delete/", kpi_views.kpi_delete, name="kpi-delete"),
    path(
        "<int:pk>/kpis/<int:kpi_pk>/measurements/",
        kpi_views.measurement_add,
        name="measurement-add",
    ),
    path(
        "<int:pk>/kpis/<int:kpi_pk>/measurements/<int:measurement_pk>/edit/",
        kpi_views.measurement_edit,
        name="measurement-edit",
    ),
    path(
        "<int:pk>/kpis/<int:kpi_pk>/measurements/<int:measurement_pk>/delete/",
        kpi_views.measurement_delete,
        name="measurement-delete",
    ),
    path("<int:pk>/kpis/import/", kpi_views.measurement_import, name="measurement-import"),
    path(
        "<int:pk>/kpis/<int:kpi_pk>/template.csv",
        kpi_views.measurement_template,
        name="measurement-template",
    ),
    # section: benchmarks
    path("kpi-definitions/", benchmark_views.kpi_definition_list, name="kpi-definitions"),
    path(
        "kpi-definitions/new/",
        benchmark_views.kpi_definition_create,
        name="kpi-definition-create",
    ),
    path("kpi-definitions/<int:pk>/", benchmark_views.benchmark, name="benchmark"),
    path(
        "kpi-definitions/<int:pk>/edit/",
        benchmark_views.kpi_definition_edit,
        name="kpi-definition-edit",
    ),
    path(
        "kpi-definitions/<int:pk>/references/new/",
        benchmark_views.reference_add,
        name="reference-add",
    ),
    path(
        "kpi-definitions/<int:pk>/references/<int:reference_pk>/edit/",
        benchmark_views.reference_edit,
        name="reference-edit",
    ),
    path(
        "kpi-definitions/<int:pk>/references/<int:reference_pk>/delete/",
        benchmark_views.reference_delete,
        name="reference-delete",
    ),
    # section: benefits
    path("<int:pk>/benefits/", benefit_views.benefits_plan, name="benefits"),
    path("<int:pk>/benefits/new/", benefit_views.benefit_add, name="benefit-add"),
    path(
        "<int:pk>/benefits/<int:benefit_pk>/",
        benefit_views.benefit_detail,
        name="benefit-detail",
    ),
    path(
        "<int:pk>/benefits/<int:benefit_pk>/edit/",
        benefit_views.benefit_edit,
        name="benefit-edit",
    ),
    path(
        "<int:pk>/benefits/<int:benefit_pk>/delete/",
        benefit_views.benefit_delete,
        name="benefit-delete",
    ),
    path(
        "<int:pk>/benefits/<int:benefit_pk>/status/",
        benefit_views.benefit_status,
        name="benefit-status",
    ),
    path(
        "<int:pk>/benefits/<int:benefit_pk>/measurements/",
        benefit_views.benefit_measurement_add,
        name="benefit-measurement-add",
    ),
    path(
        "<int:pk>/benefits/<int:benefit_pk>/measurements/<int:measurement_pk>/delete/",
        benefit_views.benefit_measurement_delete,
        name="benefit-measurement-delete",
    ),
]
