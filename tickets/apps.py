from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_delete
from django.utils.translation import gettext_lazy as _


class TicketsConfig(AppConfig):
    name = "tickets"
    verbose_name = _("Incidents")

    def ready(self):
        from . import reference_triggers, search_words

        # A migration that rebuilds a watched table drops its triggers; put them back.
        post_migrate.connect(
            reference_triggers.reinstall_after_migrate, sender=self, dispatch_uid="reference"
        )
        post_migrate.connect(
            search_words.reinstall_after_migrate, sender=self, dispatch_uid="search words"
        )
        pre_delete.connect(
            search_words.lock_before_delete, sender=self.get_model("Ticket"), dispatch_uid="words"
        )
