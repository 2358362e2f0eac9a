from django.db import models
from django.utils.translation import gettext_lazy as _

from wushe.regions.codes import Level


class SiteKind(models.TextChoices):
    CENTRE = "centre", _("County guidance centre")  # 县级社会工作指导中心 / 区级社工总站
    STATION = "station", _("Township station")  # 乡镇(街道)社工站
    ROOM = "room", _("Village room")  # 村(社区)社会工作室 / 社工点


# Which region levels a site of each kind may be attached to. A guidance centre may sit on a city
# too: 东莞, 中山, 儋州 and 嘉峪关 have no county level, and cities run 市级 centres.
KIND_LEVELS = {
    SiteKind.CENTRE: (Level.CITY, Level.COUNTY),
    SiteKind.STATION: (Level.TOWNSHIP,),
    SiteKind.ROOM: (Level.VILLAGE,),
}


class SiteStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")  # 筹建中
    OPERATING = "operating", _("Operating")  # 运营中
    SUSPENDED = "suspended", _("Suspended")  # 暂停
    CLOSED = "closed", _("Closed")  # 已关闭


# The “六有” a station must have: 有场地、有设施、有人员、有服务、有流程、有制度.
SIX_HAVES = [
    ("venue", _("Venue")),  # 场地
    ("facilities", _("Facilities")),  # 设施
    ("personnel", _("Personnel")),  # 人员
    ("services", _("Services")),  # 服务
    ("procedures", _("Procedures")),  # 流程
    ("rules", _("Rules")),  # 制度
]
