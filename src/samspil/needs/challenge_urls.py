from django.urls import path

from . import challenge_views as views

app_name = "challenges"
urlpatterns: list = [
    path("", views.challenge_list, name="list"),
    path("new/", views.challenge_create, name="create"),
    path("<int:pk>/", views.challenge_detail, name="detail"),
    path("<int:pk>/edit/", views.challenge_edit, name="edit"),
    path("<int:pk>/invite/", views.challenge_invite, name="invite"),
    path(
        "<int:pk>/co-owners/<int:co_owner_pk>/answer/",
        views.co_owner_answer,
        name="co-owner-answer",
    ),
]
