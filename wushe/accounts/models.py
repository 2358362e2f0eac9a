from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from wushe.core.models import ScopedQuerySet
from wushe.regions import codes
from wushe.regions.codes import Level


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")  # 民政管理员 (province, city or county)
    MANAGER = "manager", _("Station manager")  # 社工站站长
    WORKER = "worker", _("Social worker")  # 社会工作者
    AUDITOR = "auditor", _("Auditor")  # 审计员 (read-only)
    # 志愿者: signs in only to see and answer their own tasks. Confined to the volunteer pages
    # (accounts/middleware.py) and given nothing by visible_to(), so no staff page, API list,
    # export or count can show a volunteer anyone's file.
    VOLUNTEER = "volunteer", _("Volunteer")


# Higher may create lower; an auditor reads everything in scope but writes nothing.
ROLE_RANK = {Role.VOLUNTEER: -1, Role.AUDITOR: 0, Role.WORKER: 1, Role.MANAGER: 2, Role.ADMIN: 3}

# The region levels a role may belong to.
ROLE_LEVELS = {
    Role.ADMIN: (Level.COUNTRY, Level.PROVINCE, Level.CITY, Level.COUNTY),
    Role.MANAGER: (Level.CITY, Level.COUNTY, Level.TOWNSHIP),
    Role.WORKER: (Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE),
    Role.AUDITOR: tuple(Level),
    Role.VOLUNTEER: (Level.TOWNSHIP, Level.VILLAGE),
}


class ScopedUserManager(UserManager.from_queryset(ScopedQuerySet)):
    pass


class User(AbstractUser):
    """用户: a person who signs in, belonging to one region node with one role.

    Everything the user can see is the subtree of that region.
    """

    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        db_column="region_code",
        related_name="users",
        null=True,
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.AUDITOR)
    full_name = models.CharField(_("full name"), max_length=100, blank=True)

    scope_field = "region_id"
    objects = ScopedUserManager()

    class Meta:
        verbose_name = _("user")  # 用户
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def scope_range(self) -> tuple[str, str]:
        return codes.subtree_range(self.region_id, self.region.level)

    def can_see_code(self, code: str) -> bool:
        if self.is_volunteer:
            return False
        return bool(self.region_id) and self.region.contains(code)

    @property
    def is_volunteer(self) -> bool:
        return self.role == Role.VOLUNTEER

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def can_edit_sites(self) -> bool:
        return self.role in (Role.ADMIN, Role.MANAGER)

    @property
    def can_read_audit(self) -> bool:
        return self.role in (Role.ADMIN, Role.AUDITOR)
