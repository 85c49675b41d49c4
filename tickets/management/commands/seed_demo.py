import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from accounts.demo import DEMO_PASSWORD, seed_organisation


class Command(BaseCommand):
    help = _(
        "Create the demo groups and agents (safe to run again) and print their logins; "
        "with --incidents N, also add N realistic incidents."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--password", default=DEMO_PASSWORD, help=_("Password for every demo account.")
        )
        parser.add_argument(
            "--incidents", type=int, default=0, help=_("How many demo incidents to add.")
        )
        parser.add_argument(
            "--agents", type=int, default=300, help=_("How many extra demo agents to have.")
        )
        parser.add_argument(
            "--top-up",
            action="store_true",
            help=_(
                "With --incidents N, add only what it takes to have N incidents in all, so "
                "running it again adds none (make run does this)."
            ),
        )

    def handle(self, *args, **options):
        logins = seed_organisation(options["password"])
        count = options["incidents"]
        if count < 0:
            raise CommandError(_("--incidents must be 0 or more."))
        if options["top_up"]:
            from tickets.models import Ticket

            count = max(count - Ticket.objects.count(), 0)
        if count:
            from tickets.demo_data import generate

            started = time.monotonic()

            def progress(done):
                rate = done / max(time.monotonic() - started, 0.001)
                self.stdout.write(f"  {done:,} / {count:,} incidents ({rate:,.0f}/s)")

            generate(count, agents=options["agents"], progress=progress)
            self.stdout.write(
                self.style.SUCCESS(
                    _("Added %(n)s incidents in %(s).0f s.")
                    % {"n": f"{count:,}", "s": time.monotonic() - started}
                )
            )
        self.stdout.write(self.style.SUCCESS(_("Demo accounts (login / password / groups):")))
        width = max(len(login) for login, _pw, _g in logins)
        for login, password, groups in logins:
            self.stdout.write(f"  {login.ljust(width)}  {password}  {groups}")
