from django.urls import path

from . import buyer_views, ocds_views, views

app_name = "procurement"
urlpatterns: list = [
    # section: procurements (views.py)
    # section: buyers and options (buyer_views.py)
    # section: ocds (ocds_views.py)
]
