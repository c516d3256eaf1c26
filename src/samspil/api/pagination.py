"""Page-number pagination for every API list: ``?page=2&page_size=50``."""

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import PaginationBase


class PagePagination(PaginationBase):
    class Input(Schema):
        page: int = Field(1, ge=1)
        # No default in the schema: the OpenAPI document must not depend on the environment.
        page_size: int | None = Field(
            None,
            ge=1,
            le=settings.API_MAX_PAGE_SIZE,
            description="Items per page; the server's PAGE_SIZE setting when left out.",
        )

    class Output(Schema):
        items: list[Any]
        count: int
        page: int
        page_size: int
        pages: int

    items_attribute = "items"

    def paginate_queryset(
        self, queryset: QuerySet, pagination: Any, request: HttpRequest, **params: Any
    ):
        """A page beyond the last one has no items (and the same count and pages).

        It is not queried either, so a huge ``page`` cannot overflow the database's OFFSET.
        """
        page_size = pagination.page_size or min(settings.PAGE_SIZE, settings.API_MAX_PAGE_SIZE)
        count = queryset.count()
        offset = (pagination.page - 1) * page_size
        return {
            "items": list(queryset[offset : offset + page_size]) if offset < count else [],
            "count": count,
            "page": pagination.page,
            "page_size": page_size,
            "pages": max(1, -(-count // page_size)),
        }
