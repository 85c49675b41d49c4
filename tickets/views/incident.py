"""One incident: Create New, its page with the tabs, its actions, print and downloads.

Views stay thin: load the ticket through visible_to, validate a form, call one workflow
function, set a message and redirect; a refused or invalid form is shown again as it was
typed. The page itself is assembled by ``_render_page``, which loads everything the templates
show up front (templates never query).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from django import forms as django_forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .. import prepared, workflow
from ..forms import (
    ACTION_FORMS,
    AttachmentForm,
    IncidentForm,
    NoteForm,
    RelatedForm,
    WatchForm,
    script_text,
)
from ..forms.incident_grid import incident_grid
from ..forms.render import DrawnForm, drawn_form
from ..history import (
    HistoryLabels,
    history_stream,
    note_entry,
    show_moment,
    stream_html,
)
from ..models import Note, Ticket, TicketEvent
from ..page_rows import page_rows
from ..picklists import Person, PickLists, load_names
from ..querysets import stand_in_user
from ..queues import HEADER_COUNTERS, header_counter_columns
from ..workflow import TransitionNotAllowed

Action = TicketEvent.Action


@dataclass(frozen=True)
class PageAction:
    """One action button: its URL slug, its history code, its label and its workflow call."""

    slug: str
    code: str
    label: str
    perform: Callable[..., Ticket]
    style: str
    # Where the button's input is asked for on the page: a modal, a tab, or nowhere (a click).
    asks_in: str = "modal"


# The buttons in the order the page shows them. URL slug -> TicketEvent.Action is ACTIONS.
PAGE_ACTIONS = (
    PageAction(
        "pick-up",
        Action.PICK_UP,
        gettext_lazy("Pick Up"),
        workflow.pick_up_ticket,
        "primary",
        "click",
    ),
    PageAction("assign", Action.ASSIGN, gettext_lazy("Assign"), workflow.assign_ticket, "primary"),
    PageAction("hold", Action.HOLD, gettext_lazy("Hold"), workflow.hold_ticket, "secondary"),
    PageAction(
        "third-party",
        Action.THIRD_PARTY,
        gettext_lazy("Third Party"),
        workflow.third_party_ticket,
        "secondary",
    ),
    PageAction(
        "resume", Action.RESUME, gettext_lazy("Resume"), workflow.resume_ticket, "primary", "click"
    ),
    PageAction(
        "resolve",
        Action.RESOLVE,
        gettext_lazy("Resolved"),
        workflow.resolve_ticket,
        "success",
        "resolved",
    ),
    # Red like the Re-open state it leads to (an outlined "warning" button is yellow on white).
    PageAction("reopen", Action.REOPEN, gettext_lazy("Re-Open"), workflow.reopen_ticket, "danger"),
    PageAction(
        "cancel", Action.CANCEL, gettext_lazy("Cancelled"), workflow.cancel_ticket, "danger"
    ),
    PageAction(
        "close",
        Action.CLOSE,
        gettext_lazy("Close Ticket"),
        workflow.close_ticket,
        "dark",
        "closure",
    ),
)
ACTIONS = {action.slug: action for action in PAGE_ACTIONS}
# The page's tabs; an address ending in #<tab> opens that tab.
TABS = ("notes", "resolved", "closure", "attachments", "related")
ACTIONS_BY_CODE = {action.code: action for action in PAGE_ACTIONS}
# What each action did, said once; the page's badge shows the state it led to.
DONE = {
    Action.PICK_UP: gettext_lazy("You picked up %(number)s."),
    Action.ASSIGN: gettext_lazy("%(number)s was assigned to %(group)s."),
    Action.HOLD: gettext_lazy("%(number)s is on hold."),
    Action.THIRD_PARTY: gettext_lazy("%(number)s is on hold, waiting on %(vendor)s."),
    Action.RESUME: gettext_lazy("%(number)s is in progress again."),
    Action.RESOLVE: gettext_lazy("%(number)s was resolved; %(group)s verifies and closes it."),
    Action.REOPEN: gettext_lazy("%(number)s was re-opened and sent back to %(group)s."),
    Action.CANCEL: gettext_lazy("%(number)s was cancelled."),
    Action.CLOSE: gettext_lazy("%(number)s was closed."),
}
# The same, when the ticket went to a person of the group.
DONE_TO_PERSON = {
    Action.ASSIGN: gettext_lazy("%(number)s was assigned to %(person)s (%(group)s)."),
    Action.REOPEN: gettext_lazy(
        "%(number)s was re-opened and sent back to %(person)s (%(group)s)."
    ),
}


# The header's counters as columns of the incident page's ticket (see _load).
COUNTER_COLUMNS = {name: f"counter_{name}" for name in HEADER_COUNTERS}


def _load(
    request, number: str, related: str | None = None, *, with_counters: bool = False
) -> Ticket:
    """The ticket, if the user may see it, with the row of one foreign key (``related``) if
    asked. Pages that show more of its related rows (groups, people, categories) set them
    with load_names() rather than join some fifteen tables here, a query PostgreSQL took
    about 15 ms to plan. ``with_counters``: the header's counters read in the same query
    (ticket.counters), a round trip fewer for the page."""
    user = request.user
    sees_all = user.sees_all_incidents()

    def build(pk, groups, number):
        stand_in = stand_in_user(pk, groups, sees_all=sees_all)
        tickets = Ticket.objects.visible_to(stand_in).filter(number=number)
        if with_counters:
            columns = header_counter_columns(stand_in)
            tickets = tickets.annotate(
                **{column: columns[name] for name, column in COUNTER_COLUMNS.items()}
            )
        return tickets[:1]

    found = prepared.instances(
        ("ticket by number", sees_all, with_counters),
        Ticket,
        build,
        user.pk,
        user.group_ids(),
        number,
        related=related,
        annotations=tuple(COUNTER_COLUMNS.values()) if with_counters else (),
    )
    if not found:
        raise Http404
    ticket = found[0]
    if with_counters:
        ticket.counters = {
            name: getattr(ticket, column) for name, column in COUNTER_COLUMNS.items()
        }
    return ticket


def _back(ticket: Ticket, tab: str = ""):
    url = reverse("tickets:detail", args=[ticket.number])
    # Not redirect(), which would first try the address as the name of a view.
    return HttpResponseRedirect(f"{url}#{tab}" if tab else url)


def _refused_tab(request, ticket, refusal, *, key: str, form, field: str, tab: str, also=""):
    """Show the page again with the tab's form as it was typed and the refusal beside its
    field (the one the refusal names, else the form's own input), followed by ``also``."""
    field = refusal.field if refusal.field in form.fields else field
    form.add_error(field, refusal.message)
    if also:
        form.add_error(field, also)
    return _render_page(request, ticket, forms={key: form}, tab=tab, status=409)


# Controls that have no read-only state; they are disabled instead.
NO_READ_ONLY = (django_forms.Select, django_forms.CheckboxInput, django_forms.FileInput)


def _read_only(form):
    """The form with its input visible, to read and copy, but no longer to change or send.
    (Not Field.disabled: a disabled field shows its initial value instead of what was typed.)"""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, NO_READ_ONLY):
            widget.attrs["disabled"] = True
        elif not widget.is_hidden:
            widget.attrs["readonly"] = True
    return form


def _show_refusal(request, form, refusal: TransitionNotAllowed) -> None:
    """Say why the workflow refused: beside the field the refusal is about, or above the page
    when the form has no such field (said once, never in both places)."""
    if refusal.field in form.fields:
        form.add_error(refusal.field, refusal.message)
    else:
        messages.error(request, refusal.message)


# --- Create New ----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def create(request):
    form = IncidentForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            ticket = workflow.create_ticket(by=request.user, **form.create_values())
        except TransitionNotAllowed as refusal:
            _show_refusal(request, form, refusal)
        else:
            messages.success(
                request, _("Incident %(number)s was created.") % {"number": ticket.number}
            )
            user = request.user
            if not user.sees_all_incidents() and ticket.assignment_group_id not in user.group_ids():
                # A vendor's agent who gave it to another group may not open it (visible_to).
                messages.info(
                    request,
                    _("%(number)s is held by %(group)s; your group cannot open it.")
                    % {"number": ticket.number, "group": ticket.assignment_group},
                )
                return redirect("tickets:home")
            return _back(ticket)
    context = {"form": form, "js_text": script_text()}
    return render(request, "tickets/incident_create.html", context)


# --- the incident page ---------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def detail(request, number):
    """The incident page; POST is its Save button."""
    if request.method != "POST":
        return _render_page(request, _load(request, number, with_counters=True))
    ticket = _load(request, number)
    form = IncidentForm(request.POST, instance=ticket, user=request.user)
    if not form.is_valid():
        if not workflow.can_edit(ticket, request.user):
            return _refused_save(request, ticket, form)
        return _render_page(request, ticket, forms={"edit": form})
    if not form.changes():
        messages.info(request, _("Nothing to save: no field was changed."))
        return _back(ticket)
    try:
        workflow.update_ticket(
            ticket,
            by=request.user,
            changes=form.changes(),
            expected_version=form.cleaned_data.get("version"),
        )
    except TransitionNotAllowed as refusal:
        if refusal.field is None:
            return _refused_save(request, ticket, form, refusal)
        _show_refusal(request, form, refusal)
        return _render_page(request, ticket, forms={"edit": form})
    messages.success(request, _("%(number)s was saved.") % {"number": ticket.number})
    return _back(ticket)


def _refused_save(request, ticket, form, refusal=None):
    """A refused Save keeps what the agent typed and says why. An agent who may no longer
    change the ticket (another group took it, it was closed) sees the input read-only, to
    copy; after a lost update it can be saved again. Either way the changes made since the
    form was loaded are listed."""
    loaded = form.cleaned_data.get("version")
    fresh = _load(request, ticket.number)
    since = []
    if loaded is not None:
        since = list(
            fresh.events.filter(data__version__gt=loaded)
            .select_related("actor")
            .order_by("created_at", "pk")
        )
    reason = workflow.edit_refusal(fresh, request.user, seen_version=loaded)
    if reason is None and loaded is not None and fresh.version != loaded:
        messages.error(
            request,
            _(
                "%(number)s was changed by someone else while you were editing it. Nothing "
                "of yours was saved yet; your input is kept below. Check the changes listed, "
                "then save again."
            )
            % {"number": fresh.number},
        )
        retry = IncidentForm(form.rebased_data(fresh, since), instance=fresh, user=request.user)
        return _render_page(request, fresh, forms={"edit": retry}, conflict=since, status=409)
    if reason is None and refusal is None:
        # An invalid form on a ticket the agent may change again by now: its errors say why.
        return _render_page(request, fresh, forms={"edit": form})
    messages.error(request, reason or refusal.message)
    return _render_page(request, fresh, forms={"edit": form}, conflict=since, status=409)


@login_required
@require_GET
def print_view(request, number):
    ticket = _load(request, number)
    load_names([ticket])
    notes = [
        note_entry(note, str(note.author), show_moment(note.created_at))
        for note in ticket.notes.select_related("author").order_by("created_at", "pk")
    ]
    attachments = list(
        ticket.attachments.select_related("uploaded_by").order_by("created_at", "pk")
    )
    context = {"ticket": ticket, "notes": notes, "attachments": attachments}
    return render(request, "tickets/incident_print.html", context)


# --- actions -------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def act(request, number, action):
    """GET: the small form an action needs. POST: take the action; a refused or invalid one
    shows the form again with what was typed and why."""
    page_action = ACTIONS.get(action)
    if page_action is None:
        raise Http404
    ticket = _load(request, number, "assignment_group")
    form_class = ACTION_FORMS[page_action.code]
    if request.method != "POST":
        refusal = workflow.refusal_message(ticket, request.user, page_action.code)
        if refusal is not None:
            messages.error(request, refusal)
            return _back(ticket)
        form = form_class(initial={"version": ticket.version})
        return _render_act(request, ticket, page_action, form)
    form = form_class(request.POST)
    if not form.is_valid():
        refusal = workflow.refusal_message(ticket, request.user, page_action.code)
        if refusal is not None:
            messages.error(request, refusal)
        return _render_act(request, ticket, page_action, form)
    try:
        done = page_action.perform(
            ticket,
            by=request.user,
            expected_version=form.cleaned_data.get("version"),
            **form.workflow_kwargs(),
        )
    except TransitionNotAllowed as refusal:
        return _refused_action(request, ticket, page_action, refusal)
    messages.success(request, _action_done(page_action, done))
    return _back(done, page_action.asks_in if page_action.asks_in in TABS else "")


def _refused_action(request, ticket, page_action, refusal):
    """Keep what the agent typed and say why it was refused. The form carries the version
    read by this request, so acting again after reading the message is a new decision."""
    data = request.POST.copy()
    data["version"] = str(ticket.version)
    form = ACTION_FORMS[page_action.code](data)
    form.is_valid()
    _show_refusal(request, form, refusal)
    return _render_act(request, ticket, page_action, form, status=409)


def _render_act(request, ticket, page_action, form, status=200):
    context = {
        "ticket": ticket,
        "action": page_action,
        "form": form,
        "is_available": page_action.code in workflow.available_actions(ticket, request.user),
        "js_text": script_text(),
    }
    return render(request, "tickets/incident_act.html", context, status=status)


def _action_done(page_action: PageAction, ticket: Ticket) -> str:
    code = page_action.code
    values = {"number": ticket.number}
    if code in (Action.ASSIGN, Action.RESOLVE, Action.REOPEN):
        values["group"] = ticket.assignment_group
    if code == Action.THIRD_PARTY:
        values["vendor"] = ticket.vendor
    message = DONE[code]
    if code in DONE_TO_PERSON and ticket.assigned_to_id:
        message = DONE_TO_PERSON[code]
        values["person"] = ticket.assigned_to
    return message % values


# --- tabs: notes, watch list, attachments, related incidents -------------------------------


@login_required
@require_POST
def add_note(request, number):
    ticket = _load(request, number)
    visibility = request.POST.get("visibility")
    if visibility not in Note.Visibility.values:
        visibility = Note.Visibility.WORK_NOTE
    form = NoteForm(request.POST, visibility=visibility)
    if not form.is_valid():
        return _render_page(request, ticket, forms={visibility: form}, tab="notes")
    try:
        workflow.add_note(ticket, by=request.user, **form.cleaned_data)
    except TransitionNotAllowed as refusal:
        return _refused_tab(
            request, ticket, refusal, key=visibility, form=form, field="body", tab="notes"
        )
    if visibility == Note.Visibility.COMMENT:
        messages.success(
            request, _("Comment posted; it is e-mailed to the watch list and the requester.")
        )
    else:
        messages.success(request, _("Work note added."))
    return _back(ticket, "notes")


@login_required
@require_POST
def add_watcher(request, number):
    ticket = _load(request, number)
    form = WatchForm(request.POST, requester_email=ticket.email)
    if not form.is_valid():
        return _render_page(request, ticket, forms={"watch": form}, tab="notes")
    try:
        entry = workflow.add_watcher(ticket, by=request.user, email=form.cleaned_data["email"])
    except TransitionNotAllowed as refusal:
        return _refused_tab(
            request, ticket, refusal, key="watch", form=form, field="email", tab="notes"
        )
    if ticket.email and entry.email.casefold() == ticket.email.casefold():
        message = _(
            "%(email)s was added to the watch list. It is the requester's e-mail, which "
            "receives the additional comments anyway."
        )
    else:
        message = _("%(email)s was added to the watch list.")
    messages.success(request, message % {"email": entry})
    return _back(ticket, "notes")


@login_required
@require_POST
def remove_watcher(request, number, entry_id):
    ticket = _load(request, number)
    entry = get_object_or_404(ticket.watch_list, pk=entry_id)
    try:
        workflow.remove_watcher(ticket, by=request.user, entry=entry)
    except TransitionNotAllowed as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(
            request, _("%(email)s was removed from the watch list.") % {"email": entry}
        )
    return _back(ticket, "notes")


@login_required
@require_POST
def upload(request, number):
    ticket = _load(request, number)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_page(request, ticket, forms={"upload": form}, tab="attachments")
    try:
        attachment = workflow.add_attachment(
            ticket,
            by=request.user,
            file=form.cleaned_data["file"],
            original_name=form.cleaned_data["original_name"],
            content_type=form.cleaned_data["content_type"],
        )
    except TransitionNotAllowed as refusal:
        # A browser cannot be given a chosen file back: the other fields are kept, the file
        # must be chosen again.
        not_kept = _(
            "%(name)s was not attached; the page cannot keep a chosen file, so it must be "
            "chosen again."
        ) % {"name": form.cleaned_data["original_name"]}
        return _refused_tab(
            request,
            ticket,
            refusal,
            key="upload",
            form=form,
            field="file",
            tab="attachments",
            also=not_kept,
        )
    messages.success(request, _("%(name)s was attached.") % {"name": attachment})
    return _back(ticket, "attachments")


@login_required
@require_GET
def download(request, number, attachment_id):
    ticket = get_object_or_404(Ticket.objects.visible_to(request.user), number=number)
    attachment = get_object_or_404(ticket.attachments, pk=attachment_id)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def link_related(request, number):
    ticket = _load(request, number)
    form = RelatedForm(request.POST, user=request.user, ticket=ticket)
    if not form.is_valid():
        return _render_page(request, ticket, forms={"related": form}, tab="related")
    other = form.cleaned_data["other"]
    try:
        workflow.link_related(ticket, by=request.user, other=other)
    except TransitionNotAllowed as refusal:
        return _refused_tab(
            request, ticket, refusal, key="related", form=form, field="number", tab="related"
        )
    messages.success(request, _("%(other)s is now related.") % {"other": other.number})
    return _back(ticket, "related")


@login_required
@require_POST
def unlink_related(request, number, other):
    ticket = _load(request, number)
    other_ticket = get_object_or_404(Ticket.objects.visible_to(request.user), number=other)
    try:
        workflow.unlink_related(ticket, by=request.user, other=other_ticket)
    except TransitionNotAllowed as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("%(other)s is no longer related.") % {"other": other})
    return _back(ticket, "related")


# --- assembling the page -------------------------------------------------------------------


def _render_page(request, ticket, *, forms=None, conflict=None, tab="notes", status=200):
    """Render the incident page. ``forms`` holds bound forms that were refused (shown with
    their errors and input); ``conflict`` the history entries a lost update missed."""
    user, forms, conflict = request.user, forms or {}, list(conflict or [])
    rows = page_rows(ticket, user)
    actions = sorted(
        workflow.available_actions(ticket, user),
        key=lambda code: PAGE_ACTIONS.index(ACTIONS_BY_CODE[code]),
    )
    editable = workflow.can_edit(ticket, user)
    if not editable and "edit" in forms:
        # A refused Save of a ticket the user may no longer change: kept to copy.
        _read_only(forms["edit"])
    pick_lists, users = _reference_rows(ticket, rows, conflict, actions, editable)
    labels = HistoryLabels(pick_lists, {u.pk: u for u in users})
    urls = _page_urls(ticket, actions)
    buttons = [
        (action, _action_form(action.code, ticket, pick_lists), urls["act"][action.slug])
        for action in (ACTIONS_BY_CODE[code] for code in actions)
    ]
    if editable and "edit" not in forms:
        # The form as IncidentForm draws it unbound, without building one.
        forms["edit"] = incident_grid(
            ticket,
            user=user,
            pick_lists=pick_lists,
            members=users,
            assign_url=urls["act"].get("assign"),
        )
    writable = workflow.can_write_tabs(ticket, user)
    stream = history_stream(rows["notes"], rows["events"], labels)
    tabs = {
        "resolved": bool(ticket.resolution) or Action.RESOLVE in actions,
        "closure": ticket.status == Ticket.Status.CLOSED or Action.CLOSE in actions,
        "attachments": bool(rows["attachments"]) or writable or "upload" in forms,
        "related": bool(rows["related"]) or writable or "related" in forms,
    }
    context = {
        **rows,
        "ticket": ticket,
        "buttons": buttons,
        "action_forms": {action.slug: form for action, form, _url in buttons},
        "urls": urls,
        "edit_form": forms.get("edit"),
        "is_editable": editable,
        "stream": stream,
        "stream_html": stream_html(stream),
        "conflict_changes": [(event, labels.changes(event)) for event in conflict],
        "is_writable": writable,
        "tab": tab,
        "tabs": tabs,
        "tab_links": _tab_links(tabs, rows),
        "js_text": script_text(),
        **_tab_forms(ticket, user, forms, writable),
    }
    if hasattr(ticket, "counters"):  # (else the header counts them, tickets.context_processors)
        context["counters"] = ticket.counters
    return render(request, "tickets/incident_detail.html", context, status=status)


# A number that stands in for the ticket's in the page's addresses, worked out once per URL
# configuration: reverse() took a third of a millisecond for the page's dozen. A number with
# characters an address must escape is reversed as it is.
_NUMBER_STAND_IN = "INC-0000-000000"
_PLAIN_NUMBER = re.compile(r"(?!\.\.?$)[A-Za-z0-9._~-]+")  # ("." and ".." are escaped)


@lru_cache(maxsize=8)
def _url_patterns(urlconf: str, prefix: str, number: str = _NUMBER_STAND_IN) -> dict:
    """The page's addresses for ``number``; the key's urlconf and prefix are in effect."""
    return {
        "detail": reverse("tickets:detail", args=[number]),
        "print": reverse("tickets:print", args=[number]),
        "add_note": reverse("tickets:add_note", args=[number]),
        "add_watcher": reverse("tickets:add_watcher", args=[number]),
        "upload": reverse("tickets:upload", args=[number]),
        "link_related": reverse("tickets:link_related", args=[number]),
        "act": {
            action.slug: reverse("tickets:act", args=[number, action.slug])
            for action in PAGE_ACTIONS
        },
    }


def _page_urls(ticket: Ticket, actions) -> dict:
    """The addresses the page's forms and buttons post to."""
    key = (get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())
    number = ticket.number
    if _PLAIN_NUMBER.fullmatch(number):
        patterns, stand_in = _url_patterns(*key), _NUMBER_STAND_IN
    else:
        patterns, stand_in = _url_patterns.__wrapped__(*key, number), number
    urls = {name: url.replace(stand_in, number) for name, url in patterns.items() if name != "act"}
    urls["act"] = {
        slug: patterns["act"][slug].replace(stand_in, number)
        for slug in (ACTIONS_BY_CODE[code].slug for code in actions)
    }
    return urls


def _tab_links(tabs: dict, rows: dict) -> list[tuple[str, str, int | str]]:
    """The tabs shown: slug, label and the count of rows (none for the two of one record)."""
    links = [
        ("notes", _("Notes"), len(rows["notes"])),
        ("resolved", _("Resolved Information"), ""),
        ("closure", _("Closure Information"), ""),
        ("attachments", _("Attachments"), len(rows["attachments"])),
        ("related", _("Related Incidents"), len(rows["related"])),
    ]
    return [link for link in links if link[0] == "notes" or tabs[link[0]]]


def _reference_rows(ticket, rows, conflict, actions, editable) -> tuple[PickLists, list[Person]]:
    """The pick lists the page's forms show and every name the page shows (one query), and
    the users: the members of the ticket's group and the people the page names (one query).
    The foreign keys of the ticket and of the rows it lists are set from these."""
    picks, user_ids = HistoryLabels.referenced(rows["events"] + conflict)
    user_ids |= {note.author_id for note in rows["notes"]}
    user_ids |= {event.actor_id for event in rows["events"]}
    active = {"taxonomy", "incident_type", "location", "vendor"} if editable else set()
    for code in actions:
        active |= set(ACTION_FORMS[code].pick_list_kinds())
    # The ticket's own values are kept: they stay valid even if they were deactivated since.
    return load_names(
        [ticket, *conflict, *rows["attachments"], *rows["related"]],
        active=active,
        keep=picks,
        members_of=ticket.assignment_group_id if editable else None,
        extra_users=user_ids,
    )


def _tab_forms(ticket, user, forms, writable) -> dict:
    """The forms of the tabs; refused ones keep their input. When the user may not write the
    tabs (any more: another group took the ticket, say) only a refused form is shown, read-only
    and without its button, so what was typed can still be copied."""
    if not writable:
        kept = {key: _read_only(form) for key, form in forms.items() if key != "edit"}
        return {
            "note_forms": [kept[kind] for kind in Note.Visibility.values if kind in kept],
            "watch_form": kept.get("watch"),
            "upload_form": kept.get("upload"),
            "related_form": kept.get("related"),
        }
    # The empty forms are the same on every incident page but the watch list's, which knows
    # the requester's e-mail.
    return {
        "note_forms": [
            forms.get(visibility) or _drawn_note_form(visibility)
            for visibility in (Note.Visibility.WORK_NOTE, Note.Visibility.COMMENT)
        ],
        "watch_form": forms.get("watch") or WatchForm(requester_email=ticket.email),
        "upload_form": forms.get("upload") or drawn_form("upload", AttachmentForm),
        "related_form": forms.get("related")
        or drawn_form("related", lambda: RelatedForm(user=user, ticket=ticket)),
    }


def _drawn_note_form(visibility: str) -> DrawnForm:
    form = drawn_form(("note", visibility), lambda: NoteForm(visibility=visibility))
    return DrawnForm(form.html, kind=visibility)


def _action_form(code, ticket, pick_lists):
    """The action's form, drawn, for the actions that ask for input on the page (a click
    asks for none)."""
    action = ACTIONS_BY_CODE[code]
    if action.asks_in == "click":
        return None
    form_class = ACTION_FORMS[code]
    auto_id = f"id_{action.slug}_%s"
    if all(pick_lists.holds_only_active(kind) for kind in form_class.pick_list_kinds()):
        return drawn_form(
            ("action", code),
            lambda: form_class(pick_lists=pick_lists, auto_id=auto_id),
            version=ticket.version,
        )
    # Its options hold an entry of the ticket's that was deactivated since: not as elsewhere.
    return form_class(initial={"version": ticket.version}, pick_lists=pick_lists, auto_id=auto_id)
