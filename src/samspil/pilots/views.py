"""Pages of pilots: list, detail, create/edit, outcome, lessons, adoption."""

from django.shortcuts import render

from samspil.core.web import paginate

from . import queries


def pilot_list(request):
    page, query = paginate(request, queries.pilots_for_list(request.user))
    return render(request, "pilots/list.html", {"page": page, "query": query})
