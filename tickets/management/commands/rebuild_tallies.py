from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from tickets import tallies


class Command(BaseCommand):
    help = _("Recount the ticket tallies from the tickets (after a change made outside ESTIM).")

    def handle(self, *args, **options):
        tallies.rebuild()
        self.stdout.write(self.style.SUCCESS(_("Tallies recounted.")))
