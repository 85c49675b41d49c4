from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from accounts.demo import DEMO_PASSWORD, seed_organisation


class Command(BaseCommand):
    help = _("Create the demo groups and agents (safe to run again) and print their logins.")

    def add_arguments(self, parser):
        parser.add_argument(
            "--password", default=DEMO_PASSWORD, help=_("Password for every demo account.")
        )

    def handle(self, *args, **options):
        logins = seed_organisation(options["password"])
        self.stdout.write(self.style.SUCCESS(_("Demo accounts (login / password / groups):")))
        width = max(len(login) for login, _pw, _g in logins)
        for login, password, groups in logins:
            self.stdout.write(f"  {login.ljust(width)}  {password}  {groups}")
