"""Small helpers every app's views share: service errors on forms, paginated lists."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.http import HttpRequest


def add_service_errors(form, error: ValidationError) -> None:
    """A service's refusal shown next to the field it concerns (or above the form)."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def paginate(request: HttpRequest, rows) -> tuple[Page, str]:
    """The requested page of ``rows`` and the query string without ``page`` for its links."""
    page = Paginator(rows, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()
