"""People, the companies they work for, and the assignment groups that hold tickets."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class NaturalNameManager(models.Manager):
    def get_by_natural_key(self, name):
        return self.get(name=name)


class Company(models.Model):
    """A company whose staff work in assignment groups: the ministry itself, or a vendor."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    # Staff of the helpdesk's own organisation see every incident; a vendor's staff only see
    # what their groups hold or held.
    is_vendor = models.BooleanField(_("is a vendor"), default=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = NaturalNameManager()

    class Meta:
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.name,)


class AssignmentGroup(models.Model):
    """A team that tickets are assigned to, e.g. Helpcenter L1 BKPM or L2 INDOSAT."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    company = models.ForeignKey(
        Company, on_delete=models.PROTECT, related_name="groups", verbose_name=_("company")
    )
    # First-line groups triage, verify resolutions and are the only ones who close tickets.
    is_l1 = models.BooleanField(_("first line (may close tickets)"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    description = models.CharField(_("description"), max_length=255, blank=True)
    members = models.ManyToManyField(
        "accounts.User",
        related_name="assignment_groups",
        blank=True,
        verbose_name=_("members"),
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = NaturalNameManager()

    class Meta:
        verbose_name = _("assignment group")
        verbose_name_plural = _("assignment groups")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.name,)


class User(AbstractUser):
    """A person who logs in: an agent, an admin or an operator."""

    # The group shown in the header and used as "Opened By" group on new tickets.
    current_group = models.ForeignKey(
        AssignmentGroup,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("current group"),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.get_full_name() or self.username

    @property
    def is_admin(self) -> bool:
        """An admin may do every action on every ticket."""
        return self.is_superuser

    def active_groups(self) -> list[AssignmentGroup]:
        """The active groups this user belongs to, with their companies; one query, cached."""
        if not hasattr(self, "_active_groups"):
            self._active_groups = list(
                self.assignment_groups.filter(is_active=True)
                .select_related("company")
                .order_by("-is_l1", "name")
            )
        return self._active_groups

    def set_active_groups(self, groups: list[AssignmentGroup]) -> None:
        """The active groups, already loaded in the order active_groups() gives them (the
        login backend reads them with the user)."""
        self._active_groups = list(groups)

    def group_ids(self) -> set[int]:
        return {group.pk for group in self.active_groups()}

    def is_l1(self) -> bool:
        """Whether the user belongs to a first-line group."""
        return any(group.is_l1 for group in self.active_groups())

    def sees_all_incidents(self) -> bool:
        """Admins and staff of the helpdesk's own companies see every incident; a vendor's
        staff see only what their groups hold or held."""
        return self.is_superuser or any(
            not group.company.is_vendor for group in self.active_groups()
        )

    def home_group(self) -> AssignmentGroup | None:
        """The current group if still a member of it, else the first of the user's groups."""
        groups = self.active_groups()
        for group in groups:
            if group.pk == self.current_group_id:
                return group
        return groups[0] if groups else None


class ReferenceVersion(models.Model):
    """The version of the reference data the pages' selects show: the taxonomy, the pick
    lists, the groups, their members and the people's names (accounts/reference.py).

    One row. Database triggers (tickets migration 0011) give it a new random number on every
    change to those tables, however it is made: the admin, a fixture, an import, plain SQL.
    """

    number = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("reference data version")

    def __str__(self):
        return str(self.number)
