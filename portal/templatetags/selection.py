"""The selection's controls on fiches and cards, and its size for the navigation."""

from django import template

from portal.selection import Selection

register = template.Library()


@register.inclusion_tag("includes/selection_bouton.html", takes_context=True)
def selection_bouton(context, kind, obj):
    """An add or a remove button for ``obj``, as a POST form that comes back to this page."""
    request = context["request"]
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "type": kind,
        "obj": obj,
        "choisi": (kind, obj.slug) in Selection(request.session),
        "retour": request.get_full_path(),
    }


@register.simple_tag(takes_context=True)
def selection_nombre(context):
    """How many fiches are selected; reads the session only if the visitor has one."""
    request = context["request"]
    if not request.session.session_key:
        return 0
    return len(Selection(request.session))
