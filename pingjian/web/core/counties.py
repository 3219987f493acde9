"""Taiwan's 22 counties and cities (直轄市、縣、市), keyed by their ISO 3166-2:TW codes."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class County(models.TextChoices):
    TAIPEI = "TPE", _("臺北市")
    NEW_TAIPEI = "NWT", _("新北市")
    TAOYUAN = "TAO", _("桃園市")
    TAICHUNG = "TXG", _("臺中市")
    TAINAN = "TNN", _("臺南市")
    KAOHSIUNG = "KHH", _("高雄市")
    KEELUNG = "KEE", _("基隆市")
    HSINCHU_CITY = "HSZ", _("新竹市")
    CHIAYI_CITY = "CYI", _("嘉義市")
    HSINCHU_COUNTY = "HSQ", _("新竹縣")
    MIAOLI = "MIA", _("苗栗縣")
    CHANGHUA = "CHA", _("彰化縣")
    NANTOU = "NAN", _("南投縣")
    YUNLIN = "YUN", _("雲林縣")
    CHIAYI_COUNTY = "CYQ", _("嘉義縣")
    PINGTUNG = "PIF", _("屏東縣")
    YILAN = "ILA", _("宜蘭縣")
    HUALIEN = "HUA", _("花蓮縣")
    TAITUNG = "TTT", _("臺東縣")
    PENGHU = "PEN", _("澎湖縣")
    KINMEN = "KIN", _("金門縣")
    LIENCHIANG = "LIE", _("連江縣")


def county_from_text(text: str) -> str | None:
    """Read a county from its code (TPE) or its name, accepting 台 for 臺 (台北市 → TPE)."""
    cleaned = text.strip().replace("台", "臺")
    if cleaned.upper() in County.values:
        return cleaned.upper()
    for value, label in County.choices:
        if cleaned == label:
            return value
    return None
