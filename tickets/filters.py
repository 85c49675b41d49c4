"""The Data Filter of the queues: plain query parameters, so a filtered list can be bookmarked."""

from __future__ import annotations

import copy
import datetime

import django_filters
from django import forms
from django.db.models import Case, CharField, F, IntegerField, OrderBy, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import reference
from accounts.models import AssignmentGroup, User
from taxonomy.models import Category

from . import prepared, search_words
from .forms.common import EMPTY, CopiesFieldsQuickly, ReadyChoices
from .models import ContactType, Priority, Ticket
from .validators import ascii_digits

LEVEL_FILTERS = ("category", "sub_category", "item_category", "item_name")

# The states in the workflow's order (New, Assigned, In Progress, ... Closed), for sorting.
STATE_ORDER = Case(
    *(When(status=status, then=Value(position)) for position, status in enumerate(Ticket.Status)),
    output_field=IntegerField(),
)

# Each sort parameter's columns in ascending order, as the list shows them; "-" before the
# parameter reverses them all.
SORTABLE: dict[str, tuple[OrderBy, ...]] = {
    "number": (F("number").asc(),),
    "short_description": (F("short_description").asc(),),
    "state": (STATE_ORDER.asc(),),
    "group": (F("assignment_group__name").asc(),),
    # The name as shown ("Ayu Lestari"), by last name then first name; the login breaks ties.
    "opened_by": (
        F("opened_by__last_name").asc(),
        F("opened_by__first_name").asc(),
        F("opened_by__username").asc(),
    ),
    # Ascending reads Low to Critical (the stored values run from Critical, 1, to Low, 4).
    "priority": (F("priority").desc(),),
    "opened": (F("opened_at").asc(),),
}


def _choice_rows():
    """Rows (kind, pk, name, first name, last name, level, order) of every category ("c"),
    group ("g") and active agent in a group ("u"): one round trip for the Data Filter."""
    blank = Value("", output_field=CharField())
    zero = Value(0, output_field=IntegerField())
    columns = ("kind", "pk", "name", "first", "last", "lvl", "pos")
    categories = Category.objects.annotate(
        kind=Value("c", output_field=CharField()),
        first=blank,
        last=blank,
        lvl=F("level"),
        pos=F("order"),
    ).values_list(*columns)
    groups = AssignmentGroup.objects.annotate(
        kind=Value("g", output_field=CharField()), first=blank, last=blank, lvl=zero, pos=zero
    ).values_list(*columns)
    members = AssignmentGroup.members.through.objects.values("user_id")
    agents = (
        User.objects.filter(is_active=True, pk__in=members)
        .annotate(
            kind=Value("u", output_field=CharField()),
            name=F("username"),
            first=F("first_name"),
            last=F("last_name"),
            lvl=zero,
            pos=zero,
        )
        .values_list(*columns)
    )
    # Ordered by the database, so names sort by its collation as everywhere else: categories
    # by level, order and name; groups by name; agents by first name, then username.
    return (
        categories.order_by()
        .union(groups.order_by(), agents.order_by(), all=True)
        .order_by("kind", "lvl", "pos", "first", "name", "pk")
    )


def _filter_choices() -> dict[str, ReadyChoices]:
    """Each choice filter's options, from one query."""
    by_level: dict[int, list[tuple[int, str]]] = {1: [], 2: [], 3: [], 4: []}
    groups, agents = [], []
    for kind, pk, name, first, last, level, _order in prepared.rows("filter choices", _choice_rows):
        if kind == "c":
            by_level[level].append((pk, name))
        elif kind == "g":
            groups.append((pk, name))
        else:
            agents.append((pk, f"{first} {last}".strip() or name))
    options = {name: by_level[level] for level, name in enumerate(LEVEL_FILTERS, start=1)}
    options |= {"group": groups, "assigned_to": agents}
    # Shared by the pages that show them, so each select's options are drawn once.
    return {name: ReadyChoices([EMPTY, *choices]) for name, choices in options.items()}


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class TicketFilter(django_filters.FilterSet):
    number = django_filters.CharFilter(label=_("Number"), method="filter_number")
    text = django_filters.CharFilter(
        label=_("Short description contains"),
        field_name="short_description",
        method="filter_text",
        max_length=160,  # (a short description's length)
    )
    state = django_filters.ChoiceFilter(
        label=_("State"), field_name="status", choices=Ticket.Status.choices
    )
    category = django_filters.TypedChoiceFilter(
        label=_("Category"), field_name="category_id", coerce=int
    )
    sub_category = django_filters.TypedChoiceFilter(
        label=_("Sub Category"), field_name="sub_category_id", coerce=int
    )
    item_category = django_filters.TypedChoiceFilter(
        label=_("Item Category"), field_name="item_category_id", coerce=int
    )
    item_name = django_filters.TypedChoiceFilter(
        label=_("Item Name"), field_name="item_name_id", coerce=int
    )
    priority = django_filters.TypedChoiceFilter(
        label=_("Priority"), choices=Priority.choices, coerce=int
    )
    group = django_filters.TypedChoiceFilter(
        label=_("Assignment Group"), field_name="assignment_group_id", coerce=int
    )
    assigned_to = django_filters.TypedChoiceFilter(
        label=_("Assigned To"), field_name="assigned_to_id", coerce=int
    )
    contact_type = django_filters.ChoiceFilter(label=_("Contact Type"), choices=ContactType.choices)
    opened_from = django_filters.DateFilter(
        label=_("Opened from"),
        method="filter_opened_from",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    opened_to = django_filters.DateFilter(
        label=_("Opened to"),
        method="filter_opened_to",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    requester = django_filters.CharFilter(
        label=_("Requester, company, NIB or NIK"), method="filter_requester"
    )

    class Meta:
        model = Ticket
        fields: list[str] = []

    CHOICE_FILTERS = (*LEVEL_FILTERS, "group", "assigned_to")

    def __init__(self, data=None, *args, show: bool = False, **kwargs):
        # A query string that sets no filter (only a page or a sort) filters nothing: the
        # form and its fields are then not even built, unless the panel is shown.
        if data is not None and not any(data.get(name) for name in self.base_filters):
            data = None
        super().__init__(data, *args, **kwargs)
        # The choices cost three queries and a few hundred options: load them only when the
        # panel is shown or a value of one of those filters has to be checked.
        self.is_shown = show or self.is_filtering()
        if self.is_shown or any(self.data.get(name) for name in self.CHOICE_FILTERS):
            self._load_choices()
        if self.is_shown or self.is_bound:
            self.form.fields["priority"].choices = [("", "---------"), *Priority.choices]

    @classmethod
    def get_form_class(cls):
        """The form of the filters, built once: django-filter would build a new form class,
        and a new field for each filter, on every page; each form copies the fields quickly
        (forms/common.py)."""
        if "_form_class" not in cls.__dict__:
            filters = copy.deepcopy(cls.base_filters)  # (a filter keeps the field it makes)
            cls._form_class = type(
                f"{cls.__name__}Form",
                (CopiesFieldsQuickly, cls._meta.form),
                {name: filter_.field for name, filter_ in filters.items()},
            )
        return cls._form_class

    # Filters whose SQL is the same whatever their value: a column equal to it.
    EXACT_FILTERS = ("state", *LEVEL_FILTERS, "priority", "group", "assigned_to", "contact_type")

    def exact_values(self) -> dict[str, object] | None:
        """The filters set, as {column: value}, when every one is an exact match (a state, a
        category, a group); None when another filter is set or a value is not valid."""
        if not self.is_bound or self.errors:
            return None
        chosen = {name: value for name, value in self.values().items() if value not in (None, "")}
        if any(name not in self.EXACT_FILTERS for name in chosen):
            return None
        return {self.filters[name].field_name: value for name, value in chosen.items()}

    def values(self) -> dict:
        """The valid filter values (none when the query string sets no filter)."""
        return getattr(self.form, "cleaned_data", {}) if self.is_bound else {}

    def is_filtering(self) -> bool:
        """Whether the query string sets any filter."""
        return any(self.data.get(name) for name in self.filters)

    def _load_choices(self):
        """The choices of the taxonomy levels, the groups and the agents: one query, kept
        between requests while the reference data is unchanged (accounts/reference.py)."""
        for name, choices in reference.kept("filter choices", _filter_choices).items():
            self.form.fields[name].choices = choices

    def filter_number(self, queryset, name, value):
        """A whole number, its beginning (INC-2026-), or only its digits as agents say it
        ("135018" or "2026-135018"), each looked up on the number's index."""
        value = value.strip().upper()
        if not value:
            return queryset
        if len(value) >= 15:
            return queryset.filter(number=value)
        if value.startswith("INC"):
            return queryset.filter(number__startswith=value)
        digits = value
        if ascii_digits(digits, 1, 6):
            this_year = timezone.localdate().year
            return queryset.filter(
                number__in=[
                    f"INC-{year}-{int(digits):06d}" for year in range(this_year - 4, this_year + 1)
                ]
            )
        year, dash, serial = digits.partition("-")
        if dash and ascii_digits(year, 4) and ascii_digits(serial, 1, 6):
            return queryset.filter(number=f"INC-{year}-{int(serial):06d}")
        return queryset.filter(number__startswith=value)

    def filter_opened_from(self, queryset, name, value):
        if value <= datetime.date.min:
            return queryset
        return queryset.filter(opened_at__gte=_day_start(value))

    def filter_opened_to(self, queryset, name, value):
        if value >= datetime.date.max:
            return queryset
        return queryset.filter(opened_at__lt=_day_start(value + datetime.timedelta(days=1)))

    def filter_text(self, queryset, name, value):
        """Each word of the value, anywhere in the short description (tickets/search_words.py);
        a value of punctuation alone, as it is."""
        for word in search_words.words(value) or [value]:
            queryset = queryset.filter(short_description__icontains=word)
        return queryset

    def filter_requester(self, queryset, name, value):
        """Digits look up NIB or NIK exactly, an address the e-mail, anything else the names.

        Each form uses its own index (or one scan for names), never all of them at once.
        """
        value = value.strip()
        if not value:
            return queryset
        if value.isdigit():
            return queryset.filter(Q(nib=value) | Q(nik=value))
        if "@" in value:
            return queryset.filter(email__iexact=value)
        return queryset.filter(Q(requested_by__icontains=value) | Q(company_name__icontains=value))


class _QuickCopies(dict):
    """A FilterSet's base_filters, which every FilterSet deep-copies on creation (a list page
    spent a third of a millisecond there, copying widgets and choices no filter changes).
    Each filter is copied with its own extra arguments and its method bound to the copy;
    what they share (widgets, choices) is only read."""

    def __deepcopy__(self, memo):
        copies = {}
        for name, prototype in self.items():
            filter_ = copy.copy(prototype)
            filter_.extra = dict(prototype.extra)
            if prototype.method is not None:
                filter_.method = prototype.method  # (a FilterMethod of the copy's own)
            copies[name] = filter_
        return copies


TicketFilter.base_filters = _QuickCopies(TicketFilter.base_filters)


def ordering_for(sort: str) -> tuple[str | OrderBy, ...]:
    """The order_by of a sort parameter such as "priority" or "-opened"; newest first by default.

    The id comes last, in the direction of the column before it: paging needs a unique key
    (tickets/paging.py), and an index such as (priority, id) then serves the order both ways.
    """
    columns = SORTABLE.get(sort.lstrip("-"))
    if columns is None:
        return ("-opened_at", "-id")
    columns = tuple(column.copy() for column in columns)
    if sort.startswith("-"):
        columns = tuple(column.reverse_ordering() for column in columns)
    return (*columns, "-id" if columns[-1].descending else "id")
