"""Bookable resources and bookings (in the ``hub`` namespace, under /hub/resources/)."""

from django.urls import path

from . import resource_views as views

urlpatterns: list = [
    path("resources/", views.resource_list, name="resource-list"),
    path("resources/new/", views.resource_create, name="resource-create"),
    path("resources/<int:pk>/", views.resource_detail, name="resource"),
    path("resources/<int:pk>/edit/", views.resource_edit, name="resource-edit"),
    path("resources/<int:pk>/book/", views.resource_book, name="resource-book"),
    path("resources/bookings/", views.booking_list, name="bookings"),
    path("resources/bookings/<int:pk>/", views.booking_detail, name="booking"),
    path("resources/bookings/<int:pk>/decide/", views.booking_decide, name="booking-decide"),
    path("resources/bookings/<int:pk>/cancel/", views.booking_cancel, name="booking-cancel"),
    path("resources/bookings/<int:pk>/event/", views.booking_event, name="booking-event"),
    path("resources/bookings/<int:pk>/booking.ics", views.booking_ics, name="booking-ics"),
]
