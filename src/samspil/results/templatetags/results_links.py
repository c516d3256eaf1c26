"""``{% may_publish_results organisation as may_publish %}``: whether the signed-in user may
publish results for the organisation, for the "Publish the result" links on the pilot,
event and procurement pages."""

from django import template

from samspil.core import permissions

register = template.Library()


@register.simple_tag(takes_context=True)
def may_publish_results(context, organisation) -> bool:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or organisation is None:
        return False
    return permissions.can_publish_results_for(user, organisation)
