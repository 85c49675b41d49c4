"""Template helpers that never touch the database."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters replaced (None or "" removes one)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag(takes_context=True)
def sort_link(context, column):
    """The query string that sorts by a column, flipping the direction if it is the current one."""
    current = context.get("sort", "")
    target = f"-{column}" if current == column else column
    return query_with(context, sort=target, page=None)


@register.simple_tag(takes_context=True)
def sort_mark(context, column):
    current = context.get("sort", "")
    if current == column:
        return "▲"
    if current == f"-{column}":
        return "▼"
    return ""


@register.filter
def rich_text(value):
    """Show stored rich text after cleaning it again."""
    from django.utils.safestring import mark_safe

    from tickets.richtext import clean_html

    return mark_safe(clean_html(value or ""))  # noqa: S308 - cleaned by nh3 just above
