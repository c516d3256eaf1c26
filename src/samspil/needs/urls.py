from django.urls import path

from . import views

app_name = "needs"
urlpatterns: list = [
    path("", views.need_list, name="list"),
    path("new/", views.report, name="new"),
    path("mine/", views.mine, name="mine"),
    path("board/", views.triage_board, name="board"),
    path("similar/", views.similar, name="similar"),
    path("export.csv", views.export_csv, name="export-csv"),
    path("export.xlsx", views.export_xlsx, name="export-xlsx"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path(
        "endorsements/<int:pk>/withdraw/",
        views.withdraw_endorsement,
        name="endorsement-withdraw",
    ),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/status/", views.change_status, name="status"),
    path("<int:pk>/owner/", views.assign_owner, name="owner"),
    path("<int:pk>/endorse/", views.endorse, name="endorse"),
    path("<int:pk>/comments/", views.comment, name="comment"),
    path("<int:pk>/merge/", views.merge, name="merge"),
]
