from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils.translation import gettext as _

from tickets import search_words


class Command(BaseCommand):
    help = _(
        "Read the words of every ticket's short description again, for the text search "
        "(PostgreSQL; after a load that bypassed the database's triggers)."
    )

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            self.stdout.write(_("Nothing to do: only PostgreSQL keeps the tickets' words."))
            return
        with transaction.atomic():
            search_words.refill(connection)
        self.stdout.write(self.style.SUCCESS(_("Words read again.")))
