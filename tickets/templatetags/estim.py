"""Template helpers that never touch the database."""

from functools import lru_cache
from urllib.parse import urlencode

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

from ..queues import QUEUES, QUEUES_BY_SLUG

register = template.Library()


@register.simple_tag(takes_context=True)
def menu(context):
    """The menu (_menu.html), drawn once per kind of page: every page shows it, and it shows
    nothing of the user's own but whether they are staff."""
    request, user = context["request"], context["user"]
    match = request.resolver_match
    url_name = match.url_name if match else None
    slug = match.kwargs.get("slug") if match else None
    # Only the queues' own slugs: a made-up address must not add menus to keep.
    slug = slug if slug in QUEUES_BY_SLUG else None
    if settings.DEBUG:  # (templates edited while developing show at once)
        return _draw_menu(user.is_staff, url_name, slug)
    return _menu(get_language(), get_script_prefix(), user.is_staff, url_name, slug)


@lru_cache(maxsize=256)
def _menu(language, script_prefix, is_staff, url_name, slug) -> str:
    """The menu as drawn for a language, URL prefix, staff flag and the page it marks (the
    first two only key the cache: they are in effect while it draws)."""
    return _draw_menu(is_staff, url_name, slug)


def _draw_menu(is_staff, url_name, slug) -> str:
    return render_to_string(
        "_menu.html",
        {"is_staff": is_staff, "menu_queues": QUEUES, "url_name": url_name, "slug": slug},
    )


@register.simple_tag
def asset(path: str) -> str:
    """The address of a static file, as {% static %} gives it, worked out once: every page
    names half a dozen, each a storage look-up and a join."""
    return _asset(path)


@lru_cache(maxsize=64)
def _asset(path: str) -> str:
    return static(path)


@register.simple_tag
def header_urls() -> dict[str, str]:
    """The header's addresses, worked out once per URL configuration and prefix."""
    return _header_urls(get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())


@lru_cache(maxsize=8)
def _header_urls(urlconf: str, script_prefix: str) -> dict[str, str]:
    """(The key's urlconf and prefix are in effect while it reverses.)"""
    return {
        "home": reverse("tickets:home"),
        "my_open": reverse("tickets:queue", args=["my-open"]),
        "assigned_to_me": reverse("tickets:queue", args=["assigned-to-me"]),
        "my_group": reverse("tickets:queue", args=["my-group"]),
        "logout": reverse("logout"),
    }


@receiver(setting_changed)
def _forget_addresses(setting, **kwargs):
    if setting in ("STATIC_URL", "STORAGES", "STATIC_ROOT", "STATICFILES_DIRS", "DEBUG"):
        _asset.cache_clear()


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters replaced (None or "" removes one)."""
    params = dict(context["request"].GET.lists())
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = [value]
    encoded = urlencode(params, doseq=True)
    return f"?{encoded}" if encoded else "?"


@register.simple_tag(takes_context=True)
def pager(context, page, pager_id: str = "1"):
    """<< < [page] / pages > >> [first - last / total]: the pager of a list, drawn in Python
    (a list page shows it twice). ``pager_id`` tells two pagers of a page apart."""
    from html import escape

    from django.utils.formats import localize
    from django.utils.safestring import mark_safe
    from django.utils.translation import gettext as _

    request = context["request"]

    def link(number, label, symbol):
        if number is None:
            return (
                '<span class="btn btn-sm btn-outline-secondary disabled" aria-hidden="true">'
                f"{symbol}</span>"
            )
        href = escape(query_with(context, page=number))
        label = escape(label)
        return (
            f'<a class="btn btn-sm btn-outline-secondary" href="{href}" title="{label}"'
            f' aria-label="{label}">{symbol}</a>'
        )

    pages = page.paginator.num_pages
    earlier, later = page.has_previous(), page.has_next()
    hidden = "".join(
        f'<input type="hidden" name="{escape(key)}" value="{escape(value)}">'
        for key, values in request.GET.lists()
        if key != "page"
        for value in values
    )
    count = page.paginator.count
    shown = f"{localize(page.start_index())} - {localize(page.end_index())}" if count else "0 - 0"
    field_id = f"pager-page-{escape(str(pager_id))}"
    return mark_safe(  # noqa: S308 - every value escaped above
        f'<nav class="estim-pager d-flex align-items-center gap-1 small"'
        f' aria-label="{escape(_("Pages"))}">'
        f"{link(1 if earlier else None, _('First page'), '&laquo;')}"
        f"{link(page.previous_page_number() if earlier else None, _('Previous page'), '&lsaquo;')}"
        f'<form method="get" class="d-inline-flex align-items-center gap-1">{hidden}'
        f'<label class="visually-hidden" for="{field_id}">{escape(_("Page"))}</label>'
        f'<input class="form-control form-control-sm text-end estim-page-input" id="{field_id}"'
        f' type="number" name="page" min="1" max="{pages}" value="{page.number}">'
        f"<span data-pager-pages>/ {localize(pages)}</span></form>"
        f"{link(page.next_page_number() if later else None, _('Next page'), '&rsaquo;')}"
        f"{link(pages if later else None, _('Last page'), '&raquo;')}"
        f'<span class="ms-2 text-body-secondary" data-pager-range>[{shown} /'
        f" {localize(count)}]</span></nav>"
    )


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


@register.simple_tag
def filter_fields(form):
    """The Data Filter's fields in their grid, each with its label and errors, drawn in
    Python: Django draws every <option> of a select through a template of its own, which for
    the Data Filter's few hundred options costs more than the rest of the page."""
    from html import escape

    from django.utils.safestring import mark_safe

    cells = []
    for bound_field in form:
        errors = "".join(
            f'<div class="invalid-feedback d-block">{escape(str(error))}</div>'
            for error in bound_field.errors
        )
        cells.append(
            '<div class="col-sm-6 col-md-4 col-xl-3">'
            f'<label class="form-label small mb-1" for="{escape(bound_field.id_for_label)}">'
            f"{escape(str(bound_field.label))}</label>"
            f"{filter_control(bound_field)}{errors}</div>"
        )
    return mark_safe("\n".join(cells))  # noqa: S308 - every value escaped above


def filter_control(bound_field) -> str:
    """A filter field's control (a select's options drawn once: forms/render.options)."""
    from html import escape

    from django.forms import Select

    from ..forms.render import options

    widget = bound_field.field.widget
    name, html_id = escape(bound_field.html_name), escape(bound_field.id_for_label)
    invalid = " is-invalid" if bound_field.errors else ""
    value = bound_field.value()
    drawn = None
    if isinstance(widget, Select) and not widget.allow_multiple_selected:
        current = "" if value in (None, "") else str(value)
        drawn = options(bound_field.field.choices, current)
    if drawn is not None:
        return (
            f'<select name="{name}" id="{html_id}" class="form-select form-select-sm{invalid}">'
            f"{drawn}</select>"
        )
    if isinstance(widget, Select):  # (option groups, several choices: as Django draws them)
        return bound_field.as_widget(attrs={"class": f"form-select form-select-sm{invalid}"})
    input_type = escape(getattr(widget, "input_type", "text"))
    shown = escape("" if value is None else str(value))
    return (
        f'<input type="{input_type}" name="{name}" id="{html_id}" value="{shown}"'
        f' class="form-control form-control-sm{invalid}">'
    )


@register.filter
def moment(value):
    """A moment as the incident pages show it ("04 Dec 2026 02:19", Asia/Jakarta), like
    date:"d M Y H:i" but quicker (tickets/history.py)."""
    from tickets.history import show_moment

    return show_moment(value)


@register.simple_tag
def form_fields(form):
    """A small form's fields one below the other, drawn in Python (tickets/forms/render.py);
    a form drawn already (render.DrawnForm) as it is."""
    from tickets.forms.render import DrawnForm, fields

    return form.html if isinstance(form, DrawnForm) else fields(form)


@register.simple_tag
def form_grid(form):
    """A form in the columns its ``columns`` lists, labels beside the fields (the incident
    form), drawn in Python (tickets/forms/render.py); a form drawn already (render.DrawnForm)
    as it is."""
    from tickets.forms.render import DrawnForm, grid

    return form.html if isinstance(form, DrawnForm) else grid(form, form.columns)


def status_badge_html(status: str):
    """The state badge; labels and colours come from Ticket.STATUS_COLOURS."""
    from django.utils import translation

    return _status_badge(status, translation.get_language())


@lru_cache(maxsize=64)
def _status_badge(status: str, language: str | None):
    from django.utils import translation
    from django.utils.html import format_html

    from tickets.models import Ticket

    colour = Ticket.STATUS_COLOURS[status]
    border = " border" if colour == "light" else ""
    with translation.override(language):
        return format_html(
            '<span class="badge text-bg-{}{}" data-state="{}">{}</span>',
            colour,
            border,
            status,
            str(Ticket.Status(status).label),
        )


@register.filter
def status_badge(ticket):
    """The state badge of a ticket."""
    return status_badge_html(ticket.status)
