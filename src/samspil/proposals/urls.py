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
    # section: economy (economy_views.py)
    # section: criteria, follow-up, consultations (followup_views.py)
    # section: rounds (round_views.py)
    # section: optimise (optimise_views.py)
    # section: documents (document_views.py)
]
