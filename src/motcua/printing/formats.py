"""How the forms write moments, dates and durations: as Vietnamese documents do
("14 giờ 30 phút, ngày 05 tháng 03 năm 2026"), always in Vietnam's time whatever the
server's or the reader's time zone."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from motcua.domain.deadlines import VN_TZ

# Fixed legal wording of the forms: written in Vietnamese directly (see templates/printing).
UNIT_WORDS = {
    "working_hour": "giờ làm việc",
    "working_day": "ngày làm việc",
    "calendar_day": "ngày",
    "month": "tháng",
    "same_day": "trong ngày",
}
RETURN_CHANNEL_WORDS = {
    "counter": "Trực tiếp tại Bộ phận Một cửa",
    "postal": "Qua dịch vụ bưu chính công ích",
    "online": "Trực tuyến (tài khoản trên Cổng Dịch vụ công quốc gia)",
}
TIMELINESS_WORDS = {"early": "Trước hạn", "on_time": "Đúng hạn", "late": "Quá hạn"}


def local(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(VN_TZ)


def vn_moment(moment: dt.datetime | None) -> str:
    """'14 giờ 30 phút, ngày 05 tháng 03 năm 2026'; '' for no moment."""
    if moment is None:
        return ""
    m = local(moment)
    return f"{m.hour:02d} giờ {m.minute:02d} phút, {vn_date(m.date())}"


def vn_date(day: dt.date | None) -> str:
    """'ngày 05 tháng 03 năm 2026'."""
    if day is None:
        return ""
    return f"ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"


def vn_moment_short(moment: dt.datetime | None) -> str:
    """'14 giờ 30 phút, 05/03/2026': the same moment for the narrow columns of a table."""
    if moment is None:
        return ""
    m = local(moment)
    return f"{m.hour:02d} giờ {m.minute:02d} phút, {m:%d/%m/%Y}"


def vn_time_limit(amount: Decimal | None, unit: str) -> str:
    """'03 ngày làm việc', '4,5 giờ làm việc', 'trong ngày'; '' when there is no limit."""
    if unit == "same_day":
        return UNIT_WORDS[unit]
    if amount is None or not unit:
        return ""
    value = amount.normalize()
    text = f"{int(value):02d}" if value == value.to_integral() else f"{value:f}".replace(".", ",")
    return f"{text} {UNIT_WORDS.get(unit, unit)}"


def vn_duration(spent: dt.timedelta) -> str:
    """Working time spent on a step: '1 giờ 05 phút', '0 giờ 00 phút'."""
    minutes = max(0, int(spent.total_seconds() // 60))
    return f"{minutes // 60} giờ {minutes % 60:02d} phút"
