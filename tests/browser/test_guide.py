"""The guide's walk in a real browser: an L1 agent records an incident and escalates it to
L2 INDOSAT, the vendor's agent works it and replies to the requester, and L1 closes it.

Each step asserts what the agent sees; every page is saved as a screenshot under
test-artifacts/browser/ (git-ignored). The fixtures are in tests/browser/conftest.py.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from tickets.models import Ticket, TicketEvent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REQUESTER = "rina.investor@example.co.id"
NUMBER = re.compile(r"INC-\d{4}-\d{6}")
CATEGORY_PATH = {
    "Category": "TEKNOLOGI INFORMASI",
    "Sub Category": "SISTEM OSS",
    "Item Category": "LOGIN/HAK AKSES INVESTOR",
    "Item Name": "TIDAK BISA LOGIN",
}


def state_badge(page: Page):
    """The state badge next to the number at the top of the incident page."""
    return page.locator("[data-number] ~ [data-state]")


def success(page: Page):
    return page.locator(".alert-success")


def scripts_ready(page: Page) -> None:
    """Wait for the load event: the page's scripts (Bootstrap, incident-*.js), which come at
    the end of the body, have run and attached their handlers."""
    page.wait_for_load_state("load")


def shown_pane(page: Page, name: str):
    """A tab's pane once it is the one shown (Bootstrap adds "show" when it is in view)."""
    pane = page.locator(f"#pane-{name}")
    expect(pane).to_have_class(re.compile(r"\bshow\b"))
    expect(page.locator(f"#tab-{name}")).to_have_attribute("aria-selected", "true")
    return pane


def create_incident(l1) -> str:
    """Incident Management > Create New > fill the form > Save > confirm; returns the number."""
    page = l1.page
    page.get_by_role("link", name="Create New").click()
    page.wait_for_url("**/incidents/new/")
    expect(page.get_by_role("heading", name="Create New Incident")).to_be_visible()
    scripts_ready(page)
    l1.shot("create-empty")
    page.get_by_label("Requested By").fill("Rina Investor")
    page.get_by_label("Nama Perusahaan").fill("PT Maju Bersama")
    page.get_by_label("Email", exact=True).fill(REQUESTER)
    for label, name in CATEGORY_PATH.items():
        # Each level's options arrive once the level above is chosen; select_option waits.
        # By the name a screen reader reads: a mandatory field's has "(required)" after it
        # (its "*" is hidden from screen readers).
        select = page.get_by_role("combobox", name=re.compile(rf"^{label}( \(required\))?$"))
        select.select_option(label=name)
    page.get_by_role("textbox", name="Short Description (required)").fill("Tidak bisa login ke OSS")
    page.get_by_label("Contact Type").select_option(label="Email")
    page.get_by_label("Impact").select_option(label="High")
    page.get_by_label("Urgency").select_option(label="Low")
    expect(page.locator("[data-priority-display]")).to_have_text("Medium")
    l1.shot("create-filled")
    page.get_by_role("button", name="Save", exact=True).click()
    confirm = page.locator("#confirm-create")
    expect(confirm).to_be_visible()
    l1.shot("create-confirm")
    confirm.get_by_role("button", name="Yes, save").click()
    page.wait_for_url(re.compile(r"/incidents/INC-\d{4}-\d{6}/"))
    expect(success(page)).to_have_text(re.compile(r"Incident INC-\d{4}-\d{6} was created\."))
    number = page.locator("[data-number]").inner_text()
    assert NUMBER.fullmatch(number)
    assert number in success(page).inner_text()
    expect(state_badge(page)).to_have_text("New")
    l1.shot("created")
    return number


def assign_to_l2_indosat(l1, number: str) -> None:
    """Escalate: Assign > Assignment Group L2 INDOSAT > Assign."""
    page = l1.page
    scripts_ready(page)
    page.locator("[data-actions] [data-action=assign]").click()
    modal = page.locator("#act-assign")
    expect(modal).to_be_visible()
    modal.get_by_label("Assignment Group").select_option(label="L2 INDOSAT")
    l1.shot("assign-modal")
    modal.get_by_role("button", name="Assign", exact=True).click()
    expect(success(page)).to_have_text(f"{number} was assigned to L2 INDOSAT.")
    expect(state_badge(page)).to_have_text("Assigned")
    # L1 is not in L2 INDOSAT: the fields are now shown read-only, saying why.
    expect(page.get_by_text("Only members of L2 INDOSAT can change this incident.")).to_be_visible()
    l1.shot("assigned")


def pick_up_from_group_queue(agent, number: str, state: str) -> None:
    """Assigned To My Group > the ticket (in the given state) > select > Pick Up > open it."""
    page = agent.page
    page.get_by_role("link", name="Assigned To My Group").click()
    expect(page.get_by_role("heading", name="Assigned To My Group")).to_be_visible()
    row = page.locator(f"tr[data-number='{number}']")
    expect(row).to_be_visible()
    expect(row.locator("[data-state]")).to_have_text(state)
    agent.shot("group-queue")
    row.get_by_label(f"Select {number}").check()
    page.get_by_role("button", name="Pick Up", exact=True).click()
    expect(success(page)).to_have_text(f"Picked up {number}.")
    agent.shot("group-queue-picked-up")
    page.locator(f"tr[data-number='{number}']").get_by_role("link", name=number).click()
    page.wait_for_url(f"**/incidents/{number}/")
    expect(page.locator("[data-number]")).to_have_text(number)


def watch_and_comment(l2, number: str, mailoutbox) -> None:
    """Notes: add the requester to the watch list, then post an additional comment."""
    page = l2.page
    notes = shown_pane(page, "notes")
    notes.get_by_label("Add to watch list").fill(REQUESTER)
    # The requester's own address: the page says comments reach it anyway, and adds it.
    expect(page.locator("#watch-hint")).to_contain_text("requester's e-mail")
    l2.shot("watch-list-hint")
    notes.get_by_role("button", name="Add", exact=True).click()
    expect(success(page)).to_have_text(
        f"{REQUESTER} was added to the watch list. It is the requester's e-mail, which "
        "receives the additional comments anyway."
    )
    expect(page.locator("[data-watch-list]")).to_contain_text(REQUESTER)
    l2.shot("watch-list")
    comment = "Akun Anda sudah kami reset; silakan login ulang."
    form = page.locator("form[data-note-form=comment]")
    form.get_by_label("Additional comments (Customer visible)").fill(comment)
    form.get_by_role("button", name="Post comment").click()
    expect(success(page)).to_contain_text("Comment posted")
    expect(page.locator("[data-entry=comment]")).to_contain_text(comment)
    l2.shot("comment")
    sent = [message for message in mailoutbox if REQUESTER in message.to]
    assert len(sent) == 1, [(m.to, m.subject) for m in mailoutbox]
    assert number in sent[0].subject
    assert comment in sent[0].body


def resolve(l2, number: str) -> None:
    """Resolved: the button opens the Resolved Information tab; fill Resolution > Resolved."""
    page = l2.page
    scripts_ready(page)
    page.locator("[data-actions] [data-action=resolve]").click()
    pane = shown_pane(page, "resolved")
    pane.get_by_label("Resolution").fill("Password investor direset; login berhasil.")
    l2.shot("resolve-tab")
    pane.get_by_role("button", name="Resolved", exact=True).click()
    expect(success(page)).to_have_text(
        f"{number} was resolved; Helpcenter L1 BKPM verifies and closes it."
    )
    expect(state_badge(page)).to_have_text("Resolved")
    expect(shown_pane(page, "resolved")).to_contain_text("Resolved by")
    l2.shot("resolved")


def close(l1, number: str) -> None:
    """Close Ticket: the Closure Information tab > Close code, Close notes > Close Ticket."""
    page = l1.page
    scripts_ready(page)
    page.locator("[data-actions] [data-action=close]").click()
    pane = shown_pane(page, "closure")
    pane.get_by_label("Close code").select_option(label="Solved (Permanently)")
    pane.get_by_label("Close notes").fill("Investor mengonfirmasi sudah bisa login.")
    l1.shot("closure-tab")
    pane.get_by_role("button", name="Close Ticket", exact=True).click()
    expect(success(page)).to_have_text(f"{number} was closed.")
    expect(state_badge(page)).to_have_text("Closed")
    expect(shown_pane(page, "closure")).to_contain_text("Solved (Permanently)")
    l1.shot("closed")


def assert_read_only(page: Page) -> None:
    notice = page.get_by_text("This incident is Closed and can no longer be changed.")
    expect(notice).to_be_visible()
    expect(page.locator("[data-action=save]")).to_have_count(0)
    # Print is the only button left; the page has no field anyone could type into.
    expect(page.locator("[data-actions] [data-action]")).to_have_count(1)
    expect(page.locator("[data-actions] [data-action=print]")).to_be_visible()
    editable = page.locator("main").locator("input:not([type=hidden]), textarea, select")
    expect(editable).to_have_count(0)


# The history of the walk, oldest first: (label, who, state afterwards or "" if unchanged).
EXPECTED_HISTORY = [
    ("Created", "Ayu Lestari", "New"),
    ("Assigned", "Ayu Lestari", "Assigned"),
    ("Picked up", "Dedi Kurniawan", "In Progress"),
    ("Resolved", "Dedi Kurniawan", "Resolved"),
    ("Picked up", "Ayu Lestari", ""),
    ("Closed", "Ayu Lestari", "Closed"),
]


def assert_history_shows_every_step(l1) -> None:
    page = l1.page
    scripts_ready(page)
    page.get_by_role("tab", name=re.compile("^Notes")).click()
    events = shown_pane(page, "notes").locator("[data-entry=event]")
    expect(events).to_have_count(len(EXPECTED_HISTORY))
    shown = list(reversed(events.all()))  # the page lists the newest first
    for entry, (label, actor, state) in zip(shown, EXPECTED_HISTORY, strict=True):
        expect(entry.locator(".badge")).to_have_text(label)
        expect(entry).to_contain_text(actor)
        if state:
            expect(entry.locator("strong")).to_have_text(state)
    l1.shot("closed-history")


def assert_stored_as_closed(number: str) -> None:
    ticket = Ticket.objects.select_related("close_code").get(number=number)
    assert ticket.status == Ticket.Status.CLOSED
    assert ticket.close_code.name == "Solved (Permanently)"
    assert ticket.priority == Ticket.Priority.MEDIUM
    actions = list(ticket.events.order_by("created_at", "pk").values_list("action", flat=True))
    Action = TicketEvent.Action
    assert actions == [
        Action.CREATE,
        Action.ASSIGN,
        Action.PICK_UP,
        Action.RESOLVE,
        Action.PICK_UP,
        Action.CLOSE,
    ]


def test_l1_and_l2_agents_walk_an_incident_from_create_to_close(open_agent, mailoutbox):
    l1 = open_agent("l1.agent")
    number = create_incident(l1)
    assign_to_l2_indosat(l1, number)

    l2 = open_agent("l2.indosat")
    pick_up_from_group_queue(l2, number, state="Assigned")
    expect(state_badge(l2.page)).to_have_text("In Progress")
    expect(l2.page.locator("[data-static=state]")).to_have_text("In Progress")
    l2.shot("picked-up")
    watch_and_comment(l2, number, mailoutbox)
    resolve(l2, number)

    pick_up_from_group_queue(l1, number, state="Resolved")
    expect(state_badge(l1.page)).to_have_text("Resolved")
    l1.shot("picked-up-resolved")
    close(l1, number)
    assert_read_only(l1.page)
    assert_history_shows_every_step(l1)

    assert_stored_as_closed(number)
    assert l1.errors == [] and l2.errors == [], "the browser reported errors"
