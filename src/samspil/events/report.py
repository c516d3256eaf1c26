"""The event report for decision makers: one dataclass, shown as a page, a PDF and a DOCX.

``build_report(event)`` reads everything in a constant number of queries. The report holds
records, numbers and lazy labels, never text translated at build time, so the same report
renders in any language: ``report_pdf`` and ``report_docx`` switch to the requested one.

The PDF is WeasyPrint rendering ``events/report/report_pdf.html``. Its URL fetcher answers
only ``file://`` URLs inside ``static/`` (our CSS and fonts), so rendering never reaches the
network or any other file, whatever a title or requirement contains.
"""

import io
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import cast

from django.db.models import Field
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format, number_format
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from samspil.core import permissions
from samspil.core.templatetags.samspil import money

from . import feedback, feedback_services, services, team_queries
from .feedback import CostSummary, SurveySummary
from .judging_services import RankedSubmission, judging_state, ranking_for
from .models import (
    Background,
    Criterion,
    Event,
    EventKind,
    Grouping,
    LearnedRequirement,
    RegistrationStatus,
    StaffRole,
    Submission,
    SurveyResponse,
)

# The report's data ---------------------------------------------------------------------------


@dataclass
class CountRow:
    """One background or organisation: confirmed participants, and those who attended."""

    label: str | Promise
    confirmed: int
    attended: int


@dataclass
class GroupRow:
    number: int
    size: int
    backgrounds: list[tuple[str | Promise, int]]
    organisations: int


@dataclass
class TeamRow:
    name: str
    challenge: str  # the title, when the reader may see the challenge
    members: int
    submission: Submission | None


@dataclass
class Ranking:
    """The jury's ranking; ``final`` once every juror has scored or the winners are out."""

    final: bool
    criteria: list[Criterion]
    rows: list[RankedSubmission]

    @property
    def winners(self) -> list[RankedSubmission]:
        return [r for r in self.rows if r.is_winner]


@dataclass
class SurveyRow:
    label: str | Promise
    mean: float | None
    count: int
    distribution: tuple[int, ...]


@dataclass
class EventReport:
    event: Event
    currency: str
    organisers: list[str]
    challenges: list  # needs.Challenge with owner
    confirmed: int
    waiting: int
    attended: int
    attendance_marked: bool
    by_background: list[CountRow]
    by_organisation: list[CountRow]
    groups: list[GroupRow]
    diversity_score: float | None
    has_teams: bool  # a hackathon, or an event where teams were formed
    teams: list[TeamRow]
    ranking: Ranking | None  # None without submissions
    survey: SurveySummary
    survey_rows: list[SurveyRow]
    cost: CostSummary
    hours_by_role: list[tuple[str | Promise, Decimal]]
    requirements: list[LearnedRequirement]
    generated_at: datetime = field(default_factory=timezone.now)

    @property
    def scale(self) -> tuple[int, ...]:
        return feedback.SCALE

    @property
    def response_percent(self) -> int | None:
        rate = self.survey.response_rate
        return None if rate is None else round(100 * rate)


NO_ORGANISATION = gettext_lazy("Not given")


def _count_rows(pairs: list[tuple[str, bool]], labels) -> list[CountRow]:
    confirmed = Counter(key for key, _attended in pairs)
    attended = Counter(key for key, was_there in pairs if was_there)
    rows = [CountRow(labels(key), confirmed[key], attended[key]) for key in confirmed]
    return sorted(rows, key=lambda r: (-r.confirmed, str(r.label).casefold()))


def _organisations(registrations) -> list[tuple[str, bool]]:
    """Organisations as typed, with spellings that differ in case or spacing counted once."""
    spelling: dict[str, str] = {}
    pairs = []
    for r in registrations:
        name = " ".join(r.organisation.split())
        key = name.casefold()
        spelling.setdefault(key, name)
        pairs.append((spelling[key], r.attended))
    return pairs


def _groups(event: Event, confirmed: list) -> tuple[list[GroupRow], float | None]:
    stored = Grouping.objects.filter(event=event).first()
    if stored is None:
        return [], None
    view = services.grouping_view(stored, members=confirmed)
    rows = [
        GroupRow(
            number=group.number,
            size=len(group.members),
            backgrounds=[
                (Background(code).label, count)
                for code, count in Counter(r.background for r in group.members).most_common()
            ],
            organisations=len(group.mix.organisations),
        )
        for group in view.groups
    ]
    return rows, view.score


def _teams(event: Event, challenges: list, user) -> list[TeamRow]:
    shown = {c.pk for c in challenges}
    rows = []
    for team in team_queries.teams_of(event):
        challenge = team.challenge
        title = ""
        if challenge is not None and (user is None or challenge.pk in shown):
            title = challenge.title
        rows.append(
            TeamRow(
                name=team.name,
                challenge=title,
                members=sum(
                    1 for r in team.members.all() if r.status != RegistrationStatus.CANCELLED
                ),
                submission=getattr(team, "submission", None),
            )
        )
    return rows


def _ranking(event: Event) -> Ranking | None:
    state = judging_state(event)
    if not state.submissions:
        return None
    final = state.all_scored or state.published
    return Ranking(
        final=final,
        criteria=state.criteria,
        rows=ranking_for(event, state) if final else [],
    )


def _survey_rows(summary: SurveySummary) -> list[SurveyRow]:
    return [
        SurveyRow(
            label=cast(Field, SurveyResponse._meta.get_field(score.name)).verbose_name,
            mean=score.mean,
            count=score.count,
            distribution=score.distribution,
        )
        for score in summary.score_list
    ]


def build_report(event: Event, user=None) -> EventReport:
    """Everything the report shows; with ``user``, only the challenges they may see."""
    linked = event.challenges.select_related("owner").order_by("title", "pk")
    if user is not None:
        linked = linked.filter(pk__in=permissions.challenges_visible_to(user).values("pk"))
    challenges = list(linked)
    teams = _teams(event, challenges, user)
    survey = feedback_services.survey_summary(event)
    cost = feedback_services.cost_summary(event)
    registrations = list(
        event.registrations.exclude(status=RegistrationStatus.CANCELLED).order_by("name", "pk")
    )
    confirmed = [r for r in registrations if r.status == RegistrationStatus.CONFIRMED]
    attendance_marked = any(r.attended for r in confirmed)
    groups, score = _groups(event, confirmed)
    return EventReport(
        event=event,
        currency=event.owner.currency,
        organisers=[str(u) for u in event.organisers.order_by("first_name", "last_name", "pk")],
        challenges=challenges,
        confirmed=len(confirmed),
        waiting=len(registrations) - len(confirmed),
        attended=sum(r.attended for r in confirmed),
        attendance_marked=attendance_marked,
        by_background=_count_rows(
            [(r.background, r.attended) for r in confirmed], lambda code: Background(code).label
        ),
        by_organisation=_count_rows(
            _organisations(confirmed), lambda name: name or NO_ORGANISATION
        ),
        groups=groups,
        diversity_score=score,
        has_teams=bool(teams) or event.kind == EventKind.HACKATHON,
        teams=teams,
        ranking=_ranking(event) if teams else None,
        survey=survey,
        survey_rows=_survey_rows(survey),
        cost=cost,
        hours_by_role=[
            (StaffRole(role).label, hours) for role, hours in cost.hours_by_role.items()
        ],
        requirements=list(event.learned_requirements.order_by("position", "pk")),
    )


# PDF -----------------------------------------------------------------------------------------


def report_html(report: EventReport, language: str) -> str:
    with translation.override(language):
        return render_to_string(
            "events/report/report_pdf.html", {"report": report, "language": language}
        )


def report_pdf(report: EventReport, language: str) -> bytes:
    from samspil.core import pdf  # WeasyPrint loads only when a PDF is asked for

    return pdf.html_to_pdf(report_html(report, language))


# DOCX ----------------------------------------------------------------------------------------

WORD_LANGUAGES = {"da": "da-DK", "nb": "nb-NO", "sv": "sv-SE", "en": "en-GB"}


def _when(value: datetime) -> str:
    return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")


def _number(value: float | Decimal | None, places: int = 2) -> str:
    return "–" if value is None else number_format(value, places)


class _Docx:
    """A python-docx document with the few building blocks the report needs."""

    def __init__(self, title: str, author: str, language: str) -> None:
        self.document = Document()
        properties = self.document.core_properties
        properties.title = title
        properties.author = author
        properties.language = language
        # The text's language, so that spelling and screen readers use the right one.
        normal = self.document.styles["Normal"].element.get_or_add_rPr()
        lang = OxmlElement("w:lang")
        lang.set(qn("w:val"), WORD_LANGUAGES.get(language, language))
        normal.append(lang)

    def heading(self, text, level: int) -> None:
        self.document.add_heading(str(text), level=level)

    def paragraph(self, text) -> None:
        self.document.add_paragraph(str(text))

    def facts(self, rows: list[tuple]) -> None:
        for label, value in rows:
            paragraph = self.document.add_paragraph()
            paragraph.add_run(f"{label}: ").bold = True
            paragraph.add_run(str(value))

    def table(self, header: list, rows: list[list], numeric: frozenset[int] = frozenset()):
        table = self.document.add_table(rows=1, cols=len(header))
        table.style = "Table Grid"
        # Repeat the header row on every page and mark it as the table's header.
        row_properties = table.rows[0]._tr.get_or_add_trPr()
        repeat = OxmlElement("w:tblHeader")
        repeat.set(qn("w:val"), "true")
        row_properties.append(repeat)
        for cell, text in zip(table.rows[0].cells, header, strict=True):
            cell.text = ""
            cell.paragraphs[0].add_run(str(text)).bold = True
        for values in rows:
            cells = table.add_row().cells
            for column, (cell, value) in enumerate(zip(cells, values, strict=True)):
                cell.text = str(value)
                if column in numeric:
                    cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
        self.document.add_paragraph()

    def numbered(self, lines: list[str]) -> None:
        for line in lines:
            self.document.add_paragraph(line, style="List Number")

    def bullets(self, lines: list[str]) -> None:
        for line in lines:
            self.document.add_paragraph(line, style="List Bullet")

    def save(self) -> bytes:
        buffer = io.BytesIO()
        self.document.save(buffer)
        return buffer.getvalue()


def _participant_sections(doc: _Docx, report: EventReport) -> None:
    event = report.event
    doc.heading(_("Challenges"), 1)
    if report.challenges:
        doc.table(
            [_("Challenge"), _("Owner")], [[c.title, c.owner.name] for c in report.challenges]
        )
    else:
        doc.paragraph(_("The event is linked to no challenge."))

    doc.heading(_("Participants"), 1)
    summary = _(
        "%(confirmed)s confirmed of %(capacity)s seats; %(waiting)s on the waiting list."
    ) % {"confirmed": report.confirmed, "capacity": event.capacity, "waiting": report.waiting}
    if report.attendance_marked:
        attended = ngettext(
            "%(counter)s person attended.", "%(counter)s people attended.", report.attended
        ) % {"counter": report.attended}
    else:
        attended = _("Attendance was not marked.")
    doc.paragraph(f"{summary} {attended}")
    if report.confirmed:
        for caption, label, rows in (
            (_("By background"), _("Background"), report.by_background),
            (_("By organisation"), _("Organisation"), report.by_organisation),
        ):
            doc.heading(caption, 2)
            header = [label, _("Confirmed")]
            if report.attendance_marked:
                header.append(_("Attended"))
            doc.table(
                header,
                [[r.label, r.confirmed, r.attended][: len(header)] for r in rows],
                numeric=frozenset({1, 2}),
            )

    doc.heading(_("Groups"), 1)
    if report.groups:
        doc.paragraph(
            _("Diversity score: %(score)s times that of a random split.")
            % {"score": _number(report.diversity_score)}
        )
        doc.table(
            [_("Group"), _("People"), _("Backgrounds"), _("Organisations")],
            [
                [
                    g.number,
                    g.size,
                    "; ".join(f"{label}: {count}" for label, count in g.backgrounds) or "–",
                    g.organisations,
                ]
                for g in report.groups
            ],
            numeric=frozenset({0, 1, 3}),
        )
    else:
        doc.paragraph(_("No groups were formed."))


def _team_sections(doc: _Docx, report: EventReport) -> None:
    doc.heading(_("Teams and submissions"), 1)
    if report.teams:
        doc.table(
            [_("Team"), _("Challenge"), _("Members"), _("Submission")],
            [
                [
                    t.name,
                    t.challenge or "–",
                    t.members,
                    t.submission.title if t.submission else _("Nothing submitted"),
                ]
                for t in report.teams
            ],
            numeric=frozenset({2}),
        )
    else:
        doc.paragraph(_("No teams were formed."))

    doc.heading(_("Ranking and winners"), 1)
    ranking = report.ranking
    if ranking is None:
        doc.paragraph(_("There are no submissions to rank."))
    elif not ranking.final:
        doc.paragraph(
            _(
                "Judging is not finished: the ranking is shown once every juror has scored "
                "every submission."
            )
        )
    else:
        if ranking.winners:
            names = "; ".join(f"{r.team_name} ({r.title})" for r in ranking.winners)
            doc.paragraph(f"{_('Winners:')} {names}")
        criteria = [c.name for c in ranking.criteria]
        doc.table(
            [_("Rank"), _("Team"), _("Submission"), *criteria, _("Weighted score")],
            [
                [
                    r.rank,
                    f"{r.team_name} ({_('Winner')})" if r.is_winner else r.team_name,
                    r.title,
                    *(_number(m.mean) for m in r.means),
                    _number(r.weighted),
                ]
                for r in ranking.rows
            ],
            numeric=frozenset({0, *range(3, 4 + len(criteria))}),
        )


def _feedback_sections(doc: _Docx, report: EventReport) -> None:
    survey, cost, currency = report.survey, report.cost, report.currency
    doc.heading(_("Satisfaction"), 1)
    if survey.responses:
        answers = ngettext(
            "%(counter)s answer to the survey",
            "%(counter)s answers to the survey",
            survey.responses,
        ) % {"counter": survey.responses}
        if report.response_percent is not None:
            rate = _("response rate %(rate)s %%") % {"rate": report.response_percent}
            answers = f"{answers} · {rate}"
        doc.paragraph(answers)
        doc.heading(_("Scores from 1 (poor) to 5 (very good)"), 2)
        doc.table(
            [_("Question"), _("Mean"), *report.scale],
            [
                [capfirst(str(row.label)), _number(row.mean, 1), *row.distribution]
                for row in report.survey_rows
            ],
            numeric=frozenset(range(1, 2 + len(report.scale))),
        )
        for title, texts in (
            (_("What went well"), survey.went_well),
            (_("What should be better"), survey.improve),
        ):
            if texts:
                doc.heading(title, 2)
                doc.bullets(texts)
    else:
        doc.paragraph(_("No one has answered the survey."))

    doc.heading(_("Cost"), 1)
    if not (report.hours_by_role or cost.external_total):
        doc.paragraph(_("No time or cost was recorded."))
        return
    if report.hours_by_role:
        doc.heading(_("Hours spent by role"), 2)
        doc.table(
            [_("Role"), _("Hours")],
            [[role, _number(hours, 1)] for role, hours in report.hours_by_role]
            + [[_("Total"), _number(cost.total_hours, 1)]],
            numeric=frozenset({1}),
        )
    if cost.staff_priced:
        rate = _("%(rate)s an hour") % {"rate": money(cost.hourly_rate, currency)}
        staff = f"{money(cost.staff_cost, currency)} ({rate})"
    else:
        staff = _("Not priced: the event has no hourly rate.")
    doc.facts(
        [
            (_("Staff cost"), staff),
            (_("External costs"), money(cost.external_total, currency)),
            (_("Total cost"), money(cost.total_cost, currency)),
            (_("Cost per participant"), money(cost.cost_per_participant, currency) or "–"),
            (_("Hours per participant"), _number(cost.hours_per_participant, 1)),
        ]
    )


def report_docx(report: EventReport, language: str) -> bytes:
    event = report.event
    with translation.override(language):
        title = _("Report on %(title)s") % {"title": event.title}
        doc = _Docx(title, event.owner.name, language)
        doc.heading(title, 0)
        doc.paragraph(
            _("Made on %(day)s") % {"day": date_format(report.generated_at, "DATE_FORMAT")}
        )
        doc.facts(
            [
                (_("Kind"), event.get_kind_display()),
                (_("When"), f"{_when(event.starts_at)} – {_when(event.ends_at)}"),
                (_("Place"), event.place or "–"),
                (_("Organisation"), event.owner.name),
                (_("Organisers"), ", ".join(report.organisers) or "–"),
                (_("Capacity"), event.capacity),
            ]
        )
        _participant_sections(doc, report)
        if report.has_teams:
            _team_sections(doc, report)
        _feedback_sections(doc, report)
        doc.heading(_("Requirements learned"), 1)
        if report.requirements:
            doc.numbered([line.text for line in report.requirements])
        else:
            doc.paragraph(_("No requirement has been written down yet."))
        return doc.save()
