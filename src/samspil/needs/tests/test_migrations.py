"""Data migrations of needs, run against rows written the old way."""

from importlib import import_module

from django.apps import apps

from samspil.core.models import Visibility
from samspil.needs.models import Need, NeedStatus

clear_generated_reasons = import_module(
    "samspil.needs.migrations.0007_clear_generated_merge_reasons"
).clear_generated_reasons


def make_need(owner, title, **extra) -> Need:
    return Need.objects.create(
        owner=owner, title=title, description=f"{title}.", visibility=Visibility.SHARED, **extra
    )


def test_it_clears_the_merge_texts_stored_in_any_of_the_four_languages(org_a):
    survivor = make_need(org_a, "Fakturaer")
    stored = [
        "Merged into “Fakturaer”.",
        "Sammenlagt med »Fakturaer«.",
        "Slått sammen med «Fakturaer».",
        "Sammanslaget med ”Et titel som siden er ændret”.",
    ]
    merged = [
        make_need(org_a, f"Dublet {n}", status=NeedStatus.MERGED, merged_into=survivor,
                  status_reason=reason)
        for n, reason in enumerate(stored)
    ]  # fmt: skip

    clear_generated_reasons(apps, None)

    assert [Need.objects.get(pk=n.pk).status_reason for n in merged] == [""] * 4


def test_it_keeps_reasons_people_wrote(org_a):
    survivor = make_need(org_a, "Fakturaer")
    rejected = make_need(
        org_a, "Afvist", status=NeedStatus.REJECTED, status_reason="Merged into “Fakturaer”."
    )
    merged = make_need(
        org_a, "Dublet", status=NeedStatus.MERGED, merged_into=survivor,
        status_reason="Same invoices; see the other need.",
    )  # fmt: skip

    clear_generated_reasons(apps, None)

    assert Need.objects.get(pk=rejected.pk).status_reason == "Merged into “Fakturaer”."
    assert Need.objects.get(pk=merged.pk).status_reason == "Same invoices; see the other need."
