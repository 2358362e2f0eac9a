from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "wushe.referrals"
    label = "referrals"
    verbose_name = _("Referrals and transfers")  # 转介与档案转移
