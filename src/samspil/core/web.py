"""Small helpers every app's views share: service errors on forms, paginated lists."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.http import HttpRequest
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.functional import cached_property

# A list counts at most this many rows: beyond it the page says "more than 1,000" and the
# last page within the cap (page 40) is the last one linked; filters narrow a longer list.
# Counting 400,000 visible needs costs about half a second on PostgreSQL, 10,001 about 4 ms
# and 1,001 under half a millisecond.
COUNT_CAP = 1_000


def refusal_message(request: HttpRequest, error: ValidationError) -> None:
    """A service's refusal of a button press (no form to show it on) as an error message."""
    messages.error(request, " ".join(error.messages))


def add_service_errors(form, error: ValidationError) -> None:
    """A service's refusal shown next to the field it concerns (or above the form)."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def capped_count(rows, cap: int) -> int:
    """How many ``rows`` there are, counting at most ``cap + 1``.

    ``SELECT COUNT(*) FROM (SELECT id … LIMIT cap + 1)`` for a queryset, ``len`` for a list.
    Only the ids are selected, unordered: a slice keeps every annotation and join in the
    subquery otherwise, and the database would compute them for rows it only counts.
    """
    if hasattr(rows, "count") and not isinstance(rows, list | tuple):
        return rows.order_by().values("pk")[: cap + 1].count()
    return min(len(rows), cap + 1)


class CappedPaginator(Paginator):
    """A paginator whose count stops at ``cap``: ``capped`` tells that there are more."""

    def __init__(self, object_list, per_page, *, cap: int = COUNT_CAP, count: int | None = None):
        super().__init__(object_list, per_page)
        self.cap = cap
        self._known_count = count

    @cached_property
    def counted(self) -> int:
        if self._known_count is not None:
            return self._known_count
        return capped_count(self.object_list, self.cap)

    @cached_property
    def capped(self) -> bool:
        return self.counted > self.cap

    @cached_property
    def count(self) -> int:  # type: ignore[override]
        return min(self.counted, self.cap)


def paginate(
    request: HttpRequest, rows, *, cap: int = COUNT_CAP, count: int | None = None
) -> tuple[Page, str]:
    """The requested page of ``rows`` and the query string without ``page`` for its links.

    The count stops at ``cap`` (see :class:`CappedPaginator`); ``count`` is a capped count
    the caller already made.
    """
    paginator = CappedPaginator(rows, settings.PAGE_SIZE, cap=cap, count=count)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


def render_list(request: HttpRequest, page_template: str, rows_template: str, context: dict):
    """A list page, or only its rows for an htmx request (filters, paging).

    htmx asks for the whole page when it restores history it has not cached; ``Vary``
    keeps caches from serving the rows where the page was asked for.
    """
    partial = request.htmx and not request.htmx.history_restore_request  # type: ignore[attr-defined]
    response = render(request, rows_template if partial else page_template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response
