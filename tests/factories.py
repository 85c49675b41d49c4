"""factory-boy factories: each builds the smallest valid object."""

import factory
from django.utils import timezone

from accounts.models import AssignmentGroup, Company, User
from taxonomy.models import Category
from tickets import tallies
from tickets.models import (
    CloseCode,
    GroupHolding,
    Note,
    Ticket,
    TicketEvent,
    Vendor,
    compute_priority,
)


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company
        django_get_or_create = ("name",)

    name = "BKPM"
    is_vendor = False


class AssignmentGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AssignmentGroup

    name = factory.Sequence(lambda n: f"Group {n}")
    company = factory.SubFactory(CompanyFactory)
    is_l1 = False


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"agent{n}")
    first_name = factory.Sequence(lambda n: f"Agent {n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.django.Password("secret-pass-123")

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create and extracted:
            self.assignment_groups.set(extracted)


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    name = factory.Sequence(lambda n: f"CATEGORY {n}")
    parent = None


class CloseCodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CloseCode
        django_get_or_create = ("name",)

    name = "Solved (Permanently)"


class VendorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vendor
        django_get_or_create = ("name",)

    name = "INDOSAT"


class TicketFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ticket
        skip_postgeneration_save = True

    number = factory.Sequence(lambda n: f"INC-2000-{n:06d}")
    short_description = "Tidak bisa login"
    category = factory.SubFactory(CategoryFactory)
    contact_type = Ticket.ContactType.EMAIL
    impact = Ticket.Impact.MEDIUM
    urgency = Ticket.Urgency.MEDIUM
    priority = factory.LazyAttribute(lambda t: compute_priority(t.impact, t.urgency))
    opened_at = factory.LazyFunction(timezone.now)
    opened_by = factory.SubFactory(UserFactory)
    assignment_group = factory.SubFactory(AssignmentGroupFactory)
    status = Ticket.Status.NEW
    resolution = factory.LazyAttribute(
        lambda t: "Fixed" if t.status in (Ticket.Status.RESOLVED, Ticket.Status.CLOSED) else ""
    )
    close_code = factory.LazyAttribute(
        lambda t: CloseCodeFactory() if t.status == Ticket.Status.CLOSED else None
    )
    closed_at = factory.LazyAttribute(
        lambda t: timezone.now() if t.status == Ticket.Status.CLOSED else None
    )

    @factory.post_generation
    def tally(self, create, extracted, **kwargs):
        # The workflow counts every ticket it writes; a factory-made ticket is counted here.
        if create:
            tallies.move(None, tallies.key_of(self))
            GroupHolding.objects.get_or_create(ticket=self, group=self.assignment_group)
            tallies.move_held(self, None, tallies.key_of(self), new_holder=self.assignment_group_id)


class NoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Note

    ticket = factory.SubFactory(TicketFactory)
    visibility = Note.Visibility.WORK_NOTE
    body = "Checked the account."
    author = factory.SubFactory(UserFactory)


class TicketEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TicketEvent

    ticket = factory.SubFactory(TicketFactory)
    action = TicketEvent.Action.UPDATE
    to_status = Ticket.Status.NEW
    actor = factory.SubFactory(UserFactory)
