from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from wushe.regions.codes import Level

# Money and quantities: 14 digits, 2 after the point. The largest value a column holds; a
# balance or stock that would pass it is refused with a message rather than overflowing.
MAX_DIGITS = 14
DECIMAL_PLACES = 2
MAX_VALUE = Decimal("999999999999.99")
CENT = Decimal("0.01")

# Donors, donations, funds and stock belong to a county, a township or a village (the
# receiving community), never to a city or a province.
RECEIVING_LEVELS = (Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE)


class DonorKind(models.TextChoices):
    PERSON = "person", _("Person")  # 个人
    ORGANISATION = "organisation", _("Organisation")  # 单位/组织
    ANONYMOUS = "anonymous", _("Anonymous")  # 匿名


class DonationKind(models.TextChoices):
    MONEY = "money", _("Money")  # 资金
    GOODS = "goods", _("Goods")  # 物资


class FundStatus(models.TextChoices):
    ACTIVE = "active", _("Active")  # 运行中
    CLOSED = "closed", _("Closed")  # 已关闭


class Direction(models.TextChoices):
    IN = "in", _("In")  # 收入 / 入库
    OUT = "out", _("Out")  # 支出 / 出库


# Units offered on the goods forms; any other unit may be typed.
UNITS = ("件", "箱", "袋", "斤", "kg", "份", "套", "个", "瓶", "桶", "台", "本", "床", "元")
