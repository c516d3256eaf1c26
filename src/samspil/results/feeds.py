"""The Atom feed of newly published results (/results/feed.atom), newest first."""

from __future__ import annotations

from datetime import datetime

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from . import adoption_queries
from .models import Result


class NewResultsFeed(Feed):
    feed_type = Atom1Feed
    title = _("samspil: newly published results")
    subtitle = _("Results, templates and guides that public organisations have shared openly.")

    def link(self) -> str:
        return reverse("results:catalogue")

    def feed_url(self) -> str:
        return reverse("results:feed")

    def items(self) -> list[Result]:
        return adoption_queries.feed_results()

    def item_title(self, item: Result) -> str:
        return item.title

    def item_description(self, item: Result) -> str:
        return item.summary

    def item_link(self, item: Result) -> str:
        return adoption_queries.result_link(item)

    def item_pubdate(self, item: Result) -> datetime | None:
        return item.published_at

    def item_updateddate(self, item: Result) -> datetime | None:
        return item.published_at

    def item_author_name(self, item: Result) -> str:
        return item.owner.name

    def item_categories(self, item: Result) -> list[str]:
        return [str(item.get_kind_display())]
