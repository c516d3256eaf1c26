"""Judging a hackathon: criteria with weights, a jury, blind scores 1–5, the ranking, winners.

Rules the functions below keep:

- Organisers (``can_organise_event``) set the criteria and the jury and publish the winners.
  Once any score exists, criteria can no longer be added, removed, reordered, renamed or
  reweighted (that would change what the jurors scored); descriptions can still be edited.
  Once the winners are published, the criteria, the jury and the scores are frozen until the
  organisers unpublish them.
- Jurors are people with an account: chosen among the organiser candidates of the owner
  organisation, or anyone found by the e-mail address of their account. A juror who is a
  member of a team (through a registration with their account or e-mail address) does not
  judge that team's submission: the pair is a conflict, neither expected nor accepted.
- A juror scores every criterion of a submission at once. Scoring the same submission again
  is refused unless the form says it revises the juror's earlier scores (``revise=True``, set
  by the score page when it shows them), and only until the winners are published: so a
  stale form or a repeated API call cannot overwrite scores unnoticed.
- Blindness: until every juror has scored every submission they judge, a juror sees only
  their own scores and organisers see progress (counts), not values.
"""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samspil.core import permissions
from samspil.core.models import User

from . import ranking
from .models import (
    SCORE_MAX,
    SCORE_MIN,
    TEXT_MAX,
    Criterion,
    Event,
    Juror,
    RegistrationStatus,
    Score,
    Submission,
    Team,
)
from .services import organiser_candidates

NAME_MAX = 200
WEIGHT_MAX = Decimal("100")

# The default set for hackathons as market dialogue; equal weights.
DEFAULT_CRITERIA = [
    (
        gettext_lazy("Value to users"),
        gettext_lazy("How much the solution helps the people who have the problem."),
    ),
    (
        gettext_lazy("Feasibility"),
        gettext_lazy("How realistic it is to build the solution and run it in daily operation."),
    ),
    (
        gettext_lazy("Use of the data"),
        gettext_lazy("How well the solution makes use of the event's data."),
    ),
    (
        gettext_lazy("Potential to scale"),
        gettext_lazy("Whether other organisations could use the solution too."),
    ),
    (
        gettext_lazy("Quality of the prototype"),
        gettext_lazy("How far the prototype works and how well it is made."),
    ),
]


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _require_organiser(actor, event: Event) -> None:
    _require(permissions.can_organise_event(actor, event))


def scoring_started(event: Event) -> bool:
    return Score.objects.filter(criterion__event=event).exists()


def _published(event: Event) -> bool:
    # Read from the database: the caller's copy of the event may predate the publication.
    return Event.objects.filter(pk=event.pk, winners_published_at__isnull=False).exists()


def _check_not_published(event: Event) -> None:
    if _published(event):
        raise ValidationError(
            _("The winners are published: unpublish them before changing the judging.")
        )


def _check_not_scored(event: Event, field: str | None = None) -> None:
    if scoring_started(event):
        message = _(
            "Scoring has begun: criteria can no longer be added, removed, reordered, renamed "
            "or reweighted. Descriptions can still be edited."
        )
        raise ValidationError({field: message} if field else message)


# Criteria -----------------------------------------------------------------------------------


def _clean_weight(weight) -> Decimal:
    try:
        value = Decimal(str(weight))
    except (InvalidOperation, ValueError, TypeError):
        value = Decimal("NaN")
    if not value.is_finite() or not (Decimal(0) < value <= WEIGHT_MAX):
        raise ValidationError(
            {"weight": _("Give a weight above 0 and at most %(maximum)d.") % {"maximum": 100}}
        )
    return value.quantize(Decimal("0.01"))


def _clean_name(event: Event, name, exclude: int | None = None) -> str:
    name = " ".join(str(name or "").split())
    if not name:
        raise ValidationError({"name": _("This field is required.")})
    if len(name) > NAME_MAX:
        raise ValidationError(
            {"name": _("Write at most %(count)d characters.") % {"count": NAME_MAX}}
        )
    taken = event.criteria.filter(name__iexact=name)
    if exclude is not None:
        taken = taken.exclude(pk=exclude)
    if taken.exists():
        raise ValidationError({"name": _("The event already has a criterion with this name.")})
    return name


def _clean_description(description) -> str:
    description = str(description or "").strip()
    if len(description) > TEXT_MAX:
        raise ValidationError(
            {"description": _("Write at most %(count)d characters.") % {"count": TEXT_MAX}}
        )
    return description


def _next_position(event: Event) -> int:
    last = event.criteria.aggregate(last=Max("position"))["last"]
    return 0 if last is None else last + 1


@transaction.atomic
def add_criterion(actor, event: Event, *, name, description="", weight=1) -> Criterion:
    _require_organiser(actor, event)
    _check_not_published(event)
    _check_not_scored(event, "name")
    criterion = Criterion(
        event=event,
        name=_clean_name(event, name),
        description=_clean_description(description),
        weight=_clean_weight(weight),
        position=_next_position(event),
    )
    criterion._history_user = actor  # type: ignore[attr-defined]
    criterion.save()
    return criterion


@transaction.atomic
def add_default_criteria(actor, event: Event) -> list[Criterion]:
    """The default set, named in the actor's language; names the event has are skipped."""
    _require_organiser(actor, event)
    _check_not_published(event)
    _check_not_scored(event)
    taken = {n.casefold() for n in event.criteria.values_list("name", flat=True)}
    position = _next_position(event)
    added = []
    with translation.override(getattr(actor, "language", None) or translation.get_language()):
        for name, description in DEFAULT_CRITERIA:
            if str(name).casefold() in taken:
                continue
            criterion = Criterion(
                event=event,
                name=str(name),
                description=str(description),
                weight=Decimal(1),
                position=position,
            )
            criterion._history_user = actor  # type: ignore[attr-defined]
            criterion.save()
            added.append(criterion)
            position += 1
    return added


@transaction.atomic
def update_criterion(
    actor, criterion: Criterion, *, name=None, description=None, weight=None
) -> Criterion:
    """Change a criterion; the name and weight only while nothing is scored."""
    event = criterion.event
    _require_organiser(actor, event)
    if name is not None:
        name = _clean_name(event, name, exclude=criterion.pk)
        if name != criterion.name:
            _check_not_published(event)
            _check_not_scored(event, "name")
            criterion.name = name
    if weight is not None:
        weight = _clean_weight(weight)
        if weight != criterion.weight:
            _check_not_published(event)
            _check_not_scored(event, "weight")
            criterion.weight = weight
    if description is not None:
        criterion.description = _clean_description(description)
    criterion._history_user = actor  # type: ignore[attr-defined]
    criterion.save()
    return criterion


@transaction.atomic
def delete_criterion(actor, criterion: Criterion) -> None:
    event = criterion.event
    _require_organiser(actor, event)
    _check_not_published(event)
    _check_not_scored(event)
    criterion._history_user = actor  # type: ignore[attr-defined]
    criterion.delete()


@transaction.atomic
def move_criterion(actor, criterion: Criterion, offset: int) -> list[Criterion]:
    """Move a criterion up (−1) or down (+1); the positions are renumbered from 0."""
    event = criterion.event
    _require_organiser(actor, event)
    _check_not_published(event)
    _check_not_scored(event)
    ordered = list(event.criteria.select_for_update().order_by("position", "pk"))
    index = next(i for i, c in enumerate(ordered) if c.pk == criterion.pk)
    target = index + (1 if offset > 0 else -1)
    if 0 <= target < len(ordered):
        ordered[index], ordered[target] = ordered[target], ordered[index]
    for position, item in enumerate(ordered):
        if item.position != position:
            item.position = position
            item._history_user = actor  # type: ignore[attr-defined]
            item.save(update_fields=["position"])
    return ordered


# Jury ---------------------------------------------------------------------------------------


def juror_candidates(event: Event) -> QuerySet[User]:
    """People of the owner organisation (and its parts and parents) who are not jurors yet."""
    return (
        organiser_candidates(event.owner)
        .filter(is_active=True)
        .exclude(juries__event=event)
        .order_by("first_name", "last_name", "username")
    )


@transaction.atomic
def add_juror(actor, event: Event, *, user: User | None = None, email: str = "") -> Juror:
    """A juror chosen among ``juror_candidates`` (``user``) or by an account's e-mail."""
    _require_organiser(actor, event)
    _check_not_published(event)
    email = (email or "").strip()
    if (user is None) == (not email):
        raise ValidationError(
            _("Choose a person, or give the e-mail address of someone with an account.")
        )
    if user is not None:
        if not organiser_candidates(event.owner).filter(pk=user.pk, is_active=True).exists():
            message = _("Choose a person of %(organisation)s.") % {"organisation": event.owner}
            raise ValidationError({"user": message})
        field = "user"
    else:
        try:
            validate_email(email)
        except ValidationError:
            raise ValidationError({"email": _("Enter a valid e-mail address.")}) from None
        user = User.objects.filter(email__iexact=email, is_active=True).order_by("pk").first()
        if user is None:
            raise ValidationError(
                {
                    "email": _(
                        "No one has an account with this e-mail address: ask them to sign up first."
                    )
                }
            )
        field = "email"
    if event.jurors.filter(user=user).exists():
        raise ValidationError({field: _("%(person)s is already a juror.") % {"person": user}})
    try:
        with transaction.atomic():
            return Juror.objects.create(event=event, user=user)
    except IntegrityError:
        raise ValidationError(
            {field: _("%(person)s is already a juror.") % {"person": user}}
        ) from None


@transaction.atomic
def remove_juror(actor, juror: Juror) -> None:
    """Remove a juror and the scores they gave."""
    event = juror.event
    _require_organiser(actor, event)
    _check_not_published(event)
    juror.delete()


# Scoring ------------------------------------------------------------------------------------


def _team_members_q(user) -> Q:
    """Team-member rows (``Team.members.through``) of the user's live registrations."""
    condition = Q(registration__user_id=user.pk)
    if user.email:
        condition |= Q(registration__email__iexact=user.email)
    return condition & ~Q(registration__status=RegistrationStatus.CANCELLED)


def is_team_member(user, team: Team) -> bool:
    if not user.is_authenticated:
        return False
    return Team.members.through.objects.filter(_team_members_q(user), team_id=team.pk).exists()


def juror_of(user, event: Event) -> Juror | None:
    if not user.is_authenticated:
        return None
    return event.jurors.filter(user=user.pk).first()


def _score_value(raw) -> int | None:
    if isinstance(raw, bool):
        return None
    try:
        value = int(str(raw).strip())
    except (TypeError, ValueError):
        return None
    return value if SCORE_MIN <= value <= SCORE_MAX else None


def score(
    actor,
    submission: Submission,
    values: dict,
    comments: dict | None = None,
    *,
    revise: bool = False,
) -> list[Score]:
    """Score every criterion of the submission (keys: criterion ids) as a juror.

    Errors are keyed ``criterion_<id>`` and ``comment_<id>``, as the score form names its
    fields. A second score set is refused unless ``revise`` (see the module's rules).
    """
    event = submission.team.event
    juror = juror_of(actor, event)
    if juror is None:
        raise PermissionDenied
    _require(not is_team_member(actor, submission.team))
    criteria = list(event.criteria.all())
    if not criteria:
        raise ValidationError(_("The organisers have not set the criteria yet."))
    comments = comments or {}
    known = {c.pk for c in criteria}
    try:
        given = {int(k): v for k, v in values.items()}
        remarks = {int(k): str(v or "").strip() for k, v in comments.items()}
    except (TypeError, ValueError):
        raise ValidationError(_("Score only the criteria of this event.")) from None
    if set(given) - known or set(remarks) - known:
        raise ValidationError(_("Score only the criteria of this event."))
    errors: dict[str, str] = {}
    cleaned: dict[int, int] = {}
    for criterion in criteria:
        key = f"criterion_{criterion.pk}"
        if given.get(criterion.pk) in (None, ""):
            errors[key] = _("Score this criterion.")
            continue
        value = _score_value(given[criterion.pk])
        if value is None:
            errors[key] = _("Give a score from %(min)d to %(max)d.") % {
                "min": SCORE_MIN,
                "max": SCORE_MAX,
            }
        else:
            cleaned[criterion.pk] = value
        if len(remarks.get(criterion.pk, "")) > TEXT_MAX:
            errors[f"comment_{criterion.pk}"] = _("Write at most %(count)d characters.") % {
                "count": TEXT_MAX
            }
    if errors:
        raise ValidationError(errors)
    already = _("You have already scored this submission: open it again to revise your scores.")
    try:
        with transaction.atomic():
            # The lock serialises one juror's requests, so the check below stays true.
            Juror.objects.select_for_update().get(pk=juror.pk)
            if _published(event):
                raise ValidationError(_("The winners are published: scores can no longer change."))
            existing = {
                s.criterion_id: s for s in Score.objects.filter(submission=submission, juror=juror)
            }
            if existing and not revise:
                raise ValidationError(already)
            saved = []
            for criterion in criteria:
                item = existing.get(criterion.pk) or Score(
                    submission=submission, criterion=criterion, juror=juror
                )
                item.value = cleaned[criterion.pk]
                item.comment = remarks.get(criterion.pk, "")
                item._history_user = actor  # type: ignore[attr-defined]
                item.save()
                saved.append(item)
    except IntegrityError:
        # The same juror's other request stored its scores a moment earlier.
        raise ValidationError(already) from None
    return saved


# State, blindness and ranking -----------------------------------------------------------------

SCORED = "scored"
PENDING = "pending"
CONFLICT = "conflict"


@dataclass
class JurorRow:
    juror: Juror
    cells: list[tuple[Submission, str]]
    done: int
    expected: int


@dataclass
class JudgingState:
    """Who has scored what. ``scored``/``conflicts`` hold (juror id, submission id) pairs."""

    event: Event
    criteria: list[Criterion]
    jurors: list[Juror]
    submissions: list[Submission]
    scored: set[tuple[int, int]] = field(default_factory=set)
    conflicts: set[tuple[int, int]] = field(default_factory=set)
    started: bool = False  # any score exists: criteria are locked

    def state_of(self, juror: Juror, submission: Submission) -> str:
        pair = (juror.pk, submission.pk)
        if pair in self.conflicts:
            return CONFLICT
        return SCORED if pair in self.scored else PENDING

    def jurors_of(self, submission: Submission) -> frozenset[int]:
        return frozenset(j.pk for j in self.jurors if (j.pk, submission.pk) not in self.conflicts)

    @property
    def rows(self) -> list[JurorRow]:
        rows = []
        for juror in self.jurors:
            cells = [(s, self.state_of(juror, s)) for s in self.submissions]
            rows.append(
                JurorRow(
                    juror=juror,
                    cells=cells,
                    done=sum(1 for _s, state in cells if state == SCORED),
                    expected=sum(1 for _s, state in cells if state != CONFLICT),
                )
            )
        return rows

    @property
    def unjudged(self) -> list[Submission]:
        """Submissions no juror may judge (every juror is in the team)."""
        return [s for s in self.submissions if not self.jurors_of(s)]

    @property
    def all_scored(self) -> bool:
        """Every juror scored every submission they judge, and each has a juror."""
        if not (self.criteria and self.jurors and self.submissions) or self.unjudged:
            return False
        return all(self.state_of(j, s) != PENDING for j in self.jurors for s in self.submissions)

    @property
    def published(self) -> bool:
        return self.event.winners_published_at is not None


def _conflicts(event: Event, jurors: list[Juror], submissions: list[Submission]) -> set:
    if not jurors or not submissions:
        return set()
    by_user = {j.user_id: j.pk for j in jurors}
    by_email = {j.user.email.lower(): j.pk for j in jurors if j.user.email}
    submission_of_team = {s.team_id: s.pk for s in submissions}
    rows = (
        Team.members.through.objects.filter(team__event=event)
        .filter(
            Q(registration__user_id__in=list(by_user)) | Q(registration__email__in=list(by_email))
        )
        .exclude(registration__status=RegistrationStatus.CANCELLED)
        .values_list("team_id", "registration__user_id", "registration__email")
    )
    pairs = set()
    for team_id, user_id, email in rows:
        submission_id = submission_of_team.get(team_id)
        if submission_id is None:
            continue
        for juror_id in (by_user.get(user_id), by_email.get((email or "").lower())):
            if juror_id is not None:
                pairs.add((juror_id, submission_id))
    return pairs


def judging_state(event: Event) -> JudgingState:
    """Criteria, jury, submissions and progress in a constant number of queries."""
    criteria = list(event.criteria.all())
    jurors = list(
        event.jurors.select_related("user").order_by(
            "user__first_name", "user__last_name", "user__username", "pk"
        )
    )
    submissions = list(
        Submission.objects.filter(team__event=event)
        .select_related("team")
        .order_by("team__name", "pk")
    )
    counts = list(
        Score.objects.filter(criterion__event=event)
        .values("juror_id", "submission_id")
        .annotate(count=Count("pk"))
    )
    needed = len(criteria)
    scored = {
        (row["juror_id"], row["submission_id"])
        for row in counts
        if needed and row["count"] >= needed
    }
    return JudgingState(
        event=event,
        criteria=criteria,
        jurors=jurors,
        submissions=submissions,
        scored=scored,
        conflicts=_conflicts(event, jurors, submissions),
        started=bool(counts),
    )


def visible_scores(user, event: Event, state: JudgingState | None = None) -> list[Score]:
    """The scores ``user`` may read: everyone's for organisers and jurors once all have
    scored; before that a juror's own only, and none for organisers (they see progress)."""
    if not user.is_authenticated:
        return []
    state = state or judging_state(event)
    own_juror = next((j for j in state.jurors if j.user_id == user.pk), None)
    scores = (
        Score.objects.filter(criterion__event=event)
        .select_related("criterion", "juror__user", "submission__team")
        .order_by("submission__team__name", "submission_id", "juror_id", "criterion__position")
    )
    if state.all_scored and (own_juror or permissions.can_organise_event(user, event)):
        return list(scores)
    if own_juror is not None:
        return list(scores.filter(juror=own_juror))
    return []


def can_see_ranking(user, event: Event, state: JudgingState) -> bool:
    """Published: everyone who sees the event (the caller checked that). Before: organisers
    and jurors, once all have scored."""
    if state.published:
        return True
    if not state.all_scored:
        return False
    return any(j.user_id == user.pk for j in state.jurors) or permissions.can_organise_event(
        user, event
    )


@dataclass
class CriterionMean:
    criterion: Criterion
    mean: float | None


@dataclass
class RankedSubmission:
    submission: Submission
    rank: int
    weighted: float | None
    means: list[CriterionMean]
    is_winner: bool
    complete: bool

    @property
    def team_name(self) -> str:
        return self.submission.team.name

    @property
    def title(self) -> str:
        return self.submission.title


def ranking_for(event: Event, state: JudgingState | None = None) -> list[RankedSubmission]:
    """The ranking (``ranking.rank``) with teams, titles and winners; scores of a juror on
    their own team's submission do not count."""
    state = state or judging_state(event)
    if not state.submissions:
        return []
    rows = Score.objects.filter(criterion__event=event).values_list(
        "submission_id", "criterion_id", "juror_id", "value"
    )
    given = [
        ranking.ScoreInput(submission=s, criterion=c, juror=j, value=v)
        for s, c, j, v in rows
        if (j, s) not in state.conflicts
    ]
    results = ranking.rank(
        [ranking.CriterionInput(id=c.pk, weight=float(c.weight)) for c in state.criteria],
        [
            ranking.SubmissionInput(id=s.pk, submitted_at=s.submitted_at, jurors=state.jurors_of(s))
            for s in state.submissions
        ],
        given,
    )
    by_pk = {s.pk: s for s in state.submissions}
    return [
        RankedSubmission(
            submission=by_pk[r.submission],
            rank=r.rank,
            weighted=r.weighted,
            means=[CriterionMean(c, r.means.get(c.pk)) for c in state.criteria],
            is_winner=r.weighted is not None and r.rank <= event.winner_count,
            complete=r.complete,
        )
        for r in results
    ]


# Winners ------------------------------------------------------------------------------------


@transaction.atomic
def publish_winners(actor, event: Event) -> Event:
    """Publish the ranking and its winners on the event page; all must have scored."""
    _require_organiser(actor, event)
    if not judging_state(event).all_scored:
        raise ValidationError(
            _("Every juror must score every submission before the winners are published.")
        )
    event.winners_published_at = timezone.now()
    event._history_user = actor  # type: ignore[attr-defined]
    event.save(update_fields=["winners_published_at", "updated_at"])
    return event


@transaction.atomic
def unpublish_winners(actor, event: Event) -> Event:
    _require_organiser(actor, event)
    event.winners_published_at = None
    event._history_user = actor  # type: ignore[attr-defined]
    event.save(update_fields=["winners_published_at", "updated_at"])
    return event
