from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wushe.core.models import ScopedManager


class Action(models.TextChoices):
    CREATE = "create", _("Create")  # 新增
    UPDATE = "update", _("Update")  # 修改
    DELETE = "delete", _("Delete")  # 删除
    VIEW = "view", _("View")  # 查看
    EXPORT = "export", _("Export")  # 导出
    LOGIN = "login", _("Login")  # 登录
    LOGIN_FAILED = "login_failed", _("Failed login")  # 登录失败
    LOGOUT = "logout", _("Logout")  # 退出


class AuditEntry(models.Model):
    """审计日志条目: one append-only record of who did what to which object, when, from where.

    ``prev_hash`` is the ``entry_hash`` of the entry before it and ``entry_hash`` covers this
    entry's fields and ``prev_hash``, so altering or removing an entry breaks the chain
    (``wushe audit verify``). ``region_code`` is the region of the object (or of the actor, for
    logins), so auditors browse their own subtree with the same range filter as everything else.
    """

    seq = models.PositiveBigIntegerField(_("sequence"), unique=True)
    at = models.DateTimeField(_("time"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_name = models.CharField(_("actor name"), max_length=150)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    object_type = models.CharField(_("object type"), max_length=60, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    region_code = models.CharField(_("region code"), max_length=12, blank=True)
    ip = models.GenericIPAddressField(_("address"), null=True, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    success = models.BooleanField(_("succeeded"), default=True)
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    entry_hash = models.CharField(_("hash"), max_length=64)

    scope_field = "region_code"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("audit entry")  # 审计日志
        verbose_name_plural = _("audit log")
        ordering = ["-seq"]
        indexes = [
            models.Index(fields=["region_code", "seq"], name="audit_region_seq"),
            models.Index(fields=["object_type", "object_id"], name="audit_object"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.actor_name} {self.action} {self.object_repr}"


class AuditHead(models.Model):
    """The tip of the chain (one row): locked while appending, so entries form one sequence,
    and compared by ``verify`` so that removing the newest entries is noticed too."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.PositiveBigIntegerField(default=0)
    entry_hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        verbose_name = _("audit chain head")

    def __str__(self) -> str:
        return f"#{self.seq} {self.entry_hash[:12]}"
