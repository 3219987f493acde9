import datetime as dt

from django.template import Context, Template
from django.utils import timezone


def render(source, **context):
    return Template(source).render(Context(context))


def test_dates_render_in_roc():
    d = dt.date(2023, 6, 8)
    assert render("{{ d|roc_date }}", d=d) == "112/06/08"
    assert render("{{ d|roc_date_long }}", d=d) == "112年6月8日"


def test_datetimes_render_as_the_taipei_date(settings):
    late_utc = dt.datetime(2023, 6, 8, 17, 30, tzinfo=dt.UTC)  # 01:30 on 9 June in Taipei
    with timezone.override("Asia/Taipei"):
        assert render("{{ t|roc_date }}", t=late_utc) == "112/06/09"
        assert render("{{ t|roc_datetime }}", t=late_utc) == "112/06/09 01:30"


def test_empty_values_render_empty():
    assert render("{{ d|roc_date }}", d=None) == ""
