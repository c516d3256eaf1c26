"""Open results (namespace ``results``, under /results/): catalogue, result pages and
publishing here; adoption, feeds and exports in ``adoption_urls``."""

from django.urls import include, path

from . import views

app_name = "results"
urlpatterns: list = [
    path("", views.catalogue, name="catalogue"),
    path("drafts/", views.drafts, name="drafts"),
    path("new/", views.result_create, name="create"),
    path("<int:pk>/", views.result_detail, name="detail"),
    path("<int:pk>/edit/", views.result_edit, name="edit"),
    path("<int:pk>/publish/", views.result_publish, name="publish"),
    path("<int:pk>/withdraw/", views.result_withdraw, name="withdraw"),
    path("<int:pk>/copy/", views.result_copy, name="copy"),
    path("<int:pk>/documents/", views.document_add, name="document-add"),
    path(
        "<int:pk>/documents/<int:document_pk>/",
        views.document_download,
        name="document",
    ),
    path(
        "<int:pk>/documents/<int:document_pk>/remove/",
        views.document_remove,
        name="document-remove",
    ),
    path("", include("samspil.results.adoption_urls")),
]
