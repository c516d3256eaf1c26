"""Reads procurements for the OCDS export: only public ones, in a constant number of queries,
turned into the plain data ``ocds`` builds releases from.

OCDS is open data: the export holds ``visibility == public`` procurements only, also for a
signed-in caller who may see shared or internal ones on the pages.
"""

from datetime import datetime

from django.conf import settings
from django.db.models import DateTimeField, Max, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext

from samspil.core import permissions
from samspil.core.models import LANGUAGE_OF_COUNTRY, Organisation, Visibility

from . import ocds
from .models import (
    Award,
    Buyer,
    Contract,
    InterestStatus,
    Lot,
    Phase,
    Procurement,
    StepDone,
    SupplierInterest,
)

CHILD_MODELS = (Lot, Buyer, Award, Contract, Phase, StepDone, SupplierInterest)


def publisher() -> ocds.Publisher:
    return ocds.Publisher(name="samspil", uri=settings.SITE_URL, time_zone=settings.TIME_ZONE)


def _last_change(model) -> Subquery:
    history = model.history.model  # type: ignore[attr-defined]
    return Subquery(
        history.objects.filter(procurement_id=OuterRef("pk"))
        .values("procurement_id")
        .annotate(last=Max("history_date"))
        .values("last")[:1],
        output_field=DateTimeField(),
    )


def public_procurements(user) -> QuerySet[Procurement]:
    """The public procurements (with an ocid), each with ``last_changed``: the latest change
    to it or to its lots, buyers, awards, contracts, phases or steps."""
    changes = [Coalesce(_last_change(model), "updated_at") for model in CHILD_MODELS]
    return (
        permissions.procurements_visible_to(user)
        .filter(visibility=Visibility.PUBLIC, ocid__isnull=False)
        .annotate(last_changed=Greatest("updated_at", *changes, output_field=DateTimeField()))
    )


def changed_since(user, since: datetime | None) -> QuerySet[Procurement]:
    procurements = public_procurements(user)
    if since is not None:
        procurements = procurements.filter(**{"last_changed__gt": since})
    return procurements.order_by("last_changed", "pk")


def get_public_procurement(user, ocid: str) -> Procurement:
    try:
        return public_procurements(user).get(ocid=ocid)
    except Procurement.DoesNotExist:
        raise Http404 from None


def _org(organisation: Organisation | None) -> ocds.Org | None:
    if organisation is None:
        return None
    return ocds.Org(
        id=organisation.pk,
        name=organisation.name,
        country=organisation.country,
        national_id=organisation.national_id,
        website=organisation.website,
    )


def _stage_reached(procurement_ids: list[int]) -> dict[int, dict[str, datetime]]:
    history = Procurement.history.model  # type: ignore[attr-defined]
    first_rows = (
        history.objects.filter(id__in=procurement_ids)
        .values("id", "stage", "history_date")
        .order_by("history_date")
    )
    reached: dict[int, dict[str, datetime]] = {}
    for row in first_rows:
        reached.setdefault(row["id"], {}).setdefault(row["stage"], row["history_date"])
    return reached


def procurement_data(procurements) -> list[ocds.ProcurementData]:
    """Plain data of the procurements (from ``public_procurements``), in their order."""
    rows = list(
        procurements.select_related("owner", "route", "procuring_entity").prefetch_related(
            "lots",
            Prefetch("buyers", queryset=Buyer.objects.select_related("organisation")),
            Prefetch("awards", queryset=Award.objects.select_related("supplier")),
            "contracts",
            Prefetch("phases", queryset=Phase.objects.prefetch_related("suppliers")),
            Prefetch(
                "supplier_interests",
                queryset=SupplierInterest.objects.filter(status=InterestStatus.REGISTERED)
                .select_related("supplier")
                .order_by("registered_at", "pk"),
            ),
        )
    )
    reached = _stage_reached([p.pk for p in rows])
    return [_data(p, reached.get(p.pk, {})) for p in rows]


def _data(p: Procurement, reached: dict[str, datetime]) -> ocds.ProcurementData:
    owner = _org(p.owner)
    assert owner is not None and p.ocid
    language = {str(k): v for k, v in LANGUAGE_OF_COUNTRY.items()}.get(
        p.owner.country, settings.LANGUAGE_CODE
    )
    method_details = ""
    if p.route is not None:
        texts = (p.route.translations or {}).get(language) or {}
        method_details = texts.get("name") or p.route.name
    buyers = list(p.buyers.all())
    holders = [
        b.organisation.name
        for b in buyers
        if b.role == "option_holder" and b.confirmed_at and not b.option_exercised
    ]
    with translation.override(language):
        options_description = (
            gettext("Further buyers may buy under the contract: %(names)s.")
            % {"names": ", ".join(holders)}
            if holders
            else ""
        )
        dialogue_title = gettext("Market dialogue")
    return ocds.ProcurementData(
        ocid=p.ocid,
        title=p.title,
        description=p.description,
        owner=owner,
        procuring_entity=_org(p.procuring_entity),
        currency=p.currency,
        stage=p.stage,
        language=language,
        created_at=p.created_at,
        last_changed=getattr(p, "last_changed", None) or p.updated_at,
        ocds_method=p.route.ocds_method if p.route else "",
        method_details=method_details,
        estimated_value=p.estimated_value,
        ceiling=p.ceiling,
        cpv_codes=tuple(str(code) for code in (p.cpv_codes or [])),
        dialogue_starts_on=p.dialogue_starts_on,
        tender_on=p.tender_on,
        award_on=p.award_on,
        contract_starts_on=p.contract_starts_on,
        contract_ends_on=p.contract_ends_on,
        option_deadline=p.option_deadline,
        options_description=options_description,
        dialogue_title=dialogue_title,
        lots=tuple(
            ocds.LotData(
                id=lot.pk, title=lot.title, description=lot.description, value=lot.estimated_value
            )
            for lot in p.lots.all()
        ),
        buyers=tuple(
            ocds.BuyerData(
                organisation=_org(b.organisation),  # type: ignore[arg-type]
                role=b.role,
                confirmed=b.confirmed_at is not None,
                option_exercised=b.option_exercised,
                maximum_value=b.maximum_value,
            )
            for b in buyers
        ),
        awards=tuple(
            ocds.AwardData(
                id=a.pk,
                supplier=_org(a.supplier),  # type: ignore[arg-type]
                awarded_on=a.awarded_on,
                value=a.value,
                lot_id=a.lot_id,
            )
            for a in p.awards.all()
        ),
        contracts=tuple(
            ocds.ContractData(
                id=c.pk,
                award_id=c.award_id,
                signed_on=c.signed_on,
                value=c.value,
                starts_on=c.starts_on,
                ends_on=c.ends_on,
            )
            for c in p.contracts.all()
        ),
        phases=tuple(
            ocds.PhaseData(
                position=ph.position,
                name=ph.name,
                target=ph.target,
                max_cost=ph.max_cost,
                decision=ph.decision,
                decided_on=ph.decided_on,
                suppliers=tuple(_org(s) for s in ph.suppliers.all()),  # type: ignore[misc]
            )
            for ph in p.phases.all()
        ),
        interested=tuple(
            _org(i.supplier)  # type: ignore[misc]
            for i in p.supplier_interests.all()  # type: ignore[attr-defined]
        ),
        stage_reached_at=reached,
    )
