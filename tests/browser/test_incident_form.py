"""Create New's scripts (static/js/incident-form.js) in a real browser, under the server's
Content-Security-Policy: priority, cascading categories, the requester look-up, templates
that never overwrite what the agent typed, and the Assignment Group picker with its members.

Each test loads the form once and walks several behaviours in sequence, asserting each.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from accounts.models import AssignmentGroup, User
from taxonomy.models import Category
from tests.factories import TicketFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GROUPS_A_TO_Z = ["Helpcenter L1 BKPM", "L2 BKPM", "L2 INDOSAT", "Service Desk Pusat"]


def open_form(agent) -> Page:
    page = agent.page
    page.goto("/incidents/new/")
    expect(page.get_by_role("heading", name="Create New Incident")).to_be_visible()
    page.wait_for_load_state("load")  # the scripts at the end of the body have run
    return page


def level(page: Page, name: str):
    """A taxonomy select by the name a screen reader reads ("Category (required)")."""
    return page.get_by_role("combobox", name=re.compile(rf"^{name}( \(required\))?$"))


def chosen(select) -> str:
    """The text of a select's chosen option."""
    return select.evaluate("s => s.selectedIndex < 0 ? '' : s.options[s.selectedIndex].text")


def options(select):
    """A select's options other than the blank one."""
    return select.locator("option:not([value=''])")


def test_priority_categories_and_requester_look_up(open_agent):
    TicketFactory(
        category=Category.objects.get(name="TEKNOLOGI INFORMASI", parent=None),
        opened_by=User.objects.get(username="l1.agent2"),
        assignment_group=AssignmentGroup.objects.get(name="Helpcenter L1 BKPM"),
        requested_by="Rina Investor",
        company_name="PT Maju Bersama",
        phone="+6281234567890",
        nib="1234567890123",
        nik="3171234567890123",
        email="rina@example.co.id",
    )
    agent = open_agent("l1.agent")
    page = open_form(agent)

    priority = page.locator("[data-priority-display]")
    expect(priority).to_have_text("—")
    page.get_by_label("Impact").select_option(label="High")
    page.get_by_label("Urgency").select_option(label="Low")
    expect(priority).to_have_text("Medium")
    page.get_by_label("Urgency").select_option(label="High")
    expect(priority).to_have_text("Critical")

    expect(options(level(page, "Sub Category"))).to_have_count(0)
    level(page, "Category").select_option(label="TEKNOLOGI INFORMASI")
    expect(options(level(page, "Sub Category"))).to_contain_text(["SISTEM OSS", "INTEGRASI"])
    level(page, "Sub Category").select_option(label="SISTEM OSS")
    level(page, "Item Category").select_option(label="LOGIN/HAK AKSES INVESTOR")
    expect(options(level(page, "Item Name"))).to_contain_text(["TIDAK BISA LOGIN"])
    # Another category empties the levels below and offers its own sub categories.
    level(page, "Category").select_option(label="NON TEKNOLOGI INFORMASI")
    expect(options(level(page, "Sub Category"))).to_have_text(["PENANAMAN MODAL"])
    expect(options(level(page, "Item Category"))).to_have_count(0)
    expect(options(level(page, "Item Name"))).to_have_count(0)

    page.get_by_label("Requested By").press_sequentially("rina")
    page.get_by_role("button", name=re.compile("^Rina Investor")).click()
    expect(page.get_by_label("Requested By")).to_have_value("Rina Investor")
    expect(page.get_by_label("Nama Perusahaan")).to_have_value("PT Maju Bersama")
    expect(page.get_by_label("Phone Number")).to_have_value("+6281234567890")
    expect(page.get_by_label("NIB")).to_have_value("1234567890123")
    expect(page.get_by_label("NIK/Passport")).to_have_value("3171234567890123")
    expect(page.get_by_label("Email", exact=True)).to_have_value("rina@example.co.id")
    assert agent.errors == []


def test_template_fills_empty_fields_and_keeps_what_the_agent_typed(open_agent):
    agent = open_agent("l1.agent")
    page = open_form(agent)
    short = page.get_by_role("textbox", name="Short Description (required)")
    short.fill("Investor lupa kata sandi")
    page.get_by_label("Impact").select_option(label="High")
    template = page.get_by_label("Template")
    notice = page.locator("[data-template-kept]")

    template.select_option(label="Tidak bisa login OSS")
    # The empty fields are filled: Medium urgency, e-mail, the template's category path.
    expect(page.get_by_label("Urgency")).to_have_value("2")
    expect(page.get_by_label("Contact Type")).to_have_value("email")
    expect(level(page, "Item Name")).to_have_value(
        str(Category.objects.get(name="TIDAK BISA LOGIN").pk)
    )
    # What the agent typed stays, and the notice names those fields.
    expect(short).to_have_value("Investor lupa kata sandi")
    expect(page.get_by_label("Impact")).to_have_value("1")
    expect(page.locator("[data-priority-display]")).to_have_text("High")
    expect(notice).to_contain_text("Kept what you entered in: Short Description, Impact")
    agent.shot("template-kept")

    # A second template replaces what the first one filled, and still keeps the typed text.
    template.select_option(label="Cek NIK gagal")
    expect(page.get_by_label("Contact Type")).to_have_value("phone")
    expect(level(page, "Item Name")).to_have_value(
        str(Category.objects.get(name="CEK NIK GAGAL").pk)
    )
    expect(short).to_have_value("Investor lupa kata sandi")
    expect(notice).to_have_count(1)

    # The agent may take the template's values after all.
    notice.get_by_role("button", name="Use the template's values instead").click()
    expect(short).to_have_value("Validasi NIK gagal saat registrasi")
    expect(page.get_by_label("Impact")).to_have_value("2")
    expect(page.locator("[data-priority-display]")).to_have_text("Medium")
    expect(notice).to_have_count(0)

    # A category the agent chose is kept too; text a template filled is not the agent's.
    level(page, "Category").select_option(label="NON TEKNOLOGI INFORMASI")
    template.select_option(label="Tidak bisa login OSS")
    expect(short).to_have_value("Pelaku usaha tidak bisa login ke OSS")
    expect(notice).to_contain_text("Kept what you entered in: Category")
    expect(level(page, "Category")).to_have_value(
        str(Category.objects.get(name="NON TEKNOLOGI INFORMASI").pk)
    )
    assert agent.errors == []


def test_group_picker_searches_sorts_and_keeps_the_chosen_group(open_agent):
    agent = open_agent("l1.agent")
    page = open_form(agent)
    group = page.get_by_label("Assignment Group")
    assignee = page.get_by_label("Assigned To")
    search = page.get_by_label("Search group or company")

    expect(options(assignee)).to_have_text(["Ayu Lestari", "Budi Santoso", "Eka Putri"])
    group.select_option(label="L2 BKPM")
    expect(options(assignee)).to_have_text(["Citra Wulandari"])
    assignee.select_option(label="Citra Wulandari")

    # By company: BKPM's groups, Service Desk Pusat too; the vendor's group is left out.
    search.fill("bkpm")
    expect(options(group)).to_have_text(["Helpcenter L1 BKPM", "L2 BKPM", "Service Desk Pusat"])
    page.get_by_role("button", name="A→Z").click()
    expect(options(group)).to_have_text(["Service Desk Pusat", "L2 BKPM", "Helpcenter L1 BKPM"])
    # Nothing found: the chosen group and its assignee stay.
    search.fill("no such group")
    expect(options(group)).to_have_text(["L2 BKPM"])
    assert chosen(group) == "L2 BKPM"
    assert chosen(assignee) == "Citra Wulandari"
    search.fill("")
    expect(options(group)).to_have_text(list(reversed(GROUPS_A_TO_Z)))

    # A single match does not replace the group already chosen, nor clear its assignee.
    search.fill("INDO")
    expect(options(group)).to_have_text(["L2 BKPM", "L2 INDOSAT"])
    assert chosen(group) == "L2 BKPM"
    assert chosen(assignee) == "Citra Wulandari"

    # With no group chosen, a single match is chosen, with its own members.
    group.select_option(value="")
    expect(options(assignee)).to_have_count(0)
    search.fill("indosat")
    expect(group).to_have_value(str(AssignmentGroup.objects.get(name="L2 INDOSAT").pk))
    expect(options(group)).to_have_text(["L2 INDOSAT"])
    expect(options(assignee)).to_have_text(["Dedi Kurniawan"])
    assert chosen(assignee) == "---------"
    assert agent.errors == []
