"""The demo organisation: the guide's companies, groups and one or two agents in each."""

from django.db import transaction
from django.utils.translation import gettext as _

from .models import AssignmentGroup, Company, User

DEMO_PASSWORD = "estim-demo-2026"

COMPANIES = {"BKPM": False, "INDOSAT": True}

# name: (company, is_l1, description)
GROUPS = {
    "Helpcenter L1 BKPM": ("BKPM", True, "First line: records, triages and closes incidents"),
    "L2 BKPM": ("BKPM", False, "Second line at the ministry"),
    "L2 INDOSAT": ("INDOSAT", False, "Second line at the outsourced vendor"),
    "Service Desk Pusat": ("BKPM", False, "Central service desk"),
}

# username: (first name, last name, groups, is_admin)
USERS = {
    "admin": ("Admin", "ESTIM", [], True),
    "l1.agent": ("Ayu", "Lestari", ["Helpcenter L1 BKPM"], False),
    "l1.agent2": ("Budi", "Santoso", ["Helpcenter L1 BKPM"], False),
    "l2.bkpm": ("Citra", "Wulandari", ["L2 BKPM"], False),
    "l2.indosat": ("Dedi", "Kurniawan", ["L2 INDOSAT"], False),
    "servicedesk": ("Eka", "Putri", ["Service Desk Pusat", "Helpcenter L1 BKPM"], False),
}


@transaction.atomic
def seed_organisation(password: str = DEMO_PASSWORD) -> list[tuple[str, str, str]]:
    """Create or refresh the demo companies, groups and users; return (login, password, groups)."""
    companies = {
        name: Company.objects.update_or_create(name=name, defaults={"is_vendor": is_vendor})[0]
        for name, is_vendor in COMPANIES.items()
    }
    groups = {
        name: AssignmentGroup.objects.update_or_create(
            name=name,
            defaults={
                "company": companies[company],
                "is_l1": is_l1,
                "is_active": True,
                "description": description,
            },
        )[0]
        for name, (company, is_l1, description) in GROUPS.items()
    }
    logins = []
    for username, (first, last, group_names, is_admin) in USERS.items():
        user, _created = User.objects.update_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@estim.localhost",
                "is_staff": is_admin,
                "is_superuser": is_admin,
                "is_active": True,
                "current_group": groups[group_names[0]] if group_names else None,
            },
        )
        if not user.check_password(password):
            user.set_password(password)
            user.save(update_fields=["password"])
        user.assignment_groups.set([groups[name] for name in group_names])
        logins.append((username, password, ", ".join(group_names) or _("superuser, Django admin")))
    return logins
