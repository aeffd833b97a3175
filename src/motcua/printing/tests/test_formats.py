import datetime as dt
from decimal import Decimal

import pytest

from motcua.printing import formats


def test_a_moment_is_written_in_vietnam_time_as_vietnamese_documents_do() -> None:
    moment = dt.datetime(2026, 3, 5, 7, 30, tzinfo=dt.UTC)  # 14:30 in Hà Nội
    assert formats.vn_moment(moment) == "14 giờ 30 phút, ngày 05 tháng 03 năm 2026"
    assert formats.vn_moment_short(moment) == "14 giờ 30 phút, 05/03/2026"
    assert formats.vn_moment(None) == ""


@pytest.mark.parametrize(
    ("amount", "unit", "text"),
    [
        (Decimal(3), "working_day", "03 ngày làm việc"),
        (Decimal("4.50"), "working_hour", "4,5 giờ làm việc"),
        (Decimal(15), "calendar_day", "15 ngày"),
        (None, "same_day", "trong ngày"),
        (None, "", ""),
    ],
)
def test_time_limits(amount: Decimal | None, unit: str, text: str) -> None:
    assert formats.vn_time_limit(amount, unit) == text
