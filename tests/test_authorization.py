"""Who may do what, enforced on the server: every page, action, download, export and look-up,
for each role and each kind of ticket ownership.

Roles: a first-line agent (Helpcenter L1 BKPM), an L2 BKPM agent, an agent of the vendor
group L2 INDOSAT, an admin (a superuser in no group) and an anonymous visitor.

Ownership, seen from the role:
  own          held by the role's group (the admin, in no group, gets a first-line ticket)
  other        held by another group, and never by the vendor's
  once_vendor  held by the vendor's group before, now by a group that is not the role's

A refused request changes nothing: the ticket row, its history, notes, watch list,
attachments, related incidents, holdings and the stored files are compared before and after.
"""

from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest
from django.conf import settings as django_settings
from django.contrib.messages import constants, get_messages
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from tests.factories import (
    CategoryFactory,
    CloseCodeFactory,
    TicketFactory,
    VendorFactory,
)
from tickets import tallies
from tickets.models import (
    Attachment,
    GroupHolding,
    Template,
    Ticket,
    TicketEvent,
    WatchListEntry,
)

pytestmark = pytest.mark.django_db

S = Ticket.Status
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ROLES = ("l1", "l2", "vendor", "admin", "anonymous")
OWNERSHIP = ("own", "other", "once_vendor")

# Whether the role sees the ticket, and whether it may act on it (pick up, hold, save, ...,
# and write its tabs: notes, watch list, attachments, related incidents).
ACCESS = {
    ("l1", "own"): (True, True),
    ("l1", "other"): (True, False),
    ("l1", "once_vendor"): (True, False),
    ("l2", "own"): (True, True),
    ("l2", "other"): (True, False),
    ("l2", "once_vendor"): (True, False),
    ("vendor", "own"): (True, True),
    ("vendor", "other"): (False, False),
    ("vendor", "once_vendor"): (True, False),
    ("admin", "own"): (True, True),
    ("admin", "other"): (True, True),
    ("admin", "once_vendor"): (True, True),
}
# Actions with their own rule on top of ACCESS: only first-line agents close; an admin does
# everything except take a ticket himself, since the assignee is always a group member.
ONLY_ROLES = {"close": {"l1", "admin"}, "pick-up": {"l1", "l2", "vendor"}}
# SPEC.md section 3: New and Assigned are handled by the first line, so a first-line agent may
# still reassign or cancel a ticket in those states whichever group holds it.
L1_ON_ANY_GROUP = {"assign": {S.NEW, S.ASSIGNED}, "cancel": {S.NEW, S.ASSIGNED}}


# --- the world: groups, people, tickets -------------------------------------------------------


@pytest.fixture
def world(l1_group, l2_group, vendor_group, l1_agent, l2_agent, vendor_agent, admin_user):
    return SimpleNamespace(
        groups={"l1": l1_group, "l2": l2_group, "vendor": vendor_group},
        users={"l1": l1_agent, "l2": l2_agent, "vendor": vendor_agent, "admin": admin_user},
        close_code=CloseCodeFactory(),
        vendor=VendorFactory(),
    )


def client_for(world, role) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(world.users[role])
    return client


def holder(world, role, ownership):
    """The group holding the ticket now."""
    groups = world.groups
    if ownership == "own":
        return groups.get(role, groups["l1"])
    if ownership == "other":
        return groups["l2"] if role in ("l1", "admin", "anonymous") else groups["l1"]
    return groups["l1"] if role == "l2" else groups["l2"]


def hold(ticket, group):
    """Record that a group held the ticket, as the workflow does when it is assigned there."""
    _holding, is_new = GroupHolding.objects.get_or_create(ticket=ticket, group=group)
    if is_new:
        tallies.move_held(ticket, None, tallies.key_of(ticket), new_holder=group.pk)


def make_ticket(world, role, ownership, status, **values):
    """A ticket in the given state, held by the group the ownership names (the factory
    records that holding); a once_vendor ticket was held by the vendor's group before."""
    ticket = TicketFactory(status=status, assignment_group=holder(world, role, ownership), **values)
    if ownership == "once_vendor":
        hold(ticket, world.groups["vendor"])
    return ticket


def related_partner(world, ticket, *, linked):
    """An incident every role may see (held by the vendor's group), related or not yet."""
    partner = TicketFactory(status=S.IN_PROGRESS, assignment_group=world.groups["vendor"])
    if linked:
        ticket.related.add(partner)
    return partner


def snapshot(ticket) -> dict:
    fresh = Ticket.objects.get(pk=ticket.pk)
    media = django_settings.MEDIA_ROOT
    return {
        "row": {f.attname: getattr(fresh, f.attname) for f in Ticket._meta.concrete_fields},
        "events": list(fresh.events.order_by("pk").values_list("pk", "action")),
        "notes": list(fresh.notes.order_by("pk").values_list("pk", "body")),
        "watch_list": list(fresh.watch_list.order_by("pk").values_list("pk", "email")),
        "attachments": list(fresh.attachments.order_by("pk").values_list("pk", "original_name")),
        "related": sorted(fresh.related.values_list("pk", flat=True)),
        "holdings": sorted(fresh.holdings.values_list("group_id", flat=True)),
        "files": sorted(str(p) for p in media.rglob("*") if p.is_file()) if media.exists() else [],
    }


def levels(response) -> list[int]:
    return [message.level for message in get_messages(response.wsgi_request)]


def detail_url(ticket) -> str:
    return reverse("tickets:detail", args=[ticket.number])


# --- the endpoints of one incident ----------------------------------------------------------


@dataclass(frozen=True)
class Endpoint:
    """One address of an incident: how to call it and what kind of request it is.

    kind: "view" reads; "act" is an action or the Save button (members only); "act_form" is an
    action's confirmation page; "tab" adds or removes a note, watcher, file or relation.
    slug: the action's URL slug, for "act" and "act_form".
    """

    name: str
    kind: str
    status: str
    method: str
    url: object  # (ticket, setup) -> str
    data: object = field(default=lambda world, setup: {})
    slug: str = ""


def _act(slug, status, data=lambda world, setup: {}, method="post"):
    kind = "act" if method == "post" else "act_form"
    return Endpoint(
        f"{kind}:{slug}@{status}",
        kind,
        status,
        method,
        lambda ticket, setup: reverse("tickets:act", args=[ticket.number, slug]),
        data,
        slug,
    )


def _assign_data(world, setup):
    return {"group": world.groups["l2"].pk}


def _cancel_data(world, setup):
    return {"reason": "Duplikat"}


# Each action from a state it may start from (Assign and Cancel from a state the first line
# handles and from one it does not).
ACTIONS = [
    ("pick-up", S.ASSIGNED, lambda world, setup: {}),
    ("assign", S.ASSIGNED, _assign_data),
    ("assign", S.IN_PROGRESS, _assign_data),
    ("hold", S.IN_PROGRESS, lambda world, setup: {"reason": "Menunggu pelapor"}),
    ("third-party", S.IN_PROGRESS, lambda world, setup: {"vendor": world.vendor.pk}),
    ("resume", S.ON_HOLD, lambda world, setup: {}),
    ("resolve", S.IN_PROGRESS, lambda world, setup: {"resolution": "Akun direset"}),
    ("reopen", S.RESOLVED, lambda world, setup: {"reason": "Masih gagal"}),
    ("cancel", S.NEW, _cancel_data),
    ("cancel", S.ON_HOLD, _cancel_data),
    (
        "close",
        S.RESOLVED,
        lambda world, setup: {"close_code": world.close_code.pk, "close_notes": "Selesai"},
    ),
]


def _save_data(world, setup):
    ticket = setup["ticket"]
    return {
        "version": ticket.version,
        "category": ticket.category_id,
        "short_description": ticket.short_description,
        "contact_type": ticket.contact_type,
        "impact": ticket.impact,
        "urgency": ticket.urgency,
        "building": "Gedung Baru",
    }


ENDPOINTS = [
    Endpoint("detail", "view", S.IN_PROGRESS, "get", lambda t, s: detail_url(t)),
    Endpoint(
        "print",
        "view",
        S.IN_PROGRESS,
        "get",
        lambda t, s: reverse("tickets:print", args=[t.number]),
    ),
    Endpoint(
        "download",
        "view",
        S.IN_PROGRESS,
        "get",
        lambda t, s: reverse("tickets:download", args=[t.number, s["attachment"].pk]),
    ),
    Endpoint("save", "act", S.IN_PROGRESS, "post", lambda t, s: detail_url(t), _save_data),
    *[_act(slug, status, data) for slug, status, data in ACTIONS],
    *[_act(slug, status, method="get") for slug, status, _data in ACTIONS],
    Endpoint(
        "add_note",
        "tab",
        S.IN_PROGRESS,
        "post",
        lambda t, s: reverse("tickets:add_note", args=[t.number]),
        lambda world, setup: {"visibility": "work_note", "body": "Sudah dicek"},
    ),
    Endpoint(
        "add_watcher",
        "tab",
        S.IN_PROGRESS,
        "post",
        lambda t, s: reverse("tickets:add_watcher", args=[t.number]),
        lambda world, setup: {"email": "cc@perusahaan.co.id"},
    ),
    Endpoint(
        "remove_watcher",
        "tab",
        S.IN_PROGRESS,
        "post",
        lambda t, s: reverse("tickets:remove_watcher", args=[t.number, s["watcher"].pk]),
    ),
    Endpoint(
        "upload",
        "tab",
        S.IN_PROGRESS,
        "post",
        lambda t, s: reverse("tickets:upload", args=[t.number]),
        lambda world, setup: {"file": ContentFile(PDF, name="laporan.pdf")},
    ),
    Endpoint(
        "link_related",
        "tab",
        S.IN_PROGRESS,
        "post",
        lambda t, s: reverse("tickets:link_related", args=[t.number]),
        lambda world, setup: {"number": setup["unlinked"].number},
    ),
    Endpoint(
        "unlink_related",
        "tab",
        S.IN_PROGRESS,
        "post",
        lambda t, s: reverse("tickets:unlink_related", args=[t.number, s["linked"].number]),
    ),
]


# The tabs' forms a refused request shows again as typed (the context name of each), with the
# refusal beside its field; a removal (Remove, Unlink) has nothing typed to keep.
KEPT_FORMS = {
    "add_note": "note_forms",
    "add_watcher": "watch_form",
    "upload": "upload_form",
    "link_related": "related_form",
}


def expected(endpoint: Endpoint, role: str, ownership: str) -> str:
    """What the request must give: login, 404, ok (done or shown) or refused."""
    if role == "anonymous":
        return "login"
    sees, acts = ACCESS[(role, ownership)]
    if not sees:
        return "404"
    if endpoint.kind == "view":
        return "ok"
    if endpoint.kind == "tab":
        # The first line owns the conversation with the requester, on every group's ticket.
        return "ok" if acts or role == "l1" else "refused"
    slug = endpoint.slug
    if slug in ONLY_ROLES and role not in ONLY_ROLES[slug]:
        return "refused"
    if role == "l1" and endpoint.status in L1_ON_ANY_GROUP.get(slug, ()):
        return "ok"
    return "ok" if acts else "refused"


def _setup(world, role, ownership, endpoint):
    """The ticket, and the rows the endpoint works on (a watcher, a file, related incidents)."""
    ticket = make_ticket(world, role, ownership, endpoint.status)
    owner = world.users["l1"]
    setup = {"ticket": ticket}
    if endpoint.name == "remove_watcher":
        setup["watcher"] = WatchListEntry.objects.create(
            ticket=ticket, email="watch@perusahaan.co.id", added_by=owner
        )
    if endpoint.name in ("link_related", "unlink_related"):
        setup["linked"] = related_partner(world, ticket, linked=True)
        setup["unlinked"] = related_partner(world, ticket, linked=False)
    if endpoint.name == "download":
        attachment = Attachment(
            ticket=ticket,
            original_name="bukti.pdf",
            content_type="application/pdf",
            size=len(PDF),
            uploaded_by=owner,
        )
        attachment.file.save("bukti.pdf", ContentFile(PDF), save=True)
        setup["attachment"] = attachment
    return setup


@pytest.mark.parametrize("ownership", OWNERSHIP)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda endpoint: endpoint.name)
def test_incident_endpoints(world, role, ownership, endpoint):
    setup = _setup(world, role, ownership, endpoint)
    ticket = setup["ticket"]
    before = snapshot(ticket)
    client = client_for(world, role)
    url = endpoint.url(ticket, setup)
    if endpoint.method == "get":
        response = client.get(url)
    else:
        response = client.post(url, endpoint.data(world, setup))
    outcome = expected(endpoint, role, ownership)

    if outcome == "login":
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    elif outcome == "404":
        assert response.status_code == 404
    elif outcome == "refused" and endpoint.kind == "act" and endpoint.slug:
        # A refused action shows its form again, with what was typed and why.
        assert response.status_code == 409
        typed = {name: str(value) for name, value in endpoint.data(world, setup).items()}
        assert response.context["form"].data.dict() == typed | {"version": str(ticket.version)}
        assert constants.ERROR in levels(response)
    elif outcome == "refused" and endpoint.name == "save":
        # A refused Save shows the page again, with what was typed (read-only) and why.
        assert response.status_code == 409
        assert response.context["edit_form"]["building"].value() == "Gedung Baru"
        assert constants.ERROR in levels(response)
    elif outcome == "refused" and endpoint.name in KEPT_FORMS:
        assert response.status_code == 409
        kept = response.context[KEPT_FORMS[endpoint.name]]
        [form] = kept if isinstance(kept, list) else [kept]
        assert form.errors and levels(response) == []
    elif outcome == "refused":
        assert response.status_code == 302 and response.url.startswith(detail_url(ticket))
        assert constants.ERROR in levels(response)
    elif endpoint.kind in ("view", "act_form"):
        assert response.status_code == 200
    else:
        assert response.status_code == 302 and response.url.startswith(detail_url(ticket))
        assert levels(response) == [constants.SUCCESS]

    if outcome == "ok" and endpoint.kind in ("act", "tab"):
        assert snapshot(ticket) != before
    else:
        assert snapshot(ticket) == before


def test_an_allowed_action_writes_one_history_entry(world):
    ticket = make_ticket(world, "l2", "own", S.IN_PROGRESS)
    client_for(world, "l2").post(
        reverse("tickets:act", args=[ticket.number, "hold"]), {"reason": "Menunggu"}
    )
    assert list(ticket.events.values_list("action", flat=True)) == [TicketEvent.Action.HOLD]


# --- lists, exports, look-ups and Django admin ------------------------------------------------


def _numbers_in_queue(response) -> set[str]:
    return {ticket["number"] for ticket in response.context["page"].object_list}


def _csv_text(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8-sig")


@pytest.mark.parametrize("ownership", OWNERSHIP)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "name", ["queue", "export_csv", "api_requesters", "api_incidents", "bulk_edit"]
)
def test_lists_and_look_ups_show_a_ticket_only_to_who_sees_it(world, role, ownership, name):
    ticket = make_ticket(world, role, ownership, S.ASSIGNED, requested_by="Ibu Ratna Sari")
    client = client_for(world, role)
    requests = {
        "queue": lambda: client.get(reverse("tickets:queue", args=["all"])),
        "export_csv": lambda: client.get(reverse("tickets:export_csv", args=["all"])),
        "api_requesters": lambda: client.get(reverse("tickets:api_requesters"), {"q": "Ratna"}),
        "api_incidents": lambda: client.get(reverse("tickets:api_incidents"), {"q": ticket.number}),
        "bulk_edit": lambda: client.post(
            reverse("tickets:bulk_pick_up", args=["all"]),
            {"numbers": [ticket.number], "action": "edit"},
        ),
    }
    response = requests[name]()
    if role == "anonymous":
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
        return
    sees, _acts = ACCESS[(role, ownership)]
    if name == "bulk_edit":
        assert response.status_code == (302 if sees else 404)
        return
    assert response.status_code == 200
    shown = {
        "queue": lambda: ticket.number in _numbers_in_queue(response),
        "export_csv": lambda: ticket.number in _csv_text(response),
        "api_requesters": lambda: bool(response.json()["results"]),
        "api_incidents": lambda: bool(response.json()["results"]),
    }[name]()
    assert shown == sees


@pytest.mark.parametrize("ownership", OWNERSHIP)
@pytest.mark.parametrize("role", ROLES)
def test_bulk_pick_up_takes_only_what_the_role_may_act_on(world, role, ownership):
    ticket = make_ticket(world, role, ownership, S.ASSIGNED)
    before = snapshot(ticket)
    response = client_for(world, role).post(
        reverse("tickets:bulk_pick_up", args=["all"]),
        {"numbers": [ticket.number], "action": "pick_up"},
    )
    assert response.status_code == 302
    if role == "anonymous":
        assert response.url.startswith(reverse("login"))
        assert snapshot(ticket) == before
        return
    endpoint = next(e for e in ENDPOINTS if e.kind == "act" and e.slug == "pick-up")
    sees, _acts = ACCESS[(role, ownership)]
    if expected(endpoint, role, ownership) == "ok":
        assert Ticket.objects.get(pk=ticket.pk).assigned_to == world.users[role]
    else:
        assert snapshot(ticket) == before
        # Who sees the ticket is told why; for anyone else it does not exist.
        assert (constants.ERROR in levels(response)) == sees


PAGES = {
    "home": lambda world: reverse("tickets:home"),
    "create": lambda world: reverse("tickets:create"),
    "queue_my_group": lambda world: reverse("tickets:queue", args=["my-group"]),
    "api_taxonomy_children": lambda world: reverse("tickets:api_taxonomy_children"),
    "api_groups": lambda world: reverse("tickets:api_groups"),
    "api_group_members": lambda world: reverse(
        "tickets:api_group_members", args=[world.groups["l1"].pk]
    ),
    "api_template": lambda world: reverse(
        "tickets:api_template", args=[Template.objects.create(name="Reset akun").pk]
    ),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", PAGES)
def test_pages_and_look_ups_need_a_login(world, role, name):
    CategoryFactory()
    response = client_for(world, role).get(PAGES[name](world))
    if role == "anonymous":
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
    else:
        assert response.status_code == 200


@pytest.mark.parametrize("role", ROLES)
def test_django_admin_is_for_staff_only(world, role):
    response = client_for(world, role).get(reverse("admin:index"))
    if role == "admin":
        assert response.status_code == 200
    else:
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))
