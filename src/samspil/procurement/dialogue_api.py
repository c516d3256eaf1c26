"""The API of market dialogue: the log, published questions and answers, and functional
requirements of a procurement — the same reads, services and rules as its page.

``POST /procurements/{id}/dialogue`` takes one body with a ``type``: ``entry`` (a dialogue
entry, by those who run the procurement), ``question`` (by a registered supplier) or
``requirement`` (a functional requirement written by hand, or pulled from a requirement
learned at an event). An answer is published to every registered supplier at once; a body
naming recipients is refused.
"""

from datetime import date, datetime
from typing import Annotated, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Body, Field, Router, Schema, Status

from samspil.api.problems import problem, problem_responses
from samspil.api.requests import requester, signed_in
from samspil.api.schemas import Id, InputSchema
from samspil.core import permissions
from samspil.core.models import Organisation
from samspil.events.models import LearnedRequirement

from . import dialogue_queries, dialogue_services
from .models import TEXT_MAX, TITLE_MAX, DialogueKind

router = Router()

RECIPIENT_KEYS = ("recipients", "supplier_ids")


class DialogueOrganisationRef(Schema):
    id: int
    name: str


class DialogueEventRef(Schema):
    id: int
    title: str
    starts_at: datetime


class DialogueEntryOut(Schema):
    id: int
    kind: DialogueKind
    held_on: date
    subject: str
    summary: str
    participants: list[DialogueOrganisationRef]
    event: DialogueEventRef | None

    @staticmethod
    def resolve_participants(entry) -> list:
        return list(entry.participants.all())


class PublishedQuestionOut(Schema):
    id: int
    text: str = Field(description="The question, without who asked it.")
    answer: str
    published_at: datetime


class WaitingQuestionOut(Schema):
    id: int
    text: str
    asked_at: datetime
    asked_by: DialogueOrganisationRef | None = Field(
        None, description="The asking supplier; given to the procurement side only."
    )
    draft_answer: str = Field("", description="The unpublished draft (procurement side only).")


class RequirementOut(Schema):
    id: int
    position: int
    text: str
    outcome: str
    source: str = Field(description='Where it came from; "event title, date" when pulled.')
    learned_requirement_id: int | None


class DialogueOut(Schema):
    can_log: bool = Field(description="You may log contacts, answer and keep requirements.")
    can_ask: bool = Field(description="Your company is registered and may ask questions.")
    log_visible: bool = Field(description="You see the log (it names suppliers).")
    entries: list[DialogueEntryOut] = Field(description="Empty unless `log_visible`.")
    questions: list[PublishedQuestionOut] = Field(description="The published Q&A, oldest first.")
    waiting_questions: list[WaitingQuestionOut] = Field(
        description="Unpublished: all for the procurement side, your own for a supplier."
    )
    requirements: list[RequirementOut]
    registered_suppliers: list[DialogueOrganisationRef] = Field(
        description="Empty unless `log_visible`."
    )


class EntryIn(InputSchema):
    type: Literal["entry"]
    kind: DialogueKind
    held_on: date = Field(description="The day of the contact; not in the future.")
    subject: str = Field(max_length=TITLE_MAX)
    summary: str = Field("", max_length=TEXT_MAX)
    participant_ids: list[Id] = Field(
        default_factory=list, max_length=200, description="Organisations that took part."
    )
    event_id: Id | None = Field(None, description="The event it happened at.")


class QuestionIn(InputSchema):
    type: Literal["question"]
    text: str = Field(max_length=TEXT_MAX)
    organisation_id: Id | None = Field(
        None, description="Which of your registered companies asks; the first when left out."
    )


class RequirementIn(InputSchema):
    type: Literal["requirement"]
    text: str = Field("", max_length=2000, description="Needed unless pulling.")
    outcome: str = Field("", max_length=2000)
    source: str = Field("", max_length=300)
    learned_requirement_id: Id | None = Field(
        None,
        description="Pull a requirement learned at an event linked to the procurement's "
        "challenge or dialogue log (text and source come from it; 409 if pulled already).",
    )


DialogueIn = Annotated[EntryIn | QuestionIn | RequirementIn, Field(discriminator="type")]


class DialogueCreatedOut(Schema):
    type: Literal["entry", "question", "requirement"]
    entry: DialogueEntryOut | None = None
    question: WaitingQuestionOut | None = None
    requirement: RequirementOut | None = None


class AnswerIn(InputSchema):
    answer: str | None = Field(
        None, max_length=TEXT_MAX, description="The answer; the saved draft when left out."
    )
    recipients: list[Id] | None = Field(
        None, description="Refused (422): an answer is published to all registered suppliers."
    )
    supplier_ids: list[Id] | None = Field(None, description="Refused (422), as `recipients`.")


class AnswerOut(Schema):
    question: PublishedQuestionOut
    delivered_to: int = Field(description="How many registered suppliers received it now.")


def _waiting(question, with_asker: bool) -> dict:
    return {
        "id": question.pk,
        "text": question.text,
        "asked_at": question.asked_at,
        "asked_by": question.asked_by_organisation if with_asker else None,
        "draft_answer": question.answer if with_asker else "",
    }


@router.get(
    "/procurements/{procurement_id}/dialogue",
    response=DialogueOut,
    tags=["procurement"],
    summary="A procurement's market dialogue: log, published Q&A, waiting questions and "
    "functional requirements",
    description="The log and the registered suppliers go to those who run the procurement "
    "and the members of its buyers; the published questions (without who asked) and the "
    "requirements to everyone who sees the procurement; a registered supplier also gets its "
    "own waiting questions.",
    openapi_extra=problem_responses(401, 404, 422),
)
def get_dialogue(request: HttpRequest, procurement_id: int):
    user = requester(request)
    procurement = permissions.get_procurement_for_user(user, procurement_id)
    can_log = permissions.can_log_dialogue(user, procurement)
    sees_log = permissions.can_see_dialogue_log(user, procurement)
    can_ask = permissions.can_ask_question(user, procurement)
    if sees_log:
        waiting = [_waiting(q, True) for q in dialogue_queries.waiting_questions(procurement)]
    elif can_ask:
        own = dialogue_queries.own_waiting_questions(user, procurement)
        waiting = [_waiting(q, False) for q in own]
    else:
        waiting = []
    return {
        "can_log": can_log,
        "can_ask": can_ask,
        "log_visible": sees_log,
        "entries": dialogue_queries.entries(procurement) if sees_log else [],
        "questions": list(dialogue_queries.published_questions(procurement)),
        "waiting_questions": waiting,
        "requirements": list(dialogue_queries.requirements(procurement)),
        "registered_suppliers": (
            list(dialogue_queries.registered_suppliers(procurement)) if sees_log else []
        ),
    }


def _entry_fields(user, payload: EntryIn) -> dict:
    fields = payload.dict()
    fields.pop("type")
    ids = set(fields.pop("participant_ids"))
    participants = list(permissions.organisations_visible_to(user).filter(pk__in=ids))
    if len(participants) != len(ids):
        raise ValidationError({"participant_ids": _("Choose organisations you may see.")})
    event_id = fields.pop("event_id")
    event = None
    if event_id is not None:
        event = permissions.events_visible_to(user).filter(pk=event_id).first()
        if event is None:
            raise ValidationError({"event_id": _("Choose an event you may see.")})
    return {**fields, "participants": participants, "event": event}


def _conflict(request, error: ValidationError):
    return problem(
        request,
        409,
        " ".join(error.messages),
        errors=dict(error.message_dict) if hasattr(error, "error_dict") else None,
    )


@router.post(
    "/procurements/{procurement_id}/dialogue",
    response={201: DialogueCreatedOut},
    tags=["procurement"],
    summary="Log a contact, ask a question or add a functional requirement (by `type`)",
    description="`entry` and `requirement`: those who run the procurement. `question`: a "
    "member of a supplier registered for the procurement's market dialogue; its answer is "
    "later published to all registered suppliers, without naming who asked. Pulling a learned "
    "requirement twice is a 409.",
    openapi_extra=problem_responses(401, 403, 404, 409, 422),
)
def post_dialogue(request: HttpRequest, procurement_id: int, payload: Body[DialogueIn]):
    user = signed_in(request)
    procurement = permissions.get_procurement_for_user(user, procurement_id)
    if isinstance(payload, QuestionIn):
        if not permissions.can_ask_question(user, procurement):
            return problem(
                request,
                403,
                _(
                    "Only members of a supplier registered for this market dialogue may ask "
                    "questions."
                ),
            )
        organisation = None
        if payload.organisation_id is not None:
            organisation = Organisation.objects.filter(pk=payload.organisation_id).first()
            if organisation is None:
                raise ValidationError(
                    {"organisation_id": _("Choose a company registered for this market dialogue.")}
                )
        try:
            question = dialogue_services.ask_question(user, procurement, payload.text, organisation)
        except ValidationError as error:
            errors = dict(error.message_dict)
            if "organisation" in errors:
                errors["organisation_id"] = errors.pop("organisation")
            raise ValidationError(errors) from None
        return Status(201, {"type": "question", "question": _waiting(question, False)})
    if not permissions.can_log_dialogue(user, procurement):
        raise PermissionDenied
    if isinstance(payload, EntryIn):
        entry = dialogue_services.add_entry(user, procurement, **_entry_fields(user, payload))
        return Status(
            201, {"type": "entry", "entry": dialogue_queries.get_entry(procurement, entry.pk)}
        )
    if payload.learned_requirement_id is not None:
        candidates = dialogue_queries.learned_candidates(user, procurement)
        learned = next((r for r in candidates if r.pk == payload.learned_requirement_id), None)
        if learned is None:
            exists = LearnedRequirement.objects.filter(pk=payload.learned_requirement_id).exists()
            raise ValidationError(
                {
                    "learned_requirement_id": _(
                        "Choose a requirement learned at an event linked to this procurement."
                    )
                    if exists
                    else _("There is no such learned requirement.")
                }
            )
        try:
            [requirement] = dialogue_services.pull_requirements(
                user, procurement, [learned], candidates=candidates
            )
        except dialogue_services.DialogueConflict as error:
            return _conflict(request, error)
    else:
        try:
            requirement = dialogue_services.add_requirement(
                user,
                procurement,
                text=payload.text,
                outcome=payload.outcome,
                source=payload.source,
            )
        except ValidationError as error:
            raise ValidationError(dict(error.message_dict)) from None
    return Status(201, {"type": "requirement", "requirement": requirement})


@router.post(
    "/procurements/{procurement_id}/questions/{question_id}/answer",
    response=AnswerOut,
    tags=["procurement"],
    summary="Publish a question's answer to all registered suppliers at once",
    description="Those who run the procurement. The answer goes, in one action, to every "
    "supplier registered for the market dialogue now (and to those that register later), "
    "with the date; the body cannot name recipients (422). An empty answer is a 422, a second "
    "publication a 409.",
    openapi_extra=problem_responses(401, 403, 404, 409, 422),
)
def publish_answer(request: HttpRequest, procurement_id: int, question_id: int, payload: AnswerIn):
    user = signed_in(request)
    procurement = permissions.get_procurement_for_user(user, procurement_id)
    question = dialogue_queries.get_question(procurement, question_id)
    if not permissions.can_log_dialogue(user, procurement):
        raise PermissionDenied
    named = [key for key in RECIPIENT_KEYS if getattr(payload, key) is not None]
    if named:
        message = _("An answer is published to all registered suppliers.")
        return problem(request, 422, message, errors={name: [message] for name in named})
    try:
        delivered = dialogue_services.publish_answer(user, question, payload.answer)
    except dialogue_services.DialogueConflict as error:
        return _conflict(request, error)
    published = dialogue_queries.published_questions(procurement).get(pk=question.pk)
    return {"question": published, "delivered_to": delivered}
