from django.db import models
from django.utils.translation import gettext_lazy as _


class ReferralStatus(models.TextChoices):
    PENDING = "pending", _("Pending")  # 待接收
    ACCEPTED = "accepted", _("Accepted")  # 已接收
    RETURNED = "returned", _("Returned")  # 已退回


class TransferStatus(models.TextChoices):
    PENDING = "pending", _("Pending")  # 待处理
    APPROVED = "approved", _("Approved")  # 已同意
    DECLINED = "declined", _("Declined")  # 已拒绝


class ReferralDecision(models.TextChoices):
    """What the receiving station (or, for a department, the sender recording its answer)
    decides."""

    ACCEPT = "accept", _("Accept")  # 接收
    RETURN = "return", _("Return")  # 退回


class TransferDecision(models.TextChoices):
    APPROVE = "approve", _("Approve")  # 同意转移
    DECLINE = "decline", _("Decline")  # 拒绝
