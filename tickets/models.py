"""Incident tickets, their notes, attachments and history, and the lists agents pick from.

No workflow lives here: every change of a ticket's state goes through tickets/workflow.py.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .querysets import TicketQuerySet
from .search_words import BLOCK


class NamedItemManager(models.Manager):
    def get_by_natural_key(self, name):
        return self.get(name=name)

    def active(self):
        return self.filter(is_active=True)


class NamedItem(models.Model):
    """An entry of an admin-editable pick list."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = NamedItemManager()

    class Meta:
        abstract = True
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.name,)


class CloseCode(NamedItem):
    """A reason a ticket was closed, e.g. Solved (Permanently)."""

    class Meta(NamedItem.Meta):
        verbose_name = _("close code")
        verbose_name_plural = _("close codes")


class IncidentType(NamedItem):
    """A kind of incident, e.g. Gangguan or Permintaan Informasi."""

    class Meta(NamedItem.Meta):
        verbose_name = _("incident type")
        verbose_name_plural = _("incident types")


class Location(NamedItem):
    """A place a complaint comes from or concerns, e.g. a regional office."""

    class Meta(NamedItem.Meta):
        verbose_name = _("location")
        verbose_name_plural = _("locations")


class Vendor(NamedItem):
    """A third party a ticket can wait on (Third Party action)."""

    class Meta(NamedItem.Meta):
        verbose_name = _("vendor")
        verbose_name_plural = _("vendors")


class Impact(models.IntegerChoices):
    HIGH = 1, _("High")
    MEDIUM = 2, _("Medium")
    LOW = 3, _("Low")


# Urgency uses the same three grades as impact.
Urgency = Impact


class Priority(models.IntegerChoices):
    CRITICAL = 1, _("Critical")
    HIGH = 2, _("High")
    MEDIUM = 3, _("Medium")
    LOW = 4, _("Low")


PRIORITY_MATRIX = {
    (Impact.HIGH, Impact.HIGH): Priority.CRITICAL,
    (Impact.HIGH, Impact.MEDIUM): Priority.HIGH,
    (Impact.HIGH, Impact.LOW): Priority.MEDIUM,
    (Impact.MEDIUM, Impact.HIGH): Priority.HIGH,
    (Impact.MEDIUM, Impact.MEDIUM): Priority.MEDIUM,
    (Impact.MEDIUM, Impact.LOW): Priority.LOW,
    (Impact.LOW, Impact.HIGH): Priority.MEDIUM,
    (Impact.LOW, Impact.MEDIUM): Priority.LOW,
    (Impact.LOW, Impact.LOW): Priority.LOW,
}


def compute_priority(impact: int, urgency: int) -> Priority:
    """The priority of SPEC.md's matrix for an impact and an urgency."""
    return PRIORITY_MATRIX[(Impact(impact), Impact(urgency))]


class ContactType(models.TextChoices):
    EMAIL = "email", _("Email")
    PHONE = "phone", _("Phone")
    WALK_IN = "walk_in", _("Walk-in")
    CHAT = "chat", _("Chat")
    WEB = "web", _("Web")
    LETTER = "letter", _("Letter")


class Template(NamedItem):
    """A set of values that pre-fills the incident form for a common complaint."""

    short_description = models.CharField(_("short description"), max_length=160, blank=True)
    description = models.TextField(_("description"), blank=True)
    category = models.ForeignKey(
        "taxonomy.Category",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"level": 1},
        verbose_name=_("category"),
    )
    sub_category = models.ForeignKey(
        "taxonomy.Category",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"level": 2},
        verbose_name=_("sub category"),
    )
    item_category = models.ForeignKey(
        "taxonomy.Category",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"level": 3},
        verbose_name=_("item category"),
    )
    item_name = models.ForeignKey(
        "taxonomy.Category",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"level": 4},
        verbose_name=_("item name"),
    )
    incident_type = models.ForeignKey(
        IncidentType, models.PROTECT, null=True, blank=True, verbose_name=_("incident type")
    )
    contact_type = models.CharField(
        _("contact type"), max_length=10, choices=ContactType.choices, blank=True
    )
    impact = models.PositiveSmallIntegerField(
        _("impact"), choices=Impact.choices, null=True, blank=True
    )
    urgency = models.PositiveSmallIntegerField(
        _("urgency"), choices=Impact.choices, null=True, blank=True
    )
    assignment_group = models.ForeignKey(
        "accounts.AssignmentGroup",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assignment group"),
    )

    class Meta(NamedItem.Meta):
        verbose_name = _("template")
        verbose_name_plural = _("templates")

    def clean(self):
        from taxonomy.paths import validate_path

        if self.category_id:
            validate_path(self.category, self.sub_category, self.item_category, self.item_name)


class TicketCounter(models.Model):
    """The last number given to a ticket in one year; locked while a new number is taken."""

    year = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("ticket counter")
        verbose_name_plural = _("ticket counters")

    def __str__(self):
        return f"{self.year}: {self.last}"


class Ticket(models.Model):
    """One incident: a complaint recorded by the helpdesk and worked until it is closed."""

    class Status(models.TextChoices):
        NEW = "new", _("New")
        ASSIGNED = "assigned", _("Assigned")
        IN_PROGRESS = "in_progress", _("In Progress")
        ON_HOLD = "on_hold", _("On Hold")
        RESOLVED = "resolved", _("Resolved")
        REOPENED = "reopened", _("Re-open")
        CANCELLED = "cancelled", _("Cancelled")
        CLOSED = "closed", _("Closed")

    # Statuses in which the ticket still needs work (shown in the open queues and counters).
    OPEN_STATUSES = (
        Status.NEW,
        Status.ASSIGNED,
        Status.IN_PROGRESS,
        Status.ON_HOLD,
        Status.RESOLVED,
        Status.REOPENED,
    )
    # Bootstrap colour of each status badge, in one place.
    STATUS_COLOURS = {
        Status.NEW: "primary",
        Status.ASSIGNED: "info",
        Status.IN_PROGRESS: "warning",
        # Bootstrap has one colour too few for the eight states: On Hold's purple is ours
        # (static/css/estim.css).
        Status.ON_HOLD: "purple",
        Status.RESOLVED: "success",
        Status.REOPENED: "danger",
        Status.CANCELLED: "dark",
        Status.CLOSED: "secondary",
    }

    Impact = Impact
    Urgency = Urgency
    Priority = Priority
    ContactType = ContactType

    number = models.CharField(_("number"), max_length=20, unique=True, editable=False)

    # The requester: a business actor ("pelaku usaha").
    requested_by = models.CharField(_("requested by"), max_length=150, blank=True)
    company_name = models.CharField(_("Nama Perusahaan"), max_length=200, blank=True)
    phone = models.CharField(_("phone number"), max_length=20, blank=True)
    nib = models.CharField(_("NIB"), max_length=13, blank=True, db_index=True)
    nik = models.CharField(_("NIK/Passport"), max_length=16, blank=True, db_index=True)
    email = models.EmailField(_("email"), max_length=254, blank=True)

    category = models.ForeignKey(
        "taxonomy.Category", models.PROTECT, related_name="+", verbose_name=_("category")
    )
    sub_category = models.ForeignKey(
        "taxonomy.Category",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sub category"),
        db_index=False,
    )
    item_category = models.ForeignKey(
        "taxonomy.Category",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("item category"),
    )
    item_name = models.ForeignKey(
        "taxonomy.Category",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("item name"),
    )

    location = models.ForeignKey(
        Location,
        models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("location"),
        db_index=False,
    )
    building = models.CharField(_("building"), max_length=150, blank=True)
    location_description = models.CharField(_("location description"), max_length=255, blank=True)
    short_description = models.CharField(_("short description"), max_length=160)
    description = models.TextField(_("description"), blank=True)

    incident_type = models.ForeignKey(
        IncidentType,
        models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("incident type"),
        db_index=False,
    )
    template = models.ForeignKey(
        Template,
        models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("template"),
        db_index=False,
    )
    opened_at = models.DateTimeField(_("opened"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="+",
        verbose_name=_("opened by"),
        db_index=False,
    )
    opened_by_group = models.ForeignKey(
        "accounts.AssignmentGroup",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("opened by group"),
        db_index=False,
    )
    # When the complaint actually arrived, if it was recorded later; never in the future.
    back_dated = models.DateTimeField(_("back dated"), null=True, blank=True)

    status = models.CharField(
        _("state"), max_length=12, choices=Status.choices, default=Status.NEW, editable=False
    )
    contact_type = models.CharField(_("contact type"), max_length=10, choices=ContactType.choices)
    impact = models.PositiveSmallIntegerField(_("impact"), choices=Impact.choices)
    urgency = models.PositiveSmallIntegerField(_("urgency"), choices=Impact.choices)
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, editable=False
    )

    assignment_group = models.ForeignKey(
        "accounts.AssignmentGroup",
        models.PROTECT,
        related_name="tickets",
        verbose_name=_("assignment group"),
        db_index=False,
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned to"),
        db_index=False,
    )
    vendor = models.ForeignKey(
        Vendor,
        models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("vendor"),
        db_index=False,
    )
    is_vip = models.BooleanField(_("VIP"), default=False)

    hold_reason = models.CharField(_("hold reason"), max_length=255, blank=True)
    cancel_reason = models.CharField(_("cancel reason"), max_length=255, blank=True)

    resolution = models.TextField(_("resolution"), blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by"),
        db_index=False,
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    # The group that resolved the ticket; a re-opened ticket goes back to it.
    resolved_by_group = models.ForeignKey(
        "accounts.AssignmentGroup",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by group"),
        db_index=False,
    )

    close_code = models.ForeignKey(
        CloseCode,
        models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("close code"),
        db_index=False,
    )
    close_notes = models.TextField(_("close notes"), blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
        db_index=False,
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    is_knowledge = models.BooleanField(_("knowledge"), default=False)

    related = models.ManyToManyField(
        "self", blank=True, symmetrical=True, verbose_name=_("related incidents")
    )

    # Raised by every write, so a form saved on an old copy of the ticket is refused.
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TicketQuerySet.as_manager()

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="closed")
                | Q(close_code__isnull=False, closed_at__isnull=False),
                name="ticket_closed_has_close_code",
            ),
            models.CheckConstraint(
                condition=~Q(status="resolved") | ~Q(resolution=""),
                name="ticket_resolved_has_resolution",
            ),
        ]
        # Every index here is planned for each query on this table and updated on each write:
        # foreign keys the lists never filter by carry none (db_index=False), and those the
        # composite indexes below begin with are served by them.
        indexes = [
            # Assigned To My Group: the group's tickets by state, newest first.
            models.Index(
                fields=["assignment_group", "status", "-opened_at"], name="ticket_group_queue_idx"
            ),
            # Assigned To Me, and My Open Ticket. The group and the id last, so that a vendor's
            # check of these few tickets (visible_to(few=True)) reads the index alone.
            models.Index(
                fields=["assigned_to", "status", "-opened_at", "assignment_group", "id"],
                name="ticket_assignee_queue_idx",
            ),
            models.Index(
                fields=["opened_by", "status", "-opened_at", "assignment_group", "id"],
                name="ticket_opener_queue_idx",
            ),
            # Incident Ticket and All Incident sorted by opening time, state filter.
            models.Index(fields=["status", "-opened_at"], name="ticket_status_opened_idx"),
            models.Index(fields=["-opened_at"], name="ticket_opened_idx"),
            # Dashboard: counts by sub category. The Data Filter's sub category (and state)
            # newest first: the page's rows are the index's first entries.
            models.Index(
                fields=["sub_category", "status", "-opened_at", "-id"],
                name="ticket_subcat_status_idx",
            ),
            # Assigned To My Group read page by page: the open tickets of a group in list order,
            # so a page deep in the queue is found by reading this index alone.
            models.Index(
                fields=["assignment_group", "-opened_at", "-id"],
                condition=Q(
                    status__in=["new", "assigned", "in_progress", "on_hold", "resolved", "reopened"]
                ),
                name="ticket_group_open_idx",
            ),
            # My Open Ticket in list order, as above: an agent who opened a thousand tickets
            # still open reads a page's entries, not all of them and a sort. (The group last,
            # for a vendor's check, as in ticket_opener_queue_idx, which serves the rest.)
            models.Index(
                fields=["opened_by", "-opened_at", "-id", "assignment_group"],
                condition=Q(
                    status__in=["new", "assigned", "in_progress", "on_hold", "resolved", "reopened"]
                ),
                name="ticket_opener_open_idx",
            ),
            # Lists sorted by priority (most urgent first, or the reverse), the id breaking ties.
            models.Index(fields=["priority", "id"], name="ticket_priority_idx"),
            # Incident VIP: the few VIP tickets, newest first, without scanning the others.
            models.Index(
                fields=["-opened_at"], condition=Q(is_vip=True), name="ticket_vip_opened_idx"
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.short_description}"

    def validate_constraints(self, exclude=None):
        """Django's check, without trying a constraint on a field left out (the incident form
        has no state, resolution or close code): Django would build a query for each, find
        the field missing and pass the constraint over all the same."""
        left_out = set(exclude or ())
        if left_out and all(
            isinstance(constraint, models.CheckConstraint)
            and isinstance(constraint.condition, Q)
            and constraint.condition.referenced_base_fields & left_out
            for constraint in self._meta.constraints
        ):
            return
        super().validate_constraints(exclude=exclude)

    @property
    def status_colour(self) -> str:
        return self.STATUS_COLOURS[self.status]

    # The labels through the choices' enums: get_FOO_display() rebuilds a dict of all the
    # choices on every call, which adds up over a page of rows.
    @property
    def status_label(self) -> str:
        return Ticket.Status(self.status).label

    @property
    def priority_label(self) -> str:
        return Priority(self.priority).label

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def is_read_only(self) -> bool:
        return self.status in (self.Status.CLOSED, self.Status.CANCELLED)


class Note(models.Model):
    """A work note (internal) or an additional comment (customer visible) on a ticket."""

    class Visibility(models.TextChoices):
        WORK_NOTE = "work_note", _("Work note")
        COMMENT = "comment", _("Additional comment (customer visible)")

    ticket = models.ForeignKey(Ticket, models.CASCADE, related_name="notes")
    visibility = models.CharField(_("visibility"), max_length=10, choices=Visibility.choices)
    body = models.TextField(_("text"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("author")
    )
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        indexes = [models.Index(fields=["ticket", "created_at"], name="note_ticket_time_idx")]

    def __str__(self):
        return f"{self.get_visibility_display()} on {self.ticket_id}"


class WatchListEntry(models.Model):
    """An e-mail address that receives the ticket's customer-visible comments."""

    ticket = models.ForeignKey(Ticket, models.CASCADE, related_name="watch_list")
    email = models.EmailField(_("email"))
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("added by")
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("watch list entry")
        verbose_name_plural = _("watch list")
        constraints = [
            models.UniqueConstraint(fields=["ticket", "email"], name="watch_list_unique_email")
        ]

    def __str__(self):
        return self.email


def attachment_path(instance, filename):
    # Stored under a generated name; the original name is kept in its own column.
    return f"attachments/{instance.ticket_id}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    """A PDF or JPEG file attached to a ticket."""

    ticket = models.ForeignKey(Ticket, models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("uploader")
    )
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.original_name


class GroupHolding(models.Model):
    """A group that holds or has held a ticket; a vendor's staff see the tickets it lists."""

    ticket = models.ForeignKey(Ticket, models.CASCADE, related_name="holdings")
    group = models.ForeignKey("accounts.AssignmentGroup", models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("group holding")
        verbose_name_plural = _("group holdings")
        constraints = [
            models.UniqueConstraint(fields=["group", "ticket"], name="holding_unique_group_ticket")
        ]

    def __str__(self):
        return f"{self.group_id} holds {self.ticket_id}"


class TicketEvent(models.Model):
    """One entry of a ticket's history: an action, who did it, when, and what it changed.

    Append-only. It stores codes and raw values; labels are rendered when it is shown.
    """

    class Action(models.TextChoices):
        CREATE = "create", _("Created")
        UPDATE = "update", _("Updated")
        ASSIGN = "assign", _("Assigned")
        PICK_UP = "pick_up", _("Picked up")
        HOLD = "hold", _("Put on hold")
        THIRD_PARTY = "third_party", _("Sent to third party")
        RESUME = "resume", _("Resumed")
        RESOLVE = "resolve", _("Resolved")
        REOPEN = "reopen", _("Re-opened")
        CANCEL = "cancel", _("Cancelled")
        CLOSE = "close", _("Closed")
        IMPORT = "import", _("Imported")

    ticket = models.ForeignKey(Ticket, models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=12, choices=Action.choices)
    from_status = models.CharField(
        _("from state"), max_length=12, choices=Ticket.Status.choices, blank=True
    )
    to_status = models.CharField(_("to state"), max_length=12, choices=Ticket.Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("by")
    )
    # {"field": [old, new], ...} with raw values (ids, codes), plus action inputs such as a reason.
    data = models.JSONField(_("changes"), default=dict, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("history entry")
        verbose_name_plural = _("history")
        indexes = [models.Index(fields=["ticket", "created_at"], name="event_ticket_time_idx")]

    def __str__(self):
        return f"{self.get_action_display()} {self.ticket_id}"

    @property
    def status_changed(self) -> bool:
        return self.from_status != self.to_status

    # Labels through the enums, not get_FOO_display() (see Ticket.status_label).
    @property
    def action_label(self) -> str:
        return TicketEvent.Action(self.action).label

    @property
    def from_status_label(self) -> str:
        return Ticket.Status(self.from_status).label if self.from_status else ""

    @property
    def to_status_label(self) -> str:
        return Ticket.Status(self.to_status).label


class TicketTally(models.Model):
    """How many tickets share one group, state, sub category and VIP flag.

    Kept up to date in the same transaction as every ticket write (tickets/tallies.py), so
    dashboards and list totals are exact without counting a million rows.
    """

    assignment_group_id = models.BigIntegerField()
    status = models.CharField(max_length=12, choices=Ticket.Status.choices)
    # The sub category's id, or 0 for tickets without one (0 keeps the key unique).
    sub_category_id = models.BigIntegerField(default=0)
    is_vip = models.BooleanField(default=False)
    n = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("ticket tally")
        verbose_name_plural = _("ticket tallies")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment_group_id", "status", "sub_category_id", "is_vip"],
                name="tally_unique_key",
            )
        ]

    def __str__(self):
        return f"{self.assignment_group_id}/{self.status}/{self.sub_category_id}: {self.n}"


class HeldTally(models.Model):
    """How many tickets a group holds or has held, per state and sub category.

    A vendor's staff see exactly these tickets, so their dashboard and totals read this
    instead of counting. Kept by the workflow like TicketTally.
    """

    group_id = models.BigIntegerField()
    status = models.CharField(max_length=12, choices=Ticket.Status.choices)
    # The sub category's id, or 0 for tickets without one.
    sub_category_id = models.BigIntegerField(default=0)
    n = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("held ticket tally")
        verbose_name_plural = _("held ticket tallies")
        constraints = [
            models.UniqueConstraint(
                fields=["group_id", "status", "sub_category_id"], name="held_tally_unique_key"
            )
        ]

    def __str__(self):
        return f"{self.group_id}/{self.status}/{self.sub_category_id}: {self.n}"


class SearchWord(models.Model):
    """A word of some ticket's short description, in upper case (tickets/search_words.py)."""

    # (A text: in upper case a word can be longer than it was, "ß" becoming "SS".)
    word = models.TextField()
    # How many tickets have it now.
    tickets = models.BigIntegerField(default=0)
    # Whether its tickets are kept as bitmaps too (WordBitmap): once it reaches
    # search_words.BITMAP_FROM of them.
    bitmap = models.BooleanField(default=False, db_default=False)

    class Meta:
        verbose_name = _("search word")
        verbose_name_plural = _("search words")
        # (A constraint, not unique=True, which would add a pattern index nothing uses.)
        constraints = [models.UniqueConstraint(fields=["word"], name="search_word_unique")]

    def __str__(self):
        return self.word


class TicketWord(models.Model):
    """One word of one ticket's short description: what a text search counts and lists on
    PostgreSQL, newest first, from the primary key alone.

    Kept by database triggers however a ticket is written (tickets/search_words.py). SQLite
    has the table, left empty: it searches by reading the tickets.
    """

    pk = models.CompositePrimaryKey("word", "opened_at", "ticket")
    # The primary key's first column serves the word's foreign key.
    word = models.ForeignKey(SearchWord, on_delete=models.CASCADE, db_index=False)
    # The ticket's, so that a word's tickets are in the lists' order.
    opened_at = models.DateTimeField()
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE)

    class Meta:
        verbose_name = _("ticket word")
        verbose_name_plural = _("ticket words")

    def __str__(self):
        return f"{self.ticket_id}: {self.word_id}"


class BitsField(models.Field):
    """A bit string of a fixed length on PostgreSQL; elsewhere a blob, never written."""

    def __init__(self, *args, length: int, **kwargs):
        self.length = length
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        return name, path, args, {**kwargs, "length": self.length}

    def db_type(self, connection):
        return f"bit({self.length:d})" if connection.vendor == "postgresql" else "blob"


class WordBitmap(models.Model):
    """Which tickets of one block of ticket ids have a word: bit i of block b stands for the
    ticket with id b * BLOCK + i. Only the words in many tickets have them; a text search of
    several words and-s them (tickets/search_words.py). Kept by database triggers on
    PostgreSQL; SQLite has the table, left empty."""

    pk = models.CompositePrimaryKey("word", "block")
    word = models.ForeignKey(SearchWord, on_delete=models.CASCADE, db_index=False)
    block = models.BigIntegerField()
    bits = BitsField(length=BLOCK)

    class Meta:
        verbose_name = _("word bitmap")
        verbose_name_plural = _("word bitmaps")

    def __str__(self):
        return f"{self.word_id}: {self.block}"
