"""Small JSON answers that static/js/incident-form.js and incident-page.js fetch.

Each needs a login, answers GET only and returns a short list; what it shows of tickets
comes from Ticket.objects.visible_to(user).
"""

from django.contrib.auth.decorators import login_required
from django.db.models import Max, Q
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from accounts.models import AssignmentGroup
from taxonomy.models import Category

from ..models import Template, Ticket
from ..validators import parse_id

LIMIT = 10
REQUESTER_FIELDS = ("requested_by", "company_name", "phone", "nib", "nik", "email")


def _query(request) -> str:
    return request.GET.get("q", "").strip()[:100]


@login_required
@require_GET
def taxonomy_children(request):
    """Active entries under ?parent=<id> (the roots without a parent), in their order."""
    parent = request.GET.get("parent", "")
    entries = Category.objects.active()
    if parent:
        parent_id = parse_id(parent)
        if parent_id is None:
            return JsonResponse({"error": "parent must be an id"}, status=400)
        entries = entries.filter(parent_id=parent_id)
    else:
        entries = entries.roots()
    rows = entries.order_by("order", "name").values("id", "name")
    return JsonResponse({"results": list(rows)})


@login_required
@require_GET
def requesters(request):
    """Earlier requesters matching ?q= by name or company (contains), e-mail or NIB (prefix),
    each distinct set of details once, most recent first.

    Only from tickets the user may see: these are the businesses' personal data.
    """
    q = _query(request)
    if len(q) < 2:
        return JsonResponse({"results": []})
    match = Q(requested_by__icontains=q) | Q(company_name__icontains=q) | Q(email__istartswith=q)
    if q.isdigit():
        match |= Q(nib__startswith=q)
    rows = (
        Ticket.objects.visible_to(request.user)
        .exclude(requested_by="")
        .filter(match)
        .values(*REQUESTER_FIELDS)
        .annotate(last_seen=Max("opened_at"))
        .order_by("-last_seen")[:LIMIT]
    )
    return JsonResponse(
        {"results": [{name: row[name] for name in REQUESTER_FIELDS} for row in rows]}
    )


@login_required
@require_GET
def groups(request):
    """Active assignment groups whose name or company name contains ?q=, sorted by name
    (?sort=desc for Z to A)."""
    q = _query(request)
    found = AssignmentGroup.objects.filter(is_active=True)
    if q:
        found = found.filter(Q(name__icontains=q) | Q(company__name__icontains=q))
    order = "-name" if request.GET.get("sort") == "desc" else "name"
    rows = found.order_by(order).values("id", "name", "company__name")
    return JsonResponse(
        {
            "results": [
                {"id": row["id"], "name": row["name"], "company": row["company__name"]}
                for row in rows
            ]
        }
    )


@login_required
@require_GET
def group_members(request, group_id):
    """The active members of an active group, by name (for the Assigned To select).

    Any agent may list any group's members, a vendor's staff too: they assign tickets back
    to BKPM groups. Only names are shown; agents' names are not the businesses' personal data
    that visible_to protects.
    """
    group = get_object_or_404(AssignmentGroup, pk=group_id, is_active=True)
    members = group.members.filter(is_active=True).order_by("first_name", "last_name", "username")
    return JsonResponse({"results": [{"id": user.pk, "name": str(user)} for user in members]})


@login_required
@require_GET
def template_values(request, template_id):
    """The values an active template fills into the incident form (ids for the selects)."""
    template = get_object_or_404(Template, pk=template_id, is_active=True)
    fields = (
        "short_description",
        "description",
        "category",
        "sub_category",
        "item_category",
        "item_name",
        "incident_type",
        "contact_type",
        "impact",
        "urgency",
        "assignment_group",
    )
    values = {name: getattr(template, Template._meta.get_field(name).attname) for name in fields}
    return JsonResponse({"id": template.pk, "name": template.name, "values": values})


@login_required
@require_GET
def incidents(request):
    """Incidents the user may see whose number starts with ?q= (for the related picker)."""
    q = _query(request).upper()
    if len(q) < 3:
        return JsonResponse({"results": []})
    rows = (
        Ticket.objects.visible_to(request.user)
        .filter(number__startswith=q)
        .order_by("number")
        .values("number", "short_description", "status")[:LIMIT]
    )
    labels = dict(Ticket.Status.choices)
    return JsonResponse(
        {
            "results": [
                {
                    "number": row["number"],
                    "short_description": row["short_description"],
                    "state": str(labels[row["status"]]),
                }
                for row in rows
            ]
        }
    )
