"""The market dialogue panel of the procurement page
(``{% load procurement_dialogue %}{% dialogue_panel %}``).

It reads the page's context (``procurement``, the request, and a form with errors when a view
shows one again) and loads each list in one query: the published questions and answers for
everyone who sees the procurement, the log and the waiting questions for those who may read
the log, a supplier's own waiting questions, and the functional requirements."""

from django import template

from samspil.core import permissions

from .. import dialogue_queries
from ..dialogue_forms import QuestionForm, RequirementForm

register = template.Library()


@register.inclusion_tag("procurement/dialogue/_section.html", takes_context=True)
def dialogue_panel(context):
    procurement = context["procurement"]
    request = context.get("request")
    user = request.user if request is not None else None
    can_log = user is not None and permissions.can_log_dialogue(user, procurement)
    sees_log = user is not None and permissions.can_see_dialogue_log(user, procurement)
    asking = permissions.registered_supplier_organisations(user, procurement) if user else []
    question_form = context.get("question_form")
    if question_form is None and asking:
        question_form = QuestionForm(organisations=asking)
    requirement_form = context.get("requirement_form")
    if requirement_form is None and can_log:
        requirement_form = RequirementForm()
    candidates = dialogue_queries.learned_candidates(user, procurement) if can_log else []
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "procurement": procurement,
        "can_log": can_log,
        "sees_log": sees_log,
        "can_ask": bool(asking),
        "is_supplier": bool(user is not None and permissions.company_memberships(user)),
        "entries": dialogue_queries.entries(procurement) if sees_log else [],
        "waiting": list(dialogue_queries.waiting_questions(procurement)) if sees_log else [],
        "own_waiting": (
            list(dialogue_queries.own_waiting_questions(user, procurement))
            if asking and not sees_log
            else []
        ),
        "published": list(dialogue_queries.published_questions(procurement)),
        "requirements": list(dialogue_queries.requirements(procurement)),
        "pullable": len([row for row in candidates if not getattr(row, "pulled", False)]),
        "question_form": question_form,
        "requirement_form": requirement_form,
    }
