from django.urls import path

from . import views

app_name = "pilots"
urlpatterns: list = [
    path("", views.pilot_list, name="list"),
    # section: pilots
    # section: programmes and portfolio
    # section: phases and decisions
    # section: kpis and measurements
    # section: benchmarks
    # section: benefits
]
