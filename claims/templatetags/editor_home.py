from django import template

from claims.dashboard import editor_home

register = template.Library()


@register.inclusion_tag("claims/editor_home.html", takes_context=True)
def editor_home_panel(context):
    return {"home": editor_home(context["request"].user)}
