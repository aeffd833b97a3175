"""The demo province, written by hand: "Tỉnh Lạc Hồng", a fictional province after the
2025 reorganisation (two tiers: the province and its communes, no districts).

Everything here is declarative; `loader.py` writes it. The level-1 code H99 belongs to no real
province, so the demo can never be mistaken for, or collide with, a real catalogue. Codes
follow QĐ 20/2020/QĐ-TTg; the units that ceased on 30/6/2025 keep their legacy
QCVN 102:2016 codes, as they do in real data.

Procedures use the national codes, names, fields, time limits, fees and legal bases published
on the national portal (as exported in mid-2026) where we found them; the processes, the
handling agencies and the per-province amounts are ours. Two procedures whose national code we
could not confirm carry a `DEMO.` code instead of a guessed one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from motcua.agencies.models import AgencyLevel, Role, SuccessionKind
from motcua.calendars.models import DayKind
from motcua.domain.agency_codes import AgencyCodeScheme
from motcua.domain.deadlines import Unit
from motcua.procedures.models import (
    Channel,
    DocumentForm,
    FeeKind,
    ImplementingLevel,
    OnlineLevel,
    ResultType,
)
from motcua.procedures.services import (
    ChannelSpec,
    DocumentSpec,
    ProcedureSpec,
    StepSpec,
    VersionSpec,
)

DEMO_PASSWORD = "motcua-demo"
"""Every demo account gets this password when it is created (never reset afterwards)."""

REORGANISATION_DAY = dt.date(2025, 7, 1)
"""Two-tier local government from this day (Law 72/2025/QH15)."""

CATALOGUE_EFFECTIVE_FROM = REORGANISATION_DAY
"""The demo catalogue is the post-reorganisation one."""

MAIL_DOMAIN = "lachong.example"


# --- Agencies ----------------------------------------------------------------------------


@dataclass(frozen=True)
class AgencyData:
    code: str
    name: str
    level: AgencyLevel
    parent: str | None = None
    short_name: str = ""
    scheme: AgencyCodeScheme = AgencyCodeScheme.QD20_2020
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    address: str = ""
    phone: str = ""
    email: str = ""


@dataclass(frozen=True)
class SuccessionData:
    predecessor: str
    successor: str
    kind: SuccessionKind
    effective_on: dt.date
    legal_basis: str


# Codes used by processes and officers below.
PROVINCE = "H99"
PPC_OFFICE = "H99.01"  # Văn phòng UBND tỉnh
HOME_AFFAIRS = "H99.02"
JUSTICE = "H99.03"
JUSTICE_OFFICE = "H99.03.01"
JUSTICE_SUPPORT = "H99.03.02"  # Phòng Bổ trợ tư pháp
FINANCE = "H99.04"
BUSINESS_REGISTRATION = "H99.04.05"
CONSTRUCTION = "H99.05"
CONSTRUCTION_OFFICE = "H99.05.01"
CONSTRUCTION_PERMITS = "H99.05.02"
AGRI_ENV = "H99.06"
LAND_REGISTRY = "H99.06.10"  # Văn phòng đăng ký đất đai
LAND_REGISTRY_BRANCH = "H99.06.10.01"
PROVINCE_CENTER = "H99.30"  # Trung tâm Phục vụ hành chính công tỉnh
POLICE = "H99.40"
POLICE_RECORDS = "H99.40.01"  # Phòng Hồ sơ nghiệp vụ: lý lịch tư pháp
POLICE_FIRE = "H99.40.02"  # Phòng Cảnh sát PCCC và CNCH
POLICE_ADMIN = "H99.40.03"  # Phòng Cảnh sát QLHC về trật tự xã hội
WARD_POLICE = "H99.40.50.01"  # Công an phường Hồng Châu
TANLAP_POLICE = "H99.40.50.02"
PHUTHINH_POLICE = "H99.40.50.03"
WARD = "H99.50.01"  # Phường Hồng Châu
WARD_CENTER = "H99.50.01.01"
WARD_OFFICE = "H99.50.01.02"  # Văn phòng HĐND và UBND: tư pháp - hộ tịch
WARD_ECONOMY = "H99.50.01.03"  # Phòng Kinh tế, Hạ tầng và Đô thị
TANLAP = "H99.50.02"
TANLAP_CENTER = "H99.50.02.01"
TANLAP_OFFICE = "H99.50.02.02"
PHUTHINH = "H99.50.03"
PHUTHINH_CENTER = "H99.50.03.01"
PHUTHINH_OFFICE = "H99.50.03.02"
OLD_CITY = "000.00.01.H99"  # Thành phố Hồng Châu (district level), ceased 30/6/2025
OLD_NORTH_WARD = "000.01.01.H99"
OLD_SOUTH_WARD = "000.02.01.H99"

_LAST_DAY_BEFORE_REORGANISATION = dt.date(2025, 6, 30)
_SEAT = "phường Hồng Châu, tỉnh Lạc Hồng"


def _mail(box: str) -> str:
    return f"{box}@{MAIL_DOMAIN}"


AGENCIES: tuple[AgencyData, ...] = (
    # Parents come before their children: the loader writes in this order.
    AgencyData(
        PROVINCE,
        "Ủy ban nhân dân tỉnh Lạc Hồng",
        AgencyLevel.PROVINCE,
        short_name="UBND tỉnh Lạc Hồng",
        address=f"Số 1 đường Lạc Long Quân, {_SEAT}",
        phone="0200 3 820 001",
        email=_mail("ubnd"),
    ),
    AgencyData(
        PPC_OFFICE,
        "Văn phòng Ủy ban nhân dân tỉnh Lạc Hồng",
        AgencyLevel.DEPARTMENT,
        parent=PROVINCE,
        short_name="Văn phòng UBND tỉnh",
        address=f"Số 1 đường Lạc Long Quân, {_SEAT}",
        phone="0200 3 820 002",
        email=_mail("vpubnd"),
    ),
    AgencyData(
        HOME_AFFAIRS,
        "Sở Nội vụ tỉnh Lạc Hồng",
        AgencyLevel.DEPARTMENT,
        parent=PROVINCE,
        short_name="Sở Nội vụ",
        address=f"Số 5 đường Lạc Long Quân, {_SEAT}",
        phone="0200 3 820 120",
        email=_mail("snv"),
    ),
    AgencyData(
        JUSTICE,
        "Sở Tư pháp tỉnh Lạc Hồng",
        AgencyLevel.DEPARTMENT,
        parent=PROVINCE,
        short_name="Sở Tư pháp",
        address=f"Số 12 đường Hùng Vương, {_SEAT}",
        phone="0200 3 821 300",
        email=_mail("stp"),
    ),
    AgencyData(
        JUSTICE_OFFICE,
        "Văn phòng Sở Tư pháp",
        AgencyLevel.DIVISION,
        parent=JUSTICE,
        phone="0200 3 821 301",
        email=_mail("vanphong.stp"),
    ),
    AgencyData(
        JUSTICE_SUPPORT,
        "Phòng Bổ trợ tư pháp",
        AgencyLevel.DIVISION,
        parent=JUSTICE,
        phone="0200 3 821 302",
        email=_mail("botrotuphap.stp"),
    ),
    AgencyData(
        FINANCE,
        "Sở Tài chính tỉnh Lạc Hồng",
        AgencyLevel.DEPARTMENT,
        parent=PROVINCE,
        short_name="Sở Tài chính",
        address=f"Số 20 đường Hùng Vương, {_SEAT}",
        phone="0200 3 822 400",
        email=_mail("stc"),
    ),
    AgencyData(
        BUSINESS_REGISTRATION,
        "Phòng Đăng ký kinh doanh",
        AgencyLevel.DIVISION,
        parent=FINANCE,
        short_name="Phòng ĐKKD Sở Tài chính",
        phone="0200 3 822 405",
        email=_mail("dkkd.stc"),
    ),
    AgencyData(
        CONSTRUCTION,
        "Sở Xây dựng tỉnh Lạc Hồng",
        AgencyLevel.DEPARTMENT,
        parent=PROVINCE,
        short_name="Sở Xây dựng",
        address=f"Số 8 đường Trần Hưng Đạo, {_SEAT}",
        phone="0200 3 823 500",
        email=_mail("sxd"),
    ),
    AgencyData(
        CONSTRUCTION_OFFICE,
        "Văn phòng Sở Xây dựng",
        AgencyLevel.DIVISION,
        parent=CONSTRUCTION,
        phone="0200 3 823 501",
        email=_mail("vanphong.sxd"),
    ),
    AgencyData(
        CONSTRUCTION_PERMITS,
        "Phòng Quản lý hoạt động xây dựng",
        AgencyLevel.DIVISION,
        parent=CONSTRUCTION,
        phone="0200 3 823 502",
        email=_mail("qlhdxd.sxd"),
    ),
    AgencyData(
        AGRI_ENV,
        "Sở Nông nghiệp và Môi trường tỉnh Lạc Hồng",
        AgencyLevel.DEPARTMENT,
        parent=PROVINCE,
        short_name="Sở NN&MT",
        address=f"Số 30 đường Nguyễn Trãi, {_SEAT}",
        phone="0200 3 824 600",
        email=_mail("snnmt"),
    ),
    AgencyData(
        LAND_REGISTRY,
        "Văn phòng Đăng ký đất đai tỉnh Lạc Hồng",
        AgencyLevel.OTHER,
        parent=AGRI_ENV,
        short_name="VP ĐKĐĐ",
        address=f"Số 32 đường Nguyễn Trãi, {_SEAT}",
        phone="0200 3 824 610",
        email=_mail("vpdkdd"),
    ),
    AgencyData(
        LAND_REGISTRY_BRANCH,
        "Chi nhánh Văn phòng Đăng ký đất đai khu vực Hồng Châu",
        AgencyLevel.OTHER,
        parent=LAND_REGISTRY,
        short_name="CN VP ĐKĐĐ Hồng Châu",
        address=f"Số 14 đường Lê Lợi, {_SEAT}",
        phone="0200 3 824 611",
        email=_mail("cn.hongchau.vpdkdd"),
    ),
    AgencyData(
        PROVINCE_CENTER,
        "Trung tâm Phục vụ hành chính công tỉnh Lạc Hồng",
        AgencyLevel.SERVICE_CENTER,
        parent=PROVINCE,
        short_name="TTPVHCC tỉnh",
        address=f"Số 3 đường Lạc Long Quân, {_SEAT}",
        phone="0200 3 826 868",
        email=_mail("hanhchinhcong"),
    ),
    # A vertical-sector agency: in real data it sits in its ministry's code tree; the demo
    # keeps it under the province so that the tree shows every agency a citizen meets.
    AgencyData(
        POLICE,
        "Công an tỉnh Lạc Hồng",
        AgencyLevel.OTHER,
        parent=PROVINCE,
        short_name="Công an tỉnh",
        address=f"Số 50 đường Trần Hưng Đạo, {_SEAT}",
        phone="0200 3 827 113",
        email=_mail("congan"),
    ),
    AgencyData(
        POLICE_RECORDS,
        "Phòng Hồ sơ nghiệp vụ",
        AgencyLevel.DIVISION,
        parent=POLICE,
        short_name="PV06 Công an tỉnh",
        phone="0200 3 827 106",
        email=_mail("pv06.congan"),
    ),
    AgencyData(
        POLICE_FIRE,
        "Phòng Cảnh sát phòng cháy, chữa cháy và cứu nạn, cứu hộ",
        AgencyLevel.DIVISION,
        parent=POLICE,
        short_name="PC07 Công an tỉnh",
        phone="0200 3 827 114",
        email=_mail("pc07.congan"),
    ),
    AgencyData(
        POLICE_ADMIN,
        "Phòng Cảnh sát quản lý hành chính về trật tự xã hội",
        AgencyLevel.DIVISION,
        parent=POLICE,
        short_name="PC06 Công an tỉnh",
        phone="0200 3 827 106",
        email=_mail("pc06.congan"),
    ),
    AgencyData(
        WARD_POLICE,
        "Công an phường Hồng Châu",
        AgencyLevel.OTHER,
        parent=POLICE,
        address=f"Số 9 đường Lê Lợi, {_SEAT}",
        phone="0200 3 827 201",
        email=_mail("ca.hongchau"),
    ),
    AgencyData(
        TANLAP_POLICE,
        "Công an xã Tân Lập",
        AgencyLevel.OTHER,
        parent=POLICE,
        address="Thôn Tân Hòa, xã Tân Lập, tỉnh Lạc Hồng",
        phone="0200 3 827 202",
        email=_mail("ca.tanlap"),
    ),
    AgencyData(
        PHUTHINH_POLICE,
        "Công an xã Phú Thịnh",
        AgencyLevel.OTHER,
        parent=POLICE,
        address="Thôn Phú Xuân, xã Phú Thịnh, tỉnh Lạc Hồng",
        phone="0200 3 827 203",
        email=_mail("ca.phuthinh"),
    ),
    # Communes since 1/7/2025, each with its own public administration service center.
    AgencyData(
        WARD,
        "Ủy ban nhân dân phường Hồng Châu",
        AgencyLevel.COMMUNE,
        parent=PROVINCE,
        short_name="UBND phường Hồng Châu",
        valid_from=REORGANISATION_DAY,
        address=f"Số 15 đường Lê Lợi, {_SEAT}",
        phone="0200 3 830 100",
        email=_mail("ubnd.hongchau"),
    ),
    AgencyData(
        WARD_CENTER,
        "Trung tâm Phục vụ hành chính công phường Hồng Châu",
        AgencyLevel.SERVICE_CENTER,
        parent=WARD,
        short_name="TTPVHCC phường Hồng Châu",
        valid_from=REORGANISATION_DAY,
        address=f"Số 15 đường Lê Lợi, {_SEAT}",
        phone="0200 3 830 111",
        email=_mail("hcc.hongchau"),
    ),
    AgencyData(
        WARD_OFFICE,
        "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân phường Hồng Châu",
        AgencyLevel.DIVISION,
        parent=WARD,
        short_name="Văn phòng HĐND-UBND phường Hồng Châu",
        valid_from=REORGANISATION_DAY,
        phone="0200 3 830 102",
        email=_mail("vanphong.hongchau"),
    ),
    AgencyData(
        WARD_ECONOMY,
        "Phòng Kinh tế, Hạ tầng và Đô thị phường Hồng Châu",
        AgencyLevel.DIVISION,
        parent=WARD,
        short_name="Phòng KT-HT-ĐT phường Hồng Châu",
        valid_from=REORGANISATION_DAY,
        phone="0200 3 830 103",
        email=_mail("kinhte.hongchau"),
    ),
    AgencyData(
        TANLAP,
        "Ủy ban nhân dân xã Tân Lập",
        AgencyLevel.COMMUNE,
        parent=PROVINCE,
        short_name="UBND xã Tân Lập",
        valid_from=REORGANISATION_DAY,
        address="Thôn Tân Hòa, xã Tân Lập, tỉnh Lạc Hồng",
        phone="0200 3 831 100",
        email=_mail("ubnd.tanlap"),
    ),
    AgencyData(
        TANLAP_CENTER,
        "Trung tâm Phục vụ hành chính công xã Tân Lập",
        AgencyLevel.SERVICE_CENTER,
        parent=TANLAP,
        short_name="TTPVHCC xã Tân Lập",
        valid_from=REORGANISATION_DAY,
        address="Thôn Tân Hòa, xã Tân Lập, tỉnh Lạc Hồng",
        phone="0200 3 831 111",
        email=_mail("hcc.tanlap"),
    ),
    AgencyData(
        TANLAP_OFFICE,
        "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân xã Tân Lập",
        AgencyLevel.DIVISION,
        parent=TANLAP,
        short_name="Văn phòng HĐND-UBND xã Tân Lập",
        valid_from=REORGANISATION_DAY,
        phone="0200 3 831 102",
        email=_mail("vanphong.tanlap"),
    ),
    AgencyData(
        PHUTHINH,
        "Ủy ban nhân dân xã Phú Thịnh",
        AgencyLevel.COMMUNE,
        parent=PROVINCE,
        short_name="UBND xã Phú Thịnh",
        valid_from=REORGANISATION_DAY,
        address="Thôn Phú Xuân, xã Phú Thịnh, tỉnh Lạc Hồng",
        phone="0200 3 832 100",
        email=_mail("ubnd.phuthinh"),
    ),
    AgencyData(
        PHUTHINH_CENTER,
        "Trung tâm Phục vụ hành chính công xã Phú Thịnh",
        AgencyLevel.SERVICE_CENTER,
        parent=PHUTHINH,
        short_name="TTPVHCC xã Phú Thịnh",
        valid_from=REORGANISATION_DAY,
        address="Thôn Phú Xuân, xã Phú Thịnh, tỉnh Lạc Hồng",
        phone="0200 3 832 111",
        email=_mail("hcc.phuthinh"),
    ),
    AgencyData(
        PHUTHINH_OFFICE,
        "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân xã Phú Thịnh",
        AgencyLevel.DIVISION,
        parent=PHUTHINH,
        short_name="Văn phòng HĐND-UBND xã Phú Thịnh",
        valid_from=REORGANISATION_DAY,
        phone="0200 3 832 102",
        email=_mail("vanphong.phuthinh"),
    ),
    # Before 1/7/2025: a district-level city and two of its wards, with legacy codes. The
    # rows stay (old dossiers and reports point at them); they just stop being valid.
    AgencyData(
        OLD_CITY,
        "Ủy ban nhân dân thành phố Hồng Châu",
        AgencyLevel.DISTRICT,
        parent=PROVINCE,
        short_name="UBND TP Hồng Châu",
        scheme=AgencyCodeScheme.QCVN102_2016,
        valid_to=_LAST_DAY_BEFORE_REORGANISATION,
        address="Số 15 đường Lê Lợi, phường Bắc Châu, thành phố Hồng Châu, tỉnh Lạc Hồng",
    ),
    AgencyData(
        OLD_NORTH_WARD,
        "Ủy ban nhân dân phường Bắc Châu",
        AgencyLevel.COMMUNE,
        parent=OLD_CITY,
        scheme=AgencyCodeScheme.QCVN102_2016,
        valid_to=_LAST_DAY_BEFORE_REORGANISATION,
        address="Số 2 đường Hùng Vương, phường Bắc Châu, thành phố Hồng Châu, tỉnh Lạc Hồng",
    ),
    AgencyData(
        OLD_SOUTH_WARD,
        "Ủy ban nhân dân phường Nam Châu",
        AgencyLevel.COMMUNE,
        parent=OLD_CITY,
        scheme=AgencyCodeScheme.QCVN102_2016,
        valid_to=_LAST_DAY_BEFORE_REORGANISATION,
        address="Số 40 đường Nguyễn Trãi, phường Nam Châu, thành phố Hồng Châu, tỉnh Lạc Hồng",
    ),
)

_COMMUNE_MERGER_BASIS = (
    "Nghị quyết của Ủy ban Thường vụ Quốc hội về việc sắp xếp các đơn vị hành chính cấp xã "
    "của tỉnh Lạc Hồng năm 2025 (dữ liệu minh họa)"
)

SUCCESSIONS: tuple[SuccessionData, ...] = (
    SuccessionData(
        OLD_NORTH_WARD, WARD, SuccessionKind.FULL, REORGANISATION_DAY, _COMMUNE_MERGER_BASIS
    ),
    SuccessionData(
        OLD_SOUTH_WARD, WARD, SuccessionKind.FULL, REORGANISATION_DAY, _COMMUNE_MERGER_BASIS
    ),
    # District-level units ended; the new ward took over the city's work on its territory.
    SuccessionData(
        OLD_CITY,
        WARD,
        SuccessionKind.PARTIAL,
        REORGANISATION_DAY,
        "Luật Tổ chức chính quyền địa phương số 72/2025/QH15",
    ),
)


# --- Officers ----------------------------------------------------------------------------


@dataclass(frozen=True)
class MembershipData:
    agency: str
    role: Role
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None


@dataclass(frozen=True)
class OfficerData:
    username: str
    full_name: str
    memberships: tuple[MembershipData, ...] = ()
    is_superuser: bool = False

    @property
    def last_name(self) -> str:
        """Họ và tên đệm: Vietnamese names put the family name first."""
        return self.full_name.rpartition(" ")[0]

    @property
    def first_name(self) -> str:
        """Tên: the given name, the last word."""
        return self.full_name.rpartition(" ")[2]

    @property
    def email(self) -> str:
        return _mail(self.username)

    @property
    def is_staff(self) -> bool:
        """Only the administrators use the Django admin; every other officer works in the
        back office, which checks memberships, not `is_staff`."""
        return self.is_superuser or any(m.role is Role.AGENCY_ADMIN for m in self.memberships)


def _officer(username: str, full_name: str, agency: str, *roles: Role) -> OfficerData:
    return OfficerData(username, full_name, tuple(MembershipData(agency, r) for r in roles))


OFFICERS: tuple[OfficerData, ...] = (
    OfficerData("admin", "Quản trị hệ thống", is_superuser=True),
    # Province
    _officer("lanhdao.ubndtinh", "Hoàng Văn Sơn", PROVINCE, Role.LEADER),
    _officer("giamsat.vpubnd", "Phạm Thị Lan", PPC_OFFICE, Role.MONITOR),
    _officer("giamsat.snv", "Đỗ Quang Huy", HOME_AFFAIRS, Role.MONITOR),
    _officer("tiepnhan.tttinh", "Nguyễn Thị Thu Hằng", PROVINCE_CENTER, Role.RECEIVER),
    _officer("tiepnhan2.tttinh", "Trần Minh Đức", PROVINCE_CENTER, Role.RECEIVER),
    _officer("quantri.tttinh", "Lê Hoàng Nam", PROVINCE_CENTER, Role.AGENCY_ADMIN),
    _officer("chuyenvien.stp", "Bùi Thị Ngọc Anh", JUSTICE_SUPPORT, Role.SPECIALIST),
    _officer("truongphong.stp", "Đặng Văn Long", JUSTICE_SUPPORT, Role.DIVISION_HEAD),
    _officer("lanhdao.stp", "Ngô Thị Hương", JUSTICE, Role.LEADER),
    _officer("vanthu.stp", "Trịnh Thị Hoa", JUSTICE_OFFICE, Role.CLERK),
    _officer("chuyenvien.stc", "Phan Văn Hải", BUSINESS_REGISTRATION, Role.SPECIALIST),
    _officer("truongphong.stc", "Lý Thị Thanh Tâm", BUSINESS_REGISTRATION, Role.DIVISION_HEAD),
    _officer("chuyenvien.sxd", "Đinh Công Thành", CONSTRUCTION_PERMITS, Role.SPECIALIST),
    _officer("truongphong.sxd", "Mai Thị Kim Oanh", CONSTRUCTION_PERMITS, Role.DIVISION_HEAD),
    _officer("lanhdao.sxd", "Tạ Quốc Bảo", CONSTRUCTION, Role.LEADER),
    _officer("vanthu.sxd", "Lương Thị Hạnh", CONSTRUCTION_OFFICE, Role.CLERK),
    _officer("chuyenvien.vpdkdd", "Hà Văn Tùng", LAND_REGISTRY, Role.SPECIALIST),
    _officer("lanhdao.vpdkdd", "Châu Thị Bích Ngọc", LAND_REGISTRY, Role.LEADER),
    _officer("chuyenvien.cnhongchau", "Kiều Văn Phúc", LAND_REGISTRY_BRANCH, Role.SPECIALIST),
    _officer("lanhdao.cnhongchau", "Tôn Nữ Minh Thư", LAND_REGISTRY_BRANCH, Role.LEADER),
    _officer("chuyenvien.pv06", "Đoàn Văn Hiếu", POLICE_RECORDS, Role.SPECIALIST),
    _officer("truongphong.pv06", "Cao Minh Quân", POLICE_RECORDS, Role.DIVISION_HEAD),
    _officer("chuyenvien.pc07", "La Văn Định", POLICE_FIRE, Role.SPECIALIST),
    _officer("truongphong.pc07", "Âu Thị Ngân", POLICE_FIRE, Role.DIVISION_HEAD),
    _officer("chuyenvien.pc06", "Giáp Văn Quý", POLICE_ADMIN, Role.SPECIALIST),
    _officer("lanhdao.cat", "Quách Văn Trung", POLICE, Role.LEADER),
    # Phường Hồng Châu and its police
    _officer("chuyenvien.cahongchau", "Lâm Thị Diệu", WARD_POLICE, Role.SPECIALIST),
    _officer("lanhdao.cahongchau", "Khổng Văn Toàn", WARD_POLICE, Role.LEADER),
    _officer("tiepnhan.hongchau", "Nguyễn Thị Bảo Ngọc", WARD_CENTER, Role.RECEIVER),
    OfficerData(
        "tuphap.hongchau",
        "Trần Thị Thùy Linh",
        (
            # Moved with her ward in the merger: the old membership ends, a new one starts.
            MembershipData(
                OLD_NORTH_WARD, Role.SPECIALIST, valid_to=_LAST_DAY_BEFORE_REORGANISATION
            ),
            MembershipData(WARD_OFFICE, Role.SPECIALIST, valid_from=REORGANISATION_DAY),
        ),
    ),
    _officer("kinhte.hongchau", "Phạm Đức Thắng", WARD_ECONOMY, Role.SPECIALIST),
    _officer("truongphong.hongchau", "Võ Thị Kim Liên", WARD_ECONOMY, Role.DIVISION_HEAD),
    _officer("lanhdao.hongchau", "Nguyễn Văn Hùng", WARD, Role.LEADER),
    _officer("vanthu.hongchau", "Lê Thị Hồng", WARD_OFFICE, Role.CLERK),
    _officer("quantri.hongchau", "Hồ Minh Khoa", WARD, Role.AGENCY_ADMIN),
    _officer("giamsat.hongchau", "Vương Thị Thảo", WARD, Role.MONITOR),
    # Xã Tân Lập
    _officer("tiepnhan.tanlap", "Dương Thị Yến", TANLAP_CENTER, Role.RECEIVER),
    _officer("tuphap.tanlap", "Triệu Văn Khánh", TANLAP_OFFICE, Role.SPECIALIST),
    _officer("lanhdao.tanlap", "Hà Thị Xuân", TANLAP, Role.LEADER),
    # Xã Phú Thịnh
    _officer("tiepnhan.phuthinh", "Mạc Thị Thu", PHUTHINH_CENTER, Role.RECEIVER),
    _officer("tuphap.phuthinh", "Chu Văn Bình", PHUTHINH_OFFICE, Role.SPECIALIST),
    _officer("lanhdao.phuthinh", "Phùng Thị Nga", PHUTHINH, Role.LEADER),
)

AGENCY_ADMIN_GROUP = "Quản trị cơ quan (demo)"
"""Agency administrators get read-only access to the admin through this group: the admin
is not scoped per agency, so letting them edit there would reach other agencies' rows."""


# --- Working calendar --------------------------------------------------------------------


@dataclass(frozen=True)
class CalendarOverrideData:
    day: dt.date
    kind: DayKind
    reason: str
    legal_basis: str = ""
    agency: str | None = None


_SWAP_2026 = "Thông báo số 9441/TB-BNV ngày 16/10/2025 của Bộ Nội vụ"

CALENDAR_OVERRIDES: tuple[CalendarOverrideData, ...] = (
    # National: the announced 2026 National Day swap. The `holidays` package already has it;
    # the rows record the announcement the calendar relies on, and agree with the package.
    CalendarOverrideData(
        dt.date(2026, 8, 22),
        DayKind.WORKING_DAY,
        "Làm bù cho ngày nghỉ thứ Hai 31/8/2026 (hoán đổi dịp Quốc khánh)",
        _SWAP_2026,
    ),
    CalendarOverrideData(
        dt.date(2026, 8, 31),
        DayKind.DAY_OFF,
        "Nghỉ hoán đổi dịp Quốc khánh 2/9/2026, làm bù thứ Bảy 22/8/2026",
        _SWAP_2026,
    ),
    # Agency level, in the future.
    CalendarOverrideData(
        dt.date(2026, 12, 26),
        DayKind.WORKING_DAY,
        "Làm việc thứ Bảy để tiếp nhận và trả kết quả hồ sơ cuối năm",
        "Kế hoạch của Ủy ban nhân dân tỉnh Lạc Hồng (dữ liệu minh họa)",
        PROVINCE_CENTER,
    ),
    CalendarOverrideData(
        dt.date(2026, 12, 7),
        DayKind.DAY_OFF,
        "Tạm dừng tiếp nhận để chuyển trụ sở làm việc sau sắp xếp đơn vị hành chính",
        "Thông báo của Ủy ban nhân dân xã Tân Lập (dữ liệu minh họa)",
        TANLAP,
    ),
)


# --- Procedure catalogue -----------------------------------------------------------------


def _hours(value: str | int) -> Decimal:
    return Decimal(value)


def _step(name: str, hours: str | int, role: Role, agency: str = "") -> StepSpec:
    return StepSpec(name=name, budget_hours=_hours(hours), role=role, agency_code=agency)


def _channels(
    amount: int | None,
    unit: Unit,
    text: str,
    fee_kind: FeeKind,
    fee_text: str = "",
    *,
    fee: int | None = None,
    channels: tuple[Channel, ...] = (Channel.COUNTER, Channel.ONLINE, Channel.POSTAL),
) -> tuple[ChannelSpec, ...]:
    """The same time limit and fee on every channel, as most procedures publish."""
    return tuple(
        ChannelSpec(
            channel=channel,
            time_limit_amount=None if amount is None else Decimal(amount),
            time_limit_unit=unit,
            time_limit_text=text,
            fee_kind=fee_kind,
            fee_amount=None if fee is None else Decimal(fee),
            fee_text=fee_text,
        )
        for channel in channels
    )


def _doc(
    name: str,
    *,
    originals: int = 1,
    copies: int = 0,
    form: DocumentForm = DocumentForm.ORIGINAL,
    case: str = "",
    template: str = "",
    eform: bool = False,
    required: bool = True,
) -> DocumentSpec:
    return DocumentSpec(
        name=name,
        case=case,
        originals=originals,
        copies=copies,
        form=form,
        template_name=template,
        is_eform=eform,
        is_required=required,
    )


def _presented(name: str) -> DocumentSpec:
    return _doc(name, originals=0, form=DocumentForm.PRESENTED)


_IDENTITY_PAPER = _presented(
    "Giấy tờ tùy thân còn giá trị: Thẻ căn cước, Căn cước điện tử, Hộ chiếu hoặc giấy tờ "
    "khác có dán ảnh do cơ quan có thẩm quyền cấp (không phải xuất trình khi thông tin đã "
    "khai thác được từ Cơ sở dữ liệu quốc gia về dân cư)"
)
_AUTHORISATION = _doc(
    "Văn bản ủy quyền theo quy định của pháp luật (không phải chứng thực nếu người được ủy "
    "quyền là ông, bà, cha, mẹ, con, vợ, chồng, anh, chị, em ruột của người ủy quyền)",
    case="Trường hợp ủy quyền thực hiện thủ tục",
    required=False,
)

# Legal bases used by several procedures.
_CIVIL_STATUS_LAW = ("60/2014/QH13", "Luật Hộ tịch")
_CIVIL_STATUS_DECREE = (
    "123/2015/NĐ-CP",
    "Nghị định quy định chi tiết một số điều và biện pháp thi hành Luật Hộ tịch",
)
_CIVIL_STATUS_ONLINE = (
    "87/2020/NĐ-CP",
    "Nghị định quy định về Cơ sở dữ liệu hộ tịch điện tử, đăng ký hộ tịch trực tuyến",
)
_CIVIL_STATUS_CIRCULAR = (
    "04/2020/TT-BTP",
    "Thông tư quy định chi tiết thi hành một số điều của Luật Hộ tịch và Nghị định số "
    "123/2015/NĐ-CP",
)
_JUSTICE_TWO_TIER = (
    "120/2025/NĐ-CP",
    "Nghị định quy định về phân định thẩm quyền của chính quyền địa phương 02 cấp trong "
    "lĩnh vực quản lý nhà nước của Bộ Tư pháp",
)
_COUNCIL_FEES = (
    "85/2019/TT-BTC",
    "Thông tư hướng dẫn về phí và lệ phí thuộc thẩm quyền quyết định của Hội đồng nhân dân "
    "tỉnh, thành phố trực thuộc Trung ương",
)
_CERTIFICATION_DECREE = (
    "23/2015/NĐ-CP",
    "Nghị định về cấp bản sao từ sổ gốc, chứng thực bản sao từ bản chính, chứng thực chữ ký "
    "và chứng thực hợp đồng, giao dịch",
)
_CERTIFICATION_AMENDMENT = (
    "280/2025/NĐ-CP",
    "Nghị định sửa đổi, bổ sung một số điều của Nghị định số 23/2015/NĐ-CP",
)
_CERTIFICATION_FEES = (
    "226/2016/TT-BTC",
    "Thông tư quy định mức thu, chế độ thu, nộp, quản lý và sử dụng phí chứng thực",
)
_RESIDENCE_LAW = ("68/2020/QH14", "Luật Cư trú")
_RESIDENCE_DECREE = (
    "154/2024/NĐ-CP",
    "Nghị định quy định chi tiết một số điều và biện pháp thi hành Luật Cư trú",
)
_RESIDENCE_CIRCULAR = (
    "53/2025/TT-BCA",
    "Thông tư sửa đổi, bổ sung một số điều của các Thông tư số 55/2021/TT-BCA, "
    "56/2021/TT-BCA và 17/2024/TT-BCA",
)
_RESIDENCE_FEES = (
    "75/2022/TT-BTC",
    "Thông tư quy định mức thu, chế độ thu, nộp và quản lý lệ phí đăng ký cư trú",
)
_ENTERPRISE_LAW = ("59/2020/QH14", "Luật Doanh nghiệp")
_ENTERPRISE_LAW_2025 = (
    "76/2025/QH15",
    "Luật sửa đổi, bổ sung một số điều của Luật Doanh nghiệp",
)
_BUSINESS_REGISTRATION_DECREE = ("168/2025/NĐ-CP", "Nghị định về đăng ký doanh nghiệp")
_BUSINESS_FORMS = (
    "68/2025/TT-BTC",
    "Thông tư ban hành biểu mẫu sử dụng trong đăng ký doanh nghiệp, đăng ký hộ kinh doanh",
)
_LAND_LAW = ("31/2024/QH15", "Luật Đất đai")
_LAND_LAW_AMENDMENT = (
    "43/2024/QH15",
    "Luật sửa đổi, bổ sung một số điều của Luật Đất đai, Luật Nhà ở, Luật Kinh doanh bất "
    "động sản và Luật Các tổ chức tín dụng",
)
_LAND_REGISTRATION_DECREE = (
    "101/2024/NĐ-CP",
    "Nghị định quy định về điều tra cơ bản đất đai; đăng ký, cấp Giấy chứng nhận quyền sử "
    "dụng đất, quyền sở hữu tài sản gắn liền với đất và hệ thống thông tin đất đai",
)
_LAND_TWO_TIER = (
    "151/2025/NĐ-CP",
    "Nghị định quy định về phân định thẩm quyền của chính quyền địa phương 02 cấp, phân "
    "quyền, phân cấp trong lĩnh vực đất đai",
)
_ONE_STOP_DECREE = (
    "118/2025/NĐ-CP",
    "Nghị định về thực hiện thủ tục hành chính theo cơ chế một cửa, một cửa liên thông tại "
    "Bộ phận Một cửa và Cổng Dịch vụ công quốc gia",
)
_CONSTRUCTION_LAW = ("50/2014/QH13", "Luật Xây dựng")
_CONSTRUCTION_LAW_2020 = (
    "62/2020/QH14",
    "Luật sửa đổi, bổ sung một số điều của Luật Xây dựng",
)
_CONSTRUCTION_DECREE = (
    "175/2024/NĐ-CP",
    "Nghị định quy định chi tiết một số điều và biện pháp thi hành Luật Xây dựng về quản lý "
    "hoạt động xây dựng",
)

_SAME_DAY_TEXT = (
    "Trong ngày tiếp nhận yêu cầu; nếu tiếp nhận sau 15 giờ thì trả kết quả trong ngày làm "
    "việc tiếp theo"
)
_CIVIL_STATUS_LEVELS = frozenset({ImplementingLevel.COMMUNE})
_COMMUNE_AUTHORITY = "Ủy ban nhân dân cấp xã"
_COMMUNE_CENTER_RECEIVES = "Trung tâm Phục vụ hành chính công cấp xã"
_PROVINCE_CENTER_RECEIVES = "Trung tâm Phục vụ hành chính công tỉnh"
_LAW_DELEGATED = "TTHC được giao luật quy định chi tiết"
_NOT_DELEGATED = "TTHC không được luật giao cho địa phương quy định"


def _ward_civil_status_steps(hours: int) -> tuple[StepSpec, ...]:
    """Reception at the ward's service center, the civil-status officer checks and records,
    the chairman signs, the center returns the result: `hours` working hours in all."""
    receive, ret = (1, 1) if hours <= 8 else (2, 2)
    sign = 2 if hours <= 8 else hours // 4
    return (
        _step("Tiếp nhận, kiểm tra hồ sơ", receive, Role.RECEIVER, WARD_CENTER),
        _step(
            "Công chức tư pháp - hộ tịch kiểm tra, ghi sổ hộ tịch",
            hours - receive - sign - ret,
            Role.SPECIALIST,
            WARD_OFFICE,
        ),
        _step("Chủ tịch Ủy ban nhân dân phường ký", sign, Role.LEADER, WARD),
        _step("Trả kết quả", ret, Role.RECEIVER, WARD_CENTER),
    )


def _ward_certification_steps() -> tuple[StepSpec, ...]:
    """Same-day certification: the whole process fits in half a working day so that a
    request received before the 15:00 cut-off is returned the same day."""
    return (
        _step("Tiếp nhận yêu cầu chứng thực", "0.5", Role.RECEIVER, WARD_CENTER),
        _step("Kiểm tra giấy tờ, ghi sổ chứng thực", "1.5", Role.SPECIALIST, WARD_OFFICE),
        _step("Người có thẩm quyền ký chứng thực, đóng dấu", 1, Role.LEADER, WARD),
        _step("Thu phí, trả kết quả", "0.5", Role.RECEIVER, WARD_CENTER),
    )


def _ward_business_steps(name: str) -> tuple[StepSpec, ...]:
    return (
        _step("Tiếp nhận hồ sơ", 2, Role.RECEIVER, WARD_CENTER),
        _step("Thẩm định hồ sơ đăng ký hộ kinh doanh", 12, Role.SPECIALIST, WARD_ECONOMY),
        _step(name, 6, Role.DIVISION_HEAD, WARD_ECONOMY),
        _step("Trả kết quả", 2, Role.RECEIVER, WARD_CENTER),
    )


def _ward_police_steps(hours: int) -> tuple[StepSpec, ...]:
    """Residence dossiers: received at the ward's center (or the police), decided by the
    ward police. A liên thông hand-over between two agencies."""
    receive, ret = (1, 1) if hours <= 8 else (2, 2)
    approve = 2 if hours <= 8 else hours // 3
    return (
        _step("Tiếp nhận hồ sơ", receive, Role.RECEIVER, WARD_CENTER),
        _step(
            "Kiểm tra, đối chiếu Cơ sở dữ liệu về cư trú, đề xuất",
            hours - receive - approve - ret,
            Role.SPECIALIST,
            WARD_POLICE,
        ),
        _step("Trưởng Công an phường phê duyệt", approve, Role.LEADER, WARD_POLICE),
        _step("Trả kết quả", ret, Role.RECEIVER, WARD_CENTER),
    )


PROCEDURES: tuple[ProcedureSpec, ...] = (
    # --- Hộ tịch (civil status), commune level ---
    ProcedureSpec(
        code="1.001193",
        name="Thủ tục đăng ký khai sinh",
        field_name="Hộ tịch",
        levels=_CIVIL_STATUS_LEVELS,
        kind=_LAW_DELEGATED,
        issuing_authority="Bộ Tư pháp",
        version=VersionSpec(
            publishing_decision="163/QĐ-BTP",
            competent_authority=_COMMUNE_AUTHORITY,
            competent_agency_code=WARD,
            implementing_agencies=_COMMUNE_CENTER_RECEIVES,
            subjects="Công dân Việt Nam; người Việt Nam định cư ở nước ngoài",
            result_description="Giấy khai sinh (bản chính); bản sao Giấy khai sinh nếu có yêu cầu",
            result_type=ResultType.BOTH,
            online_level=OnlineLevel.FULL,
            legal_basis=(
                _CIVIL_STATUS_LAW,
                _CIVIL_STATUS_DECREE,
                _CIVIL_STATUS_ONLINE,
                _CIVIL_STATUS_CIRCULAR,
                _JUSTICE_TWO_TIER,
                _COUNCIL_FEES,
            ),
            channels=_channels(
                1,
                Unit.WORKING_DAY,
                "01 ngày làm việc",
                FeeKind.FREE,
                "Miễn lệ phí đăng ký khai sinh đúng hạn",
            ),
            documents=(
                _doc("Tờ khai đăng ký khai sinh", template="Tờ khai đăng ký khai sinh", eform=True),
                _doc(
                    "Giấy chứng sinh; nếu không có thì văn bản của người làm chứng xác nhận "
                    "về việc sinh, hoặc giấy cam đoan về việc sinh",
                ),
                _doc(
                    "Biên bản về việc trẻ bị bỏ rơi do cơ quan có thẩm quyền lập",
                    case="Trường hợp trẻ em bị bỏ rơi",
                    required=False,
                ),
                _AUTHORISATION,
                _IDENTITY_PAPER,
            ),
            steps=_ward_civil_status_steps(8),
        ),
    ),
    ProcedureSpec(
        code="1.000894",
        name="Thủ tục đăng ký kết hôn",
        field_name="Hộ tịch",
        levels=_CIVIL_STATUS_LEVELS,
        kind=_LAW_DELEGATED,
        issuing_authority="Bộ Tư pháp",
        version=VersionSpec(
            publishing_decision="163/QĐ-BTP",
            competent_authority=_COMMUNE_AUTHORITY,
            competent_agency_code=WARD,
            implementing_agencies=_COMMUNE_CENTER_RECEIVES,
            subjects="Công dân Việt Nam",
            conditions=(
                "Nam từ đủ 20 tuổi, nữ từ đủ 18 tuổi; việc kết hôn do nam và nữ tự nguyện "
                "quyết định; không thuộc trường hợp cấm kết hôn (Luật Hôn nhân và gia đình)"
            ),
            result_description="Giấy chứng nhận kết hôn (hai bên cùng có mặt để ký và nhận)",
            result_type=ResultType.PAPER,
            online_level=OnlineLevel.PARTIAL,
            legal_basis=(
                ("52/2014/QH13", "Luật Hôn nhân và gia đình"),
                _CIVIL_STATUS_LAW,
                _CIVIL_STATUS_DECREE,
                _CIVIL_STATUS_CIRCULAR,
                _JUSTICE_TWO_TIER,
            ),
            channels=_channels(
                1, Unit.WORKING_DAY, "01 ngày làm việc", FeeKind.FREE, "Miễn lệ phí"
            ),
            documents=(
                _doc("Tờ khai đăng ký kết hôn", template="Tờ khai đăng ký kết hôn", eform=True),
                _doc(
                    "Giấy xác nhận tình trạng hôn nhân",
                    case="Bên kết hôn không thường trú tại nơi đăng ký kết hôn",
                    required=False,
                ),
                _IDENTITY_PAPER,
            ),
            steps=_ward_civil_status_steps(8),
        ),
    ),
    ProcedureSpec(
        code="1.000656",
        name="Thủ tục đăng ký khai tử",
        field_name="Hộ tịch",
        levels=_CIVIL_STATUS_LEVELS,
        kind=_LAW_DELEGATED,
        issuing_authority="Bộ Tư pháp",
        version=VersionSpec(
            publishing_decision="163/QĐ-BTP",
            competent_authority=_COMMUNE_AUTHORITY,
            competent_agency_code=WARD,
            implementing_agencies=_COMMUNE_CENTER_RECEIVES,
            subjects="Công dân Việt Nam",
            result_description="Trích lục khai tử",
            result_type=ResultType.BOTH,
            online_level=OnlineLevel.FULL,
            legal_basis=(
                _CIVIL_STATUS_LAW,
                _CIVIL_STATUS_DECREE,
                _CIVIL_STATUS_ONLINE,
                _JUSTICE_TWO_TIER,
                _COUNCIL_FEES,
            ),
            channels=_channels(
                1,
                Unit.WORKING_DAY,
                "01 ngày làm việc",
                FeeKind.FREE,
                "Miễn lệ phí đối với trường hợp đăng ký khai tử đúng hạn",
            ),
            documents=(
                _doc("Tờ khai đăng ký khai tử", template="Tờ khai đăng ký khai tử", eform=True),
                _doc("Giấy báo tử hoặc giấy tờ thay Giấy báo tử do cơ quan có thẩm quyền cấp"),
                _AUTHORISATION,
                _IDENTITY_PAPER,
            ),
            steps=_ward_civil_status_steps(8),
        ),
    ),
    ProcedureSpec(
        code="1.004873",
        name="Thủ tục cấp Giấy xác nhận tình trạng hôn nhân",
        field_name="Hộ tịch",
        levels=_CIVIL_STATUS_LEVELS,
        kind=_LAW_DELEGATED,
        issuing_authority="Bộ Tư pháp",
        version=VersionSpec(
            publishing_decision="163/QĐ-BTP",
            competent_authority=_COMMUNE_AUTHORITY,
            competent_agency_code=WARD,
            implementing_agencies=_COMMUNE_CENTER_RECEIVES,
            subjects="Công dân Việt Nam; người Việt Nam định cư ở nước ngoài",
            result_description="Giấy xác nhận tình trạng hôn nhân",
            result_type=ResultType.BOTH,
            online_level=OnlineLevel.FULL,
            legal_basis=(
                _CIVIL_STATUS_LAW,
                _CIVIL_STATUS_DECREE,
                _CIVIL_STATUS_ONLINE,
                _JUSTICE_TWO_TIER,
                _COUNCIL_FEES,
            ),
            channels=_channels(
                3,
                Unit.WORKING_DAY,
                "03 ngày làm việc",
                FeeKind.COUNCIL,
                "Mức lệ phí do Hội đồng nhân dân tỉnh quyết định; miễn lệ phí cho người thuộc "
                "gia đình có công với cách mạng, hộ nghèo, người khuyết tật",
            ),
            documents=(
                _doc(
                    "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân",
                    template="Tờ khai cấp Giấy xác nhận tình trạng hôn nhân",
                    eform=True,
                ),
                _doc(
                    "Giấy xác nhận tình trạng hôn nhân đã được cấp trước đây",
                    case="Cấp lại để sử dụng vào mục đích khác hoặc do đã hết thời hạn sử dụng",
                    required=False,
                ),
                _AUTHORISATION,
                _IDENTITY_PAPER,
            ),
            steps=_ward_civil_status_steps(24),
        ),
    ),
    ProcedureSpec(
        code="1.004859",
        name="Thủ tục thay đổi, cải chính, bổ sung thông tin hộ tịch, xác định lại dân tộc",
        field_name="Hộ tịch",
        levels=_CIVIL_STATUS_LEVELS,
        kind=_LAW_DELEGATED,
        issuing_authority="Bộ Tư pháp",
        version=VersionSpec(
            publishing_decision="163/QĐ-BTP",
            competent_authority=_COMMUNE_AUTHORITY,
            competent_agency_code=WARD,
            implementing_agencies=_COMMUNE_CENTER_RECEIVES,
            subjects="Công dân Việt Nam",
            result_description="Trích lục thay đổi, cải chính, bổ sung thông tin hộ tịch, "
            "xác định lại dân tộc",
            result_type=ResultType.BOTH,
            online_level=OnlineLevel.FULL,
            legal_basis=(
                _CIVIL_STATUS_LAW,
                _CIVIL_STATUS_DECREE,
                _CIVIL_STATUS_CIRCULAR,
                _JUSTICE_TWO_TIER,
                _COUNCIL_FEES,
            ),
            channels=_channels(
                3,
                Unit.WORKING_DAY,
                "03 ngày làm việc; trường hợp cần xác minh được kéo dài thêm không quá 03 ngày "
                "làm việc",
                FeeKind.COUNCIL,
                "Mức lệ phí do Hội đồng nhân dân tỉnh quyết định",
            ),
            documents=(
                _doc(
                    "Tờ khai đăng ký thay đổi, cải chính, bổ sung thông tin hộ tịch, xác định "
                    "lại dân tộc",
                    eform=True,
                ),
                _doc(
                    "Giấy tờ liên quan làm căn cứ cho việc thay đổi, cải chính, bổ sung thông "
                    "tin hộ tịch",
                    originals=0,
                    copies=1,
                    form=DocumentForm.ORIGINAL_OR_COPY,
                ),
                _AUTHORISATION,
                _IDENTITY_PAPER,
            ),
            steps=_ward_civil_status_steps(24),
        ),
    ),
    ProcedureSpec(
        code="2.000635",
        name="Cấp bản sao Trích lục hộ tịch, bản sao Giấy khai sinh",
        field_name="Hộ tịch",
        levels=frozenset({ImplementingLevel.PROVINCE, ImplementingLevel.COMMUNE}),
        issuing_authority="Bộ Tư pháp",
        version=VersionSpec(
            publishing_decision="163/QĐ-BTP",
            competent_authority="Ủy ban nhân dân cấp xã; Sở Tư pháp",
            competent_agency_code=WARD,
            implementing_agencies=_COMMUNE_CENTER_RECEIVES,
            subjects="Cá nhân có yêu cầu cấp bản sao trích lục hộ tịch",
            result_description="Bản sao Trích lục hộ tịch, bản sao Giấy khai sinh",
            result_type=ResultType.BOTH,
            online_level=OnlineLevel.FULL,
            legal_basis=(
                _CIVIL_STATUS_LAW,
                _CIVIL_STATUS_DECREE,
                (
                    "281/2016/TT-BTC",
                    "Thông tư quy định mức thu, chế độ thu, nộp, quản lý và "
                    "sử dụng phí khai thác, sử dụng thông tin trong cơ sở dữ liệu hộ tịch, phí "
                    "xác nhận có quốc tịch Việt Nam, phí xác nhận là người gốc Việt Nam, lệ phí "
                    "quốc tịch",
                ),
            ),
            channels=_channels(
                None,
                Unit.SAME_DAY,
                _SAME_DAY_TEXT,
                FeeKind.AMOUNT,
                "8.000 đồng/bản sao trích lục",
                fee=8_000,
            ),
            documents=(
                _doc("Tờ khai cấp bản sao trích lục hộ tịch", eform=True),
                _AUTHORISATION,
            ),
            steps=_ward_certification_steps(),
        ),
    ),
    # --- Chứng thực (certification), commune level, same day ---
    ProcedureSpec(
        code="2.000815",
        name=(
            "Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan, tổ chức có thẩm "
            "quyền của Việt Nam; cơ quan, tổ chức có thẩm quyền của nước ngoài; cơ quan, tổ "
            "chức có thẩm quyền của Việt Nam liên kết với cơ quan, tổ chức có thẩm quyền của "
            "nước ngoài cấp hoặc chứng nhận"
        ),
        field_name="Chứng thực",
        levels=frozenset({ImplementingLevel.COMMUNE, ImplementingLevel.OTHER}),
        kind=_NOT_DELEGATED,
        issuing_authority="Bộ Tư pháp",
        version=VersionSpec(
            publishing_decision="3152/QĐ-BTP",
            competent_authority="Ủy ban nhân dân cấp xã; tổ chức hành nghề công chứng",
            competent_agency_code=WARD,
            implementing_agencies=_COMMUNE_CENTER_RECEIVES,
            subjects="Cá nhân, tổ chức có yêu cầu chứng thực",
            result_description="Bản sao được chứng thực từ bản chính",
            result_type=ResultType.PAPER,
            online_level=OnlineLevel.NONE,
            legal_basis=(
                _CERTIFICATION_DECREE,
                _CERTIFICATION_AMENDMENT,
                (
                    "01/2020/TT-BTP",
                    "Thông tư quy định chi tiết, hướng dẫn thi hành một số điều "
                    "của Nghị định số 23/2015/NĐ-CP",
                ),
                _CERTIFICATION_FEES,
            ),
            channels=_channels(
                None,
                Unit.SAME_DAY,
                _SAME_DAY_TEXT,
                FeeKind.AMOUNT,
                "2.000 đồng/trang; từ trang thứ ba trở lên thu 1.000 đồng/trang, tối đa "
                "200.000 đồng/bản",
                fee=2_000,
                channels=(Channel.COUNTER,),
            ),
            documents=(
                _doc(
                    "Bản chính giấy tờ, văn bản làm cơ sở để chứng thực bản sao và bản sao cần "
                    "chứng thực (nếu chỉ xuất trình bản chính thì cơ quan chụp từ bản chính)",
                    originals=1,
                    copies=1,
                ),
            ),
            steps=_ward_certification_steps(),
        ),
    ),
    ProcedureSpec(
        code="2.000884",
        name=(
            "Chứng thực chữ ký trong các giấy tờ, văn bản (áp dụng cho cả trường hợp chứng "
            "thực điểm chỉ và trường hợp người yêu cầu chứng thực không thể ký, không thể "
            "điểm chỉ được)"
        ),
        field_name="Chứng thực",
        levels=frozenset({ImplementingLevel.COMMUNE, ImplementingLevel.OTHER}),
        kind=_NOT_DELEGATED,
        issuing_authority="Bộ Tư pháp",
        version=VersionSpec(
            publishing_decision="858/QĐ-BTP",
            competent_authority="Ủy ban nhân dân cấp xã; tổ chức hành nghề công chứng",
            competent_agency_code=WARD,
            implementing_agencies=_COMMUNE_CENTER_RECEIVES,
            subjects="Cá nhân có yêu cầu chứng thực chữ ký",
            result_description="Giấy tờ, văn bản được chứng thực chữ ký/điểm chỉ",
            result_type=ResultType.PAPER,
            online_level=OnlineLevel.NONE,
            legal_basis=(_CERTIFICATION_DECREE, _CERTIFICATION_AMENDMENT, _CERTIFICATION_FEES),
            channels=_channels(
                None,
                Unit.SAME_DAY,
                _SAME_DAY_TEXT,
                FeeKind.AMOUNT,
                "10.000 đồng/trường hợp (một hoặc nhiều chữ ký trong một giấy tờ, văn bản)",
                fee=10_000,
                channels=(Channel.COUNTER,),
            ),
            documents=(
                _IDENTITY_PAPER,
                _doc("Giấy tờ, văn bản cần chứng thực chữ ký"),
            ),
            steps=_ward_certification_steps(),
        ),
    ),
    ProcedureSpec(
        code="2.001019",
        name="Chứng thực di chúc",
        field_name="Chứng thực",
        levels=_CIVIL_STATUS_LEVELS,
        kind=_NOT_DELEGATED,
        issuing_authority="Bộ Tư pháp",
        version=VersionSpec(
            publishing_decision="858/QĐ-BTP",
            competent_authority=_COMMUNE_AUTHORITY,
            competent_agency_code=WARD,
            implementing_agencies=_COMMUNE_CENTER_RECEIVES,
            subjects="Người lập di chúc",
            result_description="Di chúc được chứng thực",
            result_type=ResultType.PAPER,
            online_level=OnlineLevel.NONE,
            legal_basis=(_CERTIFICATION_DECREE, _CERTIFICATION_AMENDMENT, _CERTIFICATION_FEES),
            channels=_channels(
                2,
                Unit.WORKING_DAY,
                "Không quá 02 ngày làm việc",
                FeeKind.AMOUNT,
                "50.000 đồng/di chúc",
                fee=50_000,
                channels=(Channel.COUNTER,),
            ),
            documents=(
                _doc("Dự thảo di chúc"),
                _doc(
                    "Giấy chứng nhận quyền sở hữu, quyền sử dụng tài sản (đối với tài sản phải "
                    "đăng ký quyền sở hữu, quyền sử dụng)",
                    originals=0,
                    copies=1,
                    form=DocumentForm.ORIGINAL_OR_COPY,
                ),
                _IDENTITY_PAPER,
            ),
            steps=_ward_civil_status_steps(16),
        ),
    ),
    # --- Hộ kinh doanh (household businesses), commune level ---
    ProcedureSpec(
        code="1.001612",
        name="Đăng ký thành lập hộ kinh doanh",
        field_name="Thành lập và hoạt động doanh nghiệp (hộ kinh doanh)",
        levels=frozenset({ImplementingLevel.MINISTRY, ImplementingLevel.COMMUNE}),
        kind=_LAW_DELEGATED,
        issuing_authority="Bộ Tài chính",
        version=VersionSpec(
            publishing_decision="2353/QĐ-BTC",
            competent_authority="Cơ quan đăng ký kinh doanh cấp xã",
            competent_agency_code=WARD,
            implementing_agencies="Phòng Kinh tế, Hạ tầng và Đô thị phường",
            subjects="Cá nhân, thành viên hộ gia đình là công dân Việt Nam",
            result_description="Giấy chứng nhận đăng ký hộ kinh doanh",
            result_type=ResultType.BOTH,
            online_level=OnlineLevel.FULL,
            legal_basis=(
                _ENTERPRISE_LAW,
                _ENTERPRISE_LAW_2025,
                _BUSINESS_REGISTRATION_DECREE,
                _BUSINESS_FORMS,
                _COUNCIL_FEES,
            ),
            channels=_channels(
                3,
                Unit.WORKING_DAY,
                "03 ngày làm việc",
                FeeKind.COUNCIL,
                "Lệ phí đăng ký hộ kinh doanh do Hội đồng nhân dân tỉnh quy định, nộp khi nộp "
                "hồ sơ; không hoàn trả khi không được cấp đăng ký",
            ),
            documents=(
                _doc("Giấy đề nghị đăng ký hộ kinh doanh", template="Phụ lục III-1", eform=True),
                _doc(
                    "Biên bản họp thành viên hộ gia đình về việc thành lập hộ kinh doanh",
                    originals=0,
                    copies=1,
                    form=DocumentForm.COPY,
                    case="Các thành viên hộ gia đình đăng ký hộ kinh doanh",
                    required=False,
                ),
                _doc(
                    "Văn bản ủy quyền hoặc hợp đồng cung cấp dịch vụ kèm giấy giới thiệu",
                    originals=0,
                    copies=1,
                    form=DocumentForm.COPY,
                    case="Trường hợp ủy quyền thực hiện thủ tục",
                    required=False,
                ),
            ),
            steps=_ward_business_steps("Trưởng phòng ký Giấy chứng nhận đăng ký hộ kinh doanh"),
        ),
    ),
    ProcedureSpec(
        code="2.000720",
        name="Đăng ký thay đổi nội dung đăng ký hộ kinh doanh",
        field_name="Thành lập và hoạt động doanh nghiệp (hộ kinh doanh)",
        levels=frozenset({ImplementingLevel.MINISTRY, ImplementingLevel.COMMUNE}),
        kind=_LAW_DELEGATED,
        issuing_authority="Bộ Tài chính",
        version=VersionSpec(
            publishing_decision="2353/QĐ-BTC",
            competent_authority="Cơ quan đăng ký kinh doanh cấp xã",
            competent_agency_code=WARD,
            implementing_agencies="Phòng Kinh tế, Hạ tầng và Đô thị phường",
            subjects="Hộ kinh doanh",
            result_description="Giấy chứng nhận đăng ký hộ kinh doanh (cấp mới theo nội dung "
            "thay đổi)",
            result_type=ResultType.BOTH,
            online_level=OnlineLevel.FULL,
            legal_basis=(
                _ENTERPRISE_LAW,
                _ENTERPRISE_LAW_2025,
                _BUSINESS_REGISTRATION_DECREE,
                _BUSINESS_FORMS,
                _COUNCIL_FEES,
            ),
            channels=_channels(
                3,
                Unit.WORKING_DAY,
                "03 ngày làm việc",
                FeeKind.COUNCIL,
                "Lệ phí do Hội đồng nhân dân tỉnh quy định",
            ),
            documents=(
                _doc("Thông báo thay đổi nội dung đăng ký hộ kinh doanh", eform=True),
                _doc(
                    "Giấy chứng tử hoặc quyết định của Tòa án tuyên bố chủ hộ đã chết, mất "
                    "tích, bị hạn chế hoặc mất năng lực hành vi dân sự",
                    originals=0,
                    copies=1,
                    form=DocumentForm.COPY,
                    case="Thay đổi chủ hộ kinh doanh do chủ hộ chết, mất tích, ...",
                    required=False,
                ),
            ),
            steps=_ward_business_steps("Trưởng phòng ký Giấy chứng nhận đăng ký hộ kinh doanh"),
        ),
    ),
    # --- Đất đai, xây dựng, thương mại at the ward ---
    ProcedureSpec(
        code="1.013978",
        name=(
            "Đăng ký đất đai, tài sản gắn liền với đất, cấp Giấy chứng nhận quyền sử dụng đất, "
            "quyền sở hữu tài sản gắn liền với đất lần đầu đối với hộ gia đình, cá nhân, cộng "
            "đồng dân cư, người gốc Việt Nam định cư ở nước ngoài"
        ),
        field_name="Đất đai",
        levels=_CIVIL_STATUS_LEVELS,
        kind=_LAW_DELEGATED,
        issuing_authority="Bộ Nông nghiệp và Môi trường",
        version=VersionSpec(
            publishing_decision="3380/QĐ-BNNMT",
            competent_authority="Chủ tịch Ủy ban nhân dân xã",
            competent_agency_code=WARD,
            implementing_agencies=(
                f"{_COMMUNE_CENTER_RECEIVES}; Chi nhánh Văn phòng đăng ký đất đai"
            ),
            coordinating_agencies="Chi nhánh Văn phòng Đăng ký đất đai; cơ quan thuế",
            subjects="Hộ gia đình, cá nhân, cộng đồng dân cư, người gốc Việt Nam định cư ở "
            "nước ngoài",
            result_description="Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn "
            "liền với đất; hoặc thông báo xác nhận kết quả đăng ký đất đai",
            result_type=ResultType.PAPER,
            online_level=OnlineLevel.PARTIAL,
            legal_basis=(
                _LAND_LAW,
                _LAND_LAW_AMENDMENT,
                _LAND_REGISTRATION_DECREE,
                _LAND_TWO_TIER,
                _ONE_STOP_DECREE,
            ),
            channels=(
                ChannelSpec(
                    channel=Channel.ONLINE,
                    time_limit_amount=Decimal(17),
                    time_limit_unit=Unit.WORKING_DAY,
                    time_limit_text="17 ngày làm việc",
                    fee_kind=FeeKind.COUNCIL,
                    fee_text="Lệ phí cấp Giấy chứng nhận, phí thẩm định hồ sơ theo Nghị quyết "
                    "của Hội đồng nhân dân tỉnh",
                ),
                ChannelSpec(
                    channel=Channel.POSTAL,
                    time_limit_amount=Decimal(20),
                    time_limit_unit=Unit.WORKING_DAY,
                    time_limit_text="20 ngày làm việc",
                    fee_kind=FeeKind.COUNCIL,
                    fee_text="Lệ phí cấp Giấy chứng nhận, phí thẩm định hồ sơ theo Nghị quyết "
                    "của Hội đồng nhân dân tỉnh",
                ),
                ChannelSpec(
                    channel=Channel.COUNTER,
                    time_limit_amount=Decimal(27),
                    time_limit_unit=Unit.WORKING_DAY,
                    time_limit_text="27 ngày làm việc",
                    fee_kind=FeeKind.COUNCIL,
                    fee_text="Lệ phí cấp Giấy chứng nhận, phí thẩm định hồ sơ theo Nghị quyết "
                    "của Hội đồng nhân dân tỉnh",
                ),
            ),
            documents=(
                _doc("Đơn đăng ký đất đai, tài sản gắn liền với đất", eform=True),
                _doc(
                    "Một trong các giấy tờ về quyền sử dụng đất quy định tại Điều 137 Luật Đất "
                    "đai (nếu có)",
                    originals=1,
                    copies=1,
                    form=DocumentForm.ORIGINAL_OR_COPY,
                    required=False,
                ),
                _doc(
                    "Giấy tờ về việc chuyển quyền sử dụng đất có chữ ký của bên chuyển quyền và "
                    "bên nhận chuyển quyền",
                    originals=1,
                    copies=1,
                    form=DocumentForm.ORIGINAL_OR_COPY,
                    case="Nhận chuyển quyền mà chưa thực hiện thủ tục chuyển quyền",
                    required=False,
                ),
                _doc(
                    "Chứng từ thực hiện nghĩa vụ tài chính; giấy tờ về miễn, giảm nghĩa vụ tài "
                    "chính về đất đai (nếu có)",
                    originals=1,
                    copies=1,
                    form=DocumentForm.ORIGINAL_OR_COPY,
                    required=False,
                ),
            ),
            steps=(
                _step("Tiếp nhận hồ sơ", 4, Role.RECEIVER, WARD_CENTER),
                _step(
                    "Kiểm tra hồ sơ, trích đo địa chính thửa đất",
                    40,
                    Role.SPECIALIST,
                    LAND_REGISTRY_BRANCH,
                ),
                _step(
                    "Xác nhận hiện trạng, nguồn gốc sử dụng đất; niêm yết công khai",
                    40,
                    Role.SPECIALIST,
                    WARD_ECONOMY,
                ),
                _step(
                    "Cập nhật hồ sơ địa chính, in Giấy chứng nhận",
                    24,
                    Role.SPECIALIST,
                    LAND_REGISTRY_BRANCH,
                ),
                _step("Chủ tịch Ủy ban nhân dân phường ký Giấy chứng nhận", 16, Role.LEADER, WARD),
                _step("Trả kết quả", 4, Role.RECEIVER, WARD_CENTER),
            ),
        ),
    ),
    ProcedureSpec(
        code="1.013949",
        name=(
            "Giao đất, cho thuê đất, chuyển mục đích sử dụng đất đối với trường hợp giao đất, "
            "cho thuê đất không đấu giá quyền sử dụng đất, không đấu thầu lựa chọn nhà đầu tư "
            "thực hiện dự án có sử dụng đất; trường hợp giao đất, cho thuê đất thông qua đấu "
            "thầu lựa chọn nhà đầu tư thực hiện dự án có sử dụng đất; giao đất và giao rừng; "
            "cho thuê đất và cho thuê rừng, gia hạn sử dụng đất khi hết thời hạn sử dụng đất"
        ),
        field_name="Đất đai",
        levels=_CIVIL_STATUS_LEVELS,
        kind=_LAW_DELEGATED,
        issuing_authority="Bộ Nông nghiệp và Môi trường",
        version=VersionSpec(
            publishing_decision="3380/QĐ-BNNMT",
            competent_authority="Chủ tịch Ủy ban nhân dân xã",
            competent_agency_code=WARD,
            implementing_agencies=f"{_COMMUNE_CENTER_RECEIVES}; cơ quan quản lý đất đai cấp xã",
            subjects="Hộ gia đình, cá nhân sử dụng đất",
            result_description="Quyết định giao đất, cho thuê đất, cho phép chuyển mục đích sử "
            "dụng đất",
            result_type=ResultType.PAPER,
            online_level=OnlineLevel.PARTIAL,
            legal_basis=(
                _LAND_LAW,
                (
                    "102/2024/NĐ-CP",
                    "Nghị định quy định chi tiết thi hành một số điều của Luật Đất đai",
                ),
                _LAND_TWO_TIER,
                _ONE_STOP_DECREE,
            ),
            channels=_channels(
                15,
                Unit.CALENDAR_DAY,
                "15 ngày (không kể thời gian giải phóng mặt bằng, xác định giá đất)",
                FeeKind.FREE,
                "Không thu phí, lệ phí giải quyết thủ tục; người sử dụng đất nộp tiền sử dụng "
                "đất, tiền thuê đất (nếu có) theo thông báo của cơ quan thuế",
            ),
            documents=(
                _doc(
                    "Đơn xin giao đất, cho thuê đất, cho phép chuyển mục đích sử dụng đất",
                    eform=True,
                ),
                _doc(
                    "Giấy chứng nhận quyền sử dụng đất đã cấp",
                    originals=0,
                    copies=1,
                    form=DocumentForm.COPY,
                    case="Chuyển mục đích sử dụng đất",
                ),
            ),
            steps=(
                _step("Tiếp nhận hồ sơ", 4, Role.RECEIVER, WARD_CENTER),
                _step(
                    "Thẩm định nhu cầu sử dụng đất, kiểm tra thực địa",
                    32,
                    Role.SPECIALIST,
                    WARD_ECONOMY,
                ),
                _step("Trình dự thảo quyết định", 8, Role.DIVISION_HEAD, WARD_ECONOMY),
                _step("Chủ tịch Ủy ban nhân dân phường ký quyết định", 12, Role.LEADER, WARD),
                _step("Trả kết quả", 4, Role.RECEIVER, WARD_CENTER),
            ),
        ),
    ),
    ProcedureSpec(
        # From recollection of the national catalogue (the exported data holds no Ministry of
        # Construction procedure); check against the portal before an integration relies on it.
        code="1.009994",
        name="Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ",
        field_name="Hoạt động xây dựng",
        levels=_CIVIL_STATUS_LEVELS,
        issuing_authority="Bộ Xây dựng",
        version=VersionSpec(
            competent_authority=_COMMUNE_AUTHORITY,
            competent_agency_code=WARD,
            implementing_agencies=_COMMUNE_CENTER_RECEIVES,
            subjects="Hộ gia đình, cá nhân là chủ đầu tư xây dựng nhà ở riêng lẻ",
            result_description="Giấy phép xây dựng",
            result_type=ResultType.PAPER,
            online_level=OnlineLevel.PARTIAL,
            legal_basis=(_CONSTRUCTION_LAW, _CONSTRUCTION_LAW_2020, _CONSTRUCTION_DECREE),
            channels=_channels(
                15,
                Unit.CALENDAR_DAY,
                "15 ngày kể từ ngày nhận đủ hồ sơ hợp lệ",
                FeeKind.AMOUNT,
                "Lệ phí cấp giấy phép xây dựng nhà ở riêng lẻ theo Nghị quyết của Hội đồng "
                "nhân dân tỉnh (mức minh họa: 75.000 đồng/giấy phép)",
                fee=75_000,
                channels=(Channel.COUNTER, Channel.ONLINE),
            ),
            documents=(
                _doc("Đơn đề nghị cấp giấy phép xây dựng", eform=True),
                _doc(
                    "Giấy tờ chứng minh quyền sử dụng đất",
                    originals=0,
                    copies=1,
                    form=DocumentForm.COPY,
                ),
                _doc(
                    "Bản vẽ thiết kế xây dựng: mặt bằng, mặt cắt, mặt đứng, móng và sơ đồ đấu "
                    "nối hạ tầng kỹ thuật",
                    originals=2,
                ),
                _doc(
                    "Văn bản cam kết bảo đảm an toàn đối với công trình liền kề",
                    case="Công trình xây dựng có công trình liền kề",
                    required=False,
                ),
            ),
            steps=(
                _step("Tiếp nhận hồ sơ", 4, Role.RECEIVER, WARD_CENTER),
                _step("Kiểm tra thực địa, thẩm định hồ sơ", 40, Role.SPECIALIST, WARD_ECONOMY),
                _step("Trình ký giấy phép", 8, Role.DIVISION_HEAD, WARD_ECONOMY),
                _step("Chủ tịch Ủy ban nhân dân phường ký giấy phép", 8, Role.LEADER, WARD),
                _step("Vào sổ, đóng dấu, phát hành", 2, Role.CLERK, WARD_OFFICE),
                _step("Trả kết quả", 2, Role.RECEIVER, WARD_CENTER),
            ),
        ),
    ),
    ProcedureSpec(
        # National code not confirmed: a local demo code rather than a guessed national one.
        code="DEMO.CT.01",
        name="Cấp Giấy phép bán lẻ rượu",
        field_name="Lưu thông hàng hóa trong nước",
        levels=_CIVIL_STATUS_LEVELS,
        issuing_authority="Bộ Công Thương",
        version=VersionSpec(
            competent_authority=_COMMUNE_AUTHORITY,
            competent_agency_code=WARD,
            implementing_agencies="Phòng Kinh tế, Hạ tầng và Đô thị phường",
            subjects="Thương nhân bán lẻ rượu có độ cồn từ 5,5 độ trở lên",
            conditions="Có địa điểm kinh doanh cố định, hợp pháp; có văn bản giới thiệu hoặc "
            "hợp đồng với thương nhân sản xuất, phân phối hoặc bán buôn sản phẩm rượu",
            result_description="Giấy phép bán lẻ rượu",
            result_type=ResultType.BOTH,
            online_level=OnlineLevel.PARTIAL,
            legal_basis=(
                ("105/2017/NĐ-CP", "Nghị định về kinh doanh rượu"),
                (
                    "17/2020/NĐ-CP",
                    "Nghị định sửa đổi, bổ sung một số điều của các Nghị định "
                    "liên quan đến điều kiện đầu tư kinh doanh thuộc lĩnh vực quản lý nhà nước của "
                    "Bộ Công Thương",
                ),
            ),
            channels=_channels(
                10,
                Unit.WORKING_DAY,
                "10 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ",
                FeeKind.AMOUNT,
                "Phí thẩm định điều kiện kinh doanh (mức minh họa: 1.200.000 đồng/điểm kinh doanh)",
                fee=1_200_000,
            ),
            documents=(
                _doc("Đơn đề nghị cấp Giấy phép bán lẻ rượu", eform=True),
                _doc(
                    "Giấy tờ chứng minh quyền sử dụng hợp pháp địa điểm kinh doanh (hợp đồng "
                    "thuê, mượn hoặc giấy tờ về quyền sử dụng)",
                    originals=0,
                    copies=1,
                    form=DocumentForm.COPY,
                ),
                _doc(
                    "Văn bản giới thiệu hoặc hợp đồng mua bán với thương nhân sản xuất, phân "
                    "phối, bán buôn sản phẩm rượu",
                    originals=0,
                    copies=1,
                    form=DocumentForm.COPY,
                ),
            ),
            steps=(
                _step("Tiếp nhận hồ sơ", 2, Role.RECEIVER, WARD_CENTER),
                _step("Thẩm định hồ sơ, kiểm tra địa điểm", 40, Role.SPECIALIST, WARD_ECONOMY),
                _step("Trình ký giấy phép", 12, Role.DIVISION_HEAD, WARD_ECONOMY),
                _step("Lãnh đạo Ủy ban nhân dân phường ký giấy phép", 16, Role.LEADER, WARD),
                _step("Trả kết quả", 2, Role.RECEIVER, WARD_CENTER),
            ),
        ),
    ),
    # --- Cư trú, căn cước (residence and ID), ward police ---
    ProcedureSpec(
        code="1.004222",
        name="Đăng ký thường trú",
        field_name="Đăng ký, quản lý cư trú",
        levels=_CIVIL_STATUS_LEVELS,
        kind=_LAW_DELEGATED,
        issuing_authority="Bộ Công an",
        version=VersionSpec(
            publishing_decision="1523/QĐ-BCA-C06",
            competent_authority="Công an cấp xã",
            competent_agency_code=WARD_POLICE,
            implementing_agencies=f"Công an cấp xã; {_COMMUNE_CENTER_RECEIVES}",
            subjects="Công dân Việt Nam; người Việt Nam định cư ở nước ngoài",
            result_description="Cập nhật thông tin trong Cơ sở dữ liệu về cư trú; thông báo "
            "kết quả giải quyết thủ tục về cư trú",
            result_type=ResultType.ELECTRONIC,
            online_level=OnlineLevel.FULL,
            legal_basis=(
                _RESIDENCE_LAW,
                _RESIDENCE_DECREE,
                _RESIDENCE_CIRCULAR,
                _RESIDENCE_FEES,
            ),
            channels=(
                ChannelSpec(
                    channel=Channel.ONLINE,
                    time_limit_amount=Decimal(7),
                    time_limit_unit=Unit.WORKING_DAY,
                    time_limit_text="07 ngày làm việc",
                    fee_kind=FeeKind.AMOUNT,
                    fee_amount=Decimal(10_000),
                    fee_text="10.000 đồng/lần đăng ký khi nộp trực tuyến",
                ),
                ChannelSpec(
                    channel=Channel.COUNTER,
                    time_limit_amount=Decimal(7),
                    time_limit_unit=Unit.WORKING_DAY,
                    time_limit_text="07 ngày làm việc",
                    fee_kind=FeeKind.AMOUNT,
                    fee_amount=Decimal(20_000),
                    fee_text="20.000 đồng/lần đăng ký; miễn cho các đối tượng tại Điều 4 "
                    "Thông tư số 75/2022/TT-BTC",
                ),
            ),
            documents=(
                _doc(
                    "Tờ khai thay đổi thông tin cư trú (Mẫu CT01 ban hành kèm theo Thông tư số "
                    "53/2025/TT-BCA)",
                    template="CT01",
                    eform=True,
                ),
                _doc(
                    "Giấy tờ, tài liệu chứng minh chỗ ở hợp pháp",
                    originals=0,
                    copies=1,
                    form=DocumentForm.ORIGINAL_OR_COPY,
                    case="Không khai thác được thông tin trong cơ sở dữ liệu",
                    required=False,
                ),
                _doc(
                    "Giấy tờ, tài liệu chứng minh quan hệ nhân thân với chủ hộ, thành viên hộ "
                    "gia đình",
                    originals=0,
                    copies=1,
                    form=DocumentForm.ORIGINAL_OR_COPY,
                    case="Đăng ký vào chỗ ở hợp pháp không thuộc quyền sở hữu của mình",
                    required=False,
                ),
            ),
            steps=_ward_police_steps(56),
        ),
    ),
    ProcedureSpec(
        code="1.004194",
        name="Đăng ký tạm trú",
        field_name="Đăng ký, quản lý cư trú",
        levels=_CIVIL_STATUS_LEVELS,
        kind=_LAW_DELEGATED,
        issuing_authority="Bộ Công an",
        version=VersionSpec(
            publishing_decision="9354/QĐ-BCA-C06",
            competent_authority="Công an cấp xã",
            competent_agency_code=WARD_POLICE,
            implementing_agencies=f"Công an cấp xã; {_COMMUNE_CENTER_RECEIVES}",
            subjects="Công dân Việt Nam",
            result_description="Cập nhật thông tin trong Cơ sở dữ liệu về cư trú; thông báo "
            "kết quả giải quyết thủ tục về cư trú",
            result_type=ResultType.ELECTRONIC,
            online_level=OnlineLevel.FULL,
            legal_basis=(
                _RESIDENCE_LAW,
                _RESIDENCE_DECREE,
                _RESIDENCE_CIRCULAR,
                _RESIDENCE_FEES,
            ),
            channels=(
                ChannelSpec(
                    channel=Channel.ONLINE,
                    time_limit_amount=Decimal(3),
                    time_limit_unit=Unit.WORKING_DAY,
                    time_limit_text="03 ngày làm việc",
                    fee_kind=FeeKind.AMOUNT,
                    fee_amount=Decimal(7_000),
                    fee_text="7.000 đồng/lần đăng ký khi nộp trực tuyến",
                ),
                ChannelSpec(
                    channel=Channel.COUNTER,
                    time_limit_amount=Decimal(3),
                    time_limit_unit=Unit.WORKING_DAY,
                    time_limit_text="03 ngày làm việc",
                    fee_kind=FeeKind.AMOUNT,
                    fee_amount=Decimal(10_000),
                    fee_text="10.000 đồng/người/lần đăng ký",
                ),
            ),
            documents=(
                _doc(
                    "Tờ khai thay đổi thông tin cư trú (Mẫu CT01 ban hành kèm theo Thông tư số "
                    "53/2025/TT-BCA)",
                    template="CT01",
                    eform=True,
                ),
                _doc(
                    "Giấy tờ, tài liệu chứng minh chỗ ở hợp pháp",
                    originals=0,
                    copies=1,
                    form=DocumentForm.ORIGINAL_OR_COPY,
                    case="Không khai thác được thông tin trong cơ sở dữ liệu",
                    required=False,
                ),
            ),
            steps=_ward_police_steps(24),
        ),
    ),
    ProcedureSpec(
        code="1.010041",
        name="Xác nhận thông tin về cư trú",
        field_name="Đăng ký, quản lý cư trú",
        levels=_CIVIL_STATUS_LEVELS,
        issuing_authority="Bộ Công an",
        version=VersionSpec(
            publishing_decision="9354/QĐ-BCA-C06",
            competent_authority="Công an cấp xã",
            competent_agency_code=WARD_POLICE,
            implementing_agencies=f"Công an cấp xã; {_COMMUNE_CENTER_RECEIVES}",
            subjects="Công dân Việt Nam",
            result_description="Xác nhận thông tin về cư trú (Mẫu CT07)",
            result_type=ResultType.ELECTRONIC,
            online_level=OnlineLevel.FULL,
            legal_basis=(_RESIDENCE_LAW, _RESIDENCE_CIRCULAR),
            channels=tuple(
                ChannelSpec(
                    channel=channel,
                    time_limit_amount=Decimal(days),
                    time_limit_unit=Unit.WORKING_DAY,
                    time_limit_text=text,
                    fee_kind=FeeKind.FREE,
                    description=case,
                )
                for channel in (Channel.ONLINE, Channel.COUNTER)
                for days, text, case in (
                    (
                        1,
                        "01 ngày làm việc",
                        "Thông tin đã có trong Cơ sở dữ liệu quốc gia về dân cư",
                    ),
                    (3, "03 ngày làm việc", "Trường hợp cần xác minh"),
                )
            ),
            documents=(
                _doc(
                    "Tờ khai thay đổi thông tin cư trú (Mẫu CT01 ban hành kèm theo Thông tư số "
                    "53/2025/TT-BCA); khi nộp trực tuyến khai theo biểu mẫu điện tử",
                    template="CT01",
                    eform=True,
                ),
            ),
            steps=_ward_police_steps(8),
        ),
    ),
    ProcedureSpec(
        code="1.014061",
        name="Cấp thẻ căn cước cho người từ đủ 14 tuổi trở lên",
        field_name="Cấp, quản lý căn cước",
        levels=_CIVIL_STATUS_LEVELS,
        issuing_authority="Bộ Công an",
        version=VersionSpec(
            publishing_decision="5710/QĐ-BCA-C06",
            competent_authority="Cục Cảnh sát quản lý hành chính về trật tự xã hội",
            competent_agency_code=WARD_POLICE,
            implementing_agencies="Công an cấp xã; Bộ phận Một cửa cấp xã",
            subjects="Công dân Việt Nam từ đủ 14 tuổi trở lên",
            result_description="Thẻ căn cước",
            result_type=ResultType.PAPER,
            online_level=OnlineLevel.PARTIAL,
            legal_basis=(
                ("26/2023/QH15", "Luật Căn cước"),
                (
                    "70/2024/NĐ-CP",
                    "Nghị định quy định chi tiết một số điều và biện pháp thi hành Luật Căn cước",
                ),
                (
                    "17/2024/TT-BCA",
                    "Thông tư quy định chi tiết một số điều và biện pháp thi hành Luật Căn cước",
                ),
                _RESIDENCE_CIRCULAR,
            ),
            channels=_channels(
                7,
                Unit.WORKING_DAY,
                "Không quá 07 ngày làm việc",
                FeeKind.FREE,
                "Cấp thẻ căn cước lần đầu không thu lệ phí",
                channels=(Channel.COUNTER, Channel.ONLINE),
            ),
            documents=(
                _doc(
                    "Phiếu đề nghị giải quyết thủ tục về căn cước (Mẫu DC02 ban hành kèm theo "
                    "Thông tư số 17/2024/TT-BCA)",
                    template="DC02",
                ),
                _doc(
                    "Phiếu thu thập thông tin dân cư (Mẫu DC01 ban hành kèm theo Thông tư số "
                    "53/2025/TT-BCA)",
                    template="DC01",
                    case="Công dân chưa có thông tin trong Cơ sở dữ liệu quốc gia về dân cư",
                    required=False,
                ),
            ),
            steps=(
                _step(
                    "Thu nhận thông tin, sinh trắc học của công dân",
                    4,
                    Role.SPECIALIST,
                    WARD_POLICE,
                ),
                _step("Trưởng Công an phường phê duyệt hồ sơ", 4, Role.LEADER, WARD_POLICE),
                _step(
                    "Kiểm duyệt, chuyển dữ liệu đề nghị in thẻ căn cước",
                    40,
                    Role.SPECIALIST,
                    POLICE_ADMIN,
                ),
                _step("Trả thẻ căn cước", 4, Role.SPECIALIST, WARD_POLICE),
            ),
        ),
    ),
    # --- Province level: police ---
    ProcedureSpec(
        code="3.000333",
        name=(
            "Cấp Phiếu Lý lịch tư pháp cho công dân Việt Nam, người nước ngoài đang cư trú tại "
            "Việt Nam, người Việt Nam đang cư trú ở nước ngoài"
        ),
        field_name="Lý lịch tư pháp",
        levels=frozenset({ImplementingLevel.PROVINCE}),
        kind="Loại khác",
        issuing_authority="Bộ Công an",
        version=VersionSpec(
            publishing_decision="1025/QĐ-BCA",
            competent_authority="Công an tỉnh",
            competent_agency_code=POLICE,
            implementing_agencies=_PROVINCE_CENTER_RECEIVES,
            subjects="Công dân Việt Nam, người Việt Nam định cư ở nước ngoài, người nước ngoài "
            "cư trú tại Việt Nam",
            result_description="Phiếu Lý lịch tư pháp số 1 hoặc số 2",
            result_type=ResultType.BOTH,
            online_level=OnlineLevel.FULL,
            legal_basis=(
                ("28/2009/QH12", "Luật Lý lịch tư pháp"),
                (
                    "244/2016/TT-BTC",
                    "Thông tư quy định mức thu, chế độ thu, nộp, quản lý và sử "
                    "dụng phí cung cấp thông tin lý lịch tư pháp",
                ),
            ),
            channels=_channels(
                10,
                Unit.CALENDAR_DAY,
                "Không quá 10 ngày kể từ ngày nhận đủ hồ sơ hợp lệ",
                FeeKind.AMOUNT,
                "200.000 đồng/lần/người; 100.000 đồng đối với sinh viên, người có công với "
                "cách mạng, thân nhân liệt sĩ (Thông tư số 244/2016/TT-BTC)",
                fee=200_000,
            ),
            documents=(
                _doc(
                    "Tờ khai yêu cầu cấp Phiếu Lý lịch tư pháp (Mẫu số 01/2025/LLTP)",
                    template="01/2025/LLTP",
                    eform=True,
                ),
                _doc(
                    "Thẻ căn cước, Căn cước công dân hoặc Hộ chiếu của người được cấp Phiếu "
                    "(xuất trình bản chính để đối chiếu)",
                    originals=0,
                    copies=1,
                    form=DocumentForm.COPY,
                ),
                _doc(
                    "Văn bản ủy quyền yêu cầu cấp Phiếu Lý lịch tư pháp số 1",
                    case="Trường hợp ủy quyền",
                    required=False,
                ),
                _doc("Giấy tờ chứng minh thuộc đối tượng miễn, giảm phí", required=False),
            ),
            steps=(
                _step("Tiếp nhận hồ sơ", 2, Role.RECEIVER, PROVINCE_CENTER),
                _step(
                    "Tra cứu, xác minh thông tin lý lịch tư pháp",
                    24,
                    Role.SPECIALIST,
                    POLICE_RECORDS,
                ),
                _step("Kiểm tra, trình ký", 8, Role.DIVISION_HEAD, POLICE_RECORDS),
                _step("Lãnh đạo Công an tỉnh ký Phiếu", 8, Role.LEADER, POLICE),
                _step("Trả kết quả", 2, Role.RECEIVER, PROVINCE_CENTER),
            ),
        ),
    ),
    ProcedureSpec(
        code="3.000489",
        name="Thẩm định thiết kế về phòng cháy chữa cháy",
        field_name="Phòng cháy, chữa cháy",
        levels=frozenset({ImplementingLevel.MINISTRY, ImplementingLevel.PROVINCE}),
        kind="Loại khác",
        issuing_authority="Bộ Công an",
        version=VersionSpec(
            publishing_decision="5461/QĐ-BCA-C07",
            competent_authority="Công an tỉnh (Phòng Cảnh sát phòng cháy, chữa cháy và cứu nạn, "
            "cứu hộ)",
            competent_agency_code=POLICE,
            implementing_agencies=_PROVINCE_CENTER_RECEIVES,
            subjects="Chủ đầu tư công trình, chủ phương tiện giao thông",
            result_description="Văn bản thẩm định thiết kế về phòng cháy và chữa cháy",
            result_type=ResultType.BOTH,
            online_level=OnlineLevel.PARTIAL,
            legal_basis=(
                ("55/2024/QH15", "Luật Phòng cháy, chữa cháy và cứu nạn, cứu hộ"),
                (
                    "105/2025/NĐ-CP",
                    "Nghị định quy định chi tiết một số điều và biện pháp thi "
                    "hành Luật Phòng cháy, chữa cháy và cứu nạn, cứu hộ",
                ),
                (
                    "37/2025/TT-BCA",
                    "Thông tư của Bộ trưởng Bộ Công an về phòng cháy, chữa cháy và cứu nạn, cứu hộ",
                ),
            ),
            channels=_channels(
                10,
                Unit.WORKING_DAY,
                "10 ngày làm việc",
                FeeKind.FREE,
                "Theo Điều 26 và Phụ lục Ia Thông tư số 37/2025/TT-BCA",
            ),
            documents=(
                _doc(
                    "Văn bản đề nghị thẩm định thiết kế về phòng cháy và chữa cháy (Mẫu số PC11 "
                    "ban hành kèm theo Nghị định số 105/2025/NĐ-CP)",
                    template="PC11",
                ),
                _doc(
                    "Hồ sơ thiết kế kỹ thuật hoặc thiết kế bản vẽ thi công thể hiện các nội "
                    "dung về phòng cháy và chữa cháy",
                ),
                _doc(
                    "Giấy tờ hợp pháp về đất đai hoặc văn bản về chủ trương đầu tư",
                    originals=0,
                    copies=1,
                    form=DocumentForm.COPY,
                ),
            ),
            steps=(
                _step("Tiếp nhận hồ sơ", 2, Role.RECEIVER, PROVINCE_CENTER),
                _step("Thẩm định hồ sơ thiết kế", 48, Role.SPECIALIST, POLICE_FIRE),
                _step("Kiểm tra, trình ký", 12, Role.DIVISION_HEAD, POLICE_FIRE),
                _step("Lãnh đạo Công an tỉnh ký văn bản thẩm định", 12, Role.LEADER, POLICE),
                _step("Trả kết quả", 2, Role.RECEIVER, PROVINCE_CENTER),
            ),
        ),
    ),
    # --- Province level: departments ---
    ProcedureSpec(
        code="2.001610",
        name="Đăng ký thành lập doanh nghiệp tư nhân",
        field_name="Thành lập và hoạt động của doanh nghiệp",
        levels=frozenset({ImplementingLevel.MINISTRY, ImplementingLevel.PROVINCE}),
        issuing_authority="Bộ Tài chính",
        version=VersionSpec(
            publishing_decision="92/QĐ-BTC",
            competent_authority="Phòng Đăng ký kinh doanh - Sở Tài chính",
            competent_agency_code=BUSINESS_REGISTRATION,
            implementing_agencies=_PROVINCE_CENTER_RECEIVES,
            subjects="Cá nhân thành lập doanh nghiệp tư nhân",
            result_description="Giấy chứng nhận đăng ký doanh nghiệp",
            result_type=ResultType.BOTH,
            online_level=OnlineLevel.FULL,
            legal_basis=(
                _ENTERPRISE_LAW,
                _ENTERPRISE_LAW_2025,
                _BUSINESS_REGISTRATION_DECREE,
                _BUSINESS_FORMS,
                (
                    "47/2019/TT-BTC",
                    "Thông tư quy định mức thu, chế độ thu, nộp, quản lý và sử "
                    "dụng phí, lệ phí cung cấp thông tin doanh nghiệp, lệ phí đăng ký doanh "
                    "nghiệp",
                ),
            ),
            channels=(
                ChannelSpec(
                    channel=Channel.ONLINE,
                    time_limit_amount=Decimal(3),
                    time_limit_unit=Unit.WORKING_DAY,
                    time_limit_text="03 ngày làm việc",
                    fee_kind=FeeKind.AMOUNT,
                    fee_amount=Decimal(100_000),
                    fee_text="Miễn lệ phí đăng ký khi nộp qua mạng; phí công bố nội dung đăng "
                    "ký doanh nghiệp 100.000 đồng",
                ),
                *(
                    ChannelSpec(
                        channel=channel,
                        time_limit_amount=Decimal(3),
                        time_limit_unit=Unit.WORKING_DAY,
                        time_limit_text="03 ngày làm việc",
                        fee_kind=FeeKind.AMOUNT,
                        fee_amount=Decimal(150_000),
                        fee_text="Lệ phí đăng ký doanh nghiệp 50.000 đồng và phí công bố nội "
                        "dung đăng ký doanh nghiệp 100.000 đồng",
                    )
                    for channel in (Channel.COUNTER, Channel.POSTAL)
                ),
            ),
            documents=(
                _doc("Giấy đề nghị đăng ký doanh nghiệp", eform=True),
                _doc(
                    "Giấy tờ pháp lý của cá nhân đối với chủ doanh nghiệp tư nhân (không cần nếu "
                    "kê khai số định danh cá nhân)",
                    originals=0,
                    copies=1,
                    form=DocumentForm.COPY,
                    required=False,
                ),
            ),
            steps=(
                _step("Tiếp nhận hồ sơ", 2, Role.RECEIVER, PROVINCE_CENTER),
                _step(
                    "Thẩm định hồ sơ đăng ký doanh nghiệp",
                    12,
                    Role.SPECIALIST,
                    BUSINESS_REGISTRATION,
                ),
                _step(
                    "Trưởng phòng duyệt, cấp đăng ký", 8, Role.DIVISION_HEAD, BUSINESS_REGISTRATION
                ),
                _step("Trả kết quả", 2, Role.RECEIVER, PROVINCE_CENTER),
            ),
        ),
    ),
    ProcedureSpec(
        code="1.013992",
        name=(
            "Đăng ký biến động chuyển mục đích sử dụng đất không phải xin phép cơ quan nhà nước "
            "có thẩm quyền"
        ),
        field_name="Đất đai",
        levels=frozenset({ImplementingLevel.PROVINCE}),
        issuing_authority="Bộ Nông nghiệp và Môi trường",
        version=VersionSpec(
            publishing_decision="3380/QĐ-BNNMT",
            competent_authority="Văn phòng đăng ký đất đai, Chi nhánh Văn phòng đăng ký đất đai",
            competent_agency_code=LAND_REGISTRY,
            implementing_agencies=f"{_PROVINCE_CENTER_RECEIVES}; {_COMMUNE_CENTER_RECEIVES}",
            subjects="Người sử dụng đất",
            result_description="Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền "
            "với đất (xác nhận thay đổi hoặc cấp mới)",
            result_type=ResultType.PAPER,
            online_level=OnlineLevel.PARTIAL,
            legal_basis=(
                _LAND_LAW,
                _LAND_REGISTRATION_DECREE,
                _LAND_TWO_TIER,
                _ONE_STOP_DECREE,
                (
                    "226/2025/NĐ-CP",
                    "Nghị định sửa đổi, bổ sung một số điều của các nghị định "
                    "quy định chi tiết thi hành Luật Đất đai",
                ),
            ),
            channels=_channels(
                7,
                Unit.WORKING_DAY,
                "07 ngày làm việc",
                FeeKind.COUNCIL,
                "Phí thẩm định hồ sơ, lệ phí cấp Giấy chứng nhận (nếu cấp mới) theo Nghị quyết "
                "của Hội đồng nhân dân tỉnh",
            ),
            documents=(
                _doc(
                    "Đơn đăng ký biến động đất đai, tài sản gắn liền với đất (Mẫu số 18 ban hành "
                    "kèm theo Nghị định số 151/2025/NĐ-CP)",
                    template="Mẫu số 18",
                    eform=True,
                ),
                _doc("Giấy chứng nhận đã cấp", originals=0, copies=1, form=DocumentForm.COPY),
                _doc(
                    "Mảnh trích đo bản đồ địa chính thửa đất",
                    originals=0,
                    copies=1,
                    form=DocumentForm.COPY,
                    case="Người sử dụng đất có nhu cầu đo đạc xác định lại kích thước, diện "
                    "tích thửa đất",
                    required=False,
                ),
                _doc(
                    "Văn bản về việc đại diện theo quy định của pháp luật về dân sự",
                    originals=0,
                    copies=1,
                    form=DocumentForm.COPY,
                    case="Thực hiện thủ tục thông qua người đại diện",
                    required=False,
                ),
            ),
            steps=(
                _step("Tiếp nhận hồ sơ", 2, Role.RECEIVER, PROVINCE_CENTER),
                _step(
                    "Kiểm tra hồ sơ, xác nhận nội dung biến động",
                    24,
                    Role.SPECIALIST,
                    LAND_REGISTRY_BRANCH,
                ),
                _step("Giám đốc Văn phòng đăng ký đất đai ký", 12, Role.LEADER, LAND_REGISTRY),
                _step(
                    "Chỉnh lý, cập nhật hồ sơ địa chính, cơ sở dữ liệu đất đai",
                    8,
                    Role.SPECIALIST,
                    LAND_REGISTRY,
                ),
                _step("Trả kết quả", 2, Role.RECEIVER, PROVINCE_CENTER),
            ),
        ),
    ),
    ProcedureSpec(
        code="1.003915",
        name="Cấp Chứng chỉ hành nghề đấu giá",
        field_name="Đấu giá tài sản",
        levels=frozenset({ImplementingLevel.PROVINCE}),
        kind=_LAW_DELEGATED,
        issuing_authority="Bộ Tư pháp",
        version=VersionSpec(
            publishing_decision="1855/QĐ-BTP",
            competent_authority="Sở Tư pháp",
            competent_agency_code=JUSTICE,
            implementing_agencies=_PROVINCE_CENTER_RECEIVES,
            subjects="Công dân Việt Nam đủ tiêu chuẩn tại Điều 10 Luật Đấu giá tài sản",
            result_description="Quyết định cấp Chứng chỉ hành nghề đấu giá",
            result_type=ResultType.BOTH,
            online_level=OnlineLevel.FULL,
            legal_basis=(
                ("01/2016/QH14", "Luật Đấu giá tài sản"),
                ("37/2024/QH15", "Luật sửa đổi, bổ sung một số điều của Luật Đấu giá tài sản"),
                (
                    "08/2025/TT-BTP",
                    "Thông tư quy định về phân định thẩm quyền của chính quyền "
                    "địa phương 02 cấp và phân cấp trong lĩnh vực quản lý nhà nước của Bộ Tư pháp",
                ),
                (
                    "106/2017/TT-BTC",
                    "Thông tư quy định mức thu, chế độ thu, nộp, quản lý và sử "
                    "dụng phí thẩm định tiêu chuẩn hành nghề đấu giá tài sản",
                ),
            ),
            channels=_channels(
                10,
                Unit.WORKING_DAY,
                "10 ngày làm việc",
                FeeKind.AMOUNT,
                "Phí thẩm định tiêu chuẩn hành nghề đấu giá tài sản: 800.000 đồng/hồ sơ",
                fee=800_000,
            ),
            documents=(
                _doc(
                    "Văn bản đề nghị cấp Chứng chỉ hành nghề đấu giá (Mẫu 01-PLIII-ĐGTS Thông "
                    "tư số 08/2025/TT-BTP)",
                    template="01-PLIII-ĐGTS",
                ),
                _doc(
                    "Bằng tốt nghiệp đại học trở lên thuộc một trong các ngành luật, kinh tế, "
                    "quản trị kinh doanh, kế toán, kiểm toán, tài chính, ngân hàng",
                    originals=0,
                    copies=1,
                    form=DocumentForm.COPY,
                ),
                _doc("Một ảnh màu cỡ 3 cm x 4 cm"),
            ),
            steps=(
                _step("Tiếp nhận hồ sơ", 2, Role.RECEIVER, PROVINCE_CENTER),
                _step("Thẩm định hồ sơ", 40, Role.SPECIALIST, JUSTICE_SUPPORT),
                _step("Trưởng phòng kiểm tra, trình ký", 12, Role.DIVISION_HEAD, JUSTICE_SUPPORT),
                _step("Giám đốc Sở ký quyết định", 16, Role.LEADER, JUSTICE),
                _step("Vào sổ, đóng dấu, phát hành", 4, Role.CLERK, JUSTICE_OFFICE),
                _step("Trả kết quả", 2, Role.RECEIVER, PROVINCE_CENTER),
            ),
        ),
    ),
    ProcedureSpec(
        code="1.002153",
        name="Đăng ký hành nghề luật sư với tư cách cá nhân",
        field_name="Luật sư",
        levels=frozenset({ImplementingLevel.PROVINCE}),
        kind=_LAW_DELEGATED,
        issuing_authority="Bộ Tư pháp",
        version=VersionSpec(
            publishing_decision="1262/QĐ-BTP",
            competent_authority="Sở Tư pháp",
            competent_agency_code=JUSTICE,
            implementing_agencies=_PROVINCE_CENTER_RECEIVES,
            subjects="Luật sư làm việc theo hợp đồng lao động cho cơ quan, tổ chức không phải là "
            "tổ chức hành nghề luật sư",
            result_description="Giấy đăng ký hành nghề luật sư của luật sư hành nghề với tư "
            "cách cá nhân",
            result_type=ResultType.BOTH,
            online_level=OnlineLevel.FULL,
            legal_basis=(
                ("65/2006/QH11", "Luật Luật sư"),
                ("20/2012/QH13", "Luật sửa đổi, bổ sung một số điều của Luật Luật sư"),
                (
                    "05/2021/TT-BTP",
                    "Thông tư hướng dẫn một số điều và biện pháp thi hành Luật Luật sư",
                ),
            ),
            channels=_channels(5, Unit.WORKING_DAY, "05 ngày làm việc", FeeKind.FREE),
            documents=(
                _doc("Đơn đề nghị đăng ký hành nghề luật sư", template="TP-LS-05-sđ"),
                _doc(
                    "Hợp đồng lao động ký kết với cơ quan, tổ chức",
                    originals=0,
                    copies=1,
                    form=DocumentForm.COPY,
                ),
            ),
            steps=(
                _step("Tiếp nhận hồ sơ", 2, Role.RECEIVER, PROVINCE_CENTER),
                _step("Thẩm định hồ sơ", 20, Role.SPECIALIST, JUSTICE_SUPPORT),
                _step("Trưởng phòng kiểm tra, trình ký", 6, Role.DIVISION_HEAD, JUSTICE_SUPPORT),
                _step("Giám đốc Sở ký giấy đăng ký", 8, Role.LEADER, JUSTICE),
                _step("Vào sổ, đóng dấu, phát hành", 2, Role.CLERK, JUSTICE_OFFICE),
                _step("Trả kết quả", 2, Role.RECEIVER, PROVINCE_CENTER),
            ),
        ),
    ),
    ProcedureSpec(
        # National code not confirmed: a local demo code rather than a guessed national one.
        code="DEMO.XD.01",
        name=(
            "Cấp giấy phép xây dựng mới đối với công trình cấp II, cấp III (công trình không "
            "theo tuyến)"
        ),
        field_name="Hoạt động xây dựng",
        levels=frozenset({ImplementingLevel.PROVINCE}),
        issuing_authority="Bộ Xây dựng",
        version=VersionSpec(
            competent_authority="Sở Xây dựng",
            competent_agency_code=CONSTRUCTION,
            implementing_agencies=_PROVINCE_CENTER_RECEIVES,
            subjects="Chủ đầu tư xây dựng công trình",
            result_description="Giấy phép xây dựng",
            result_type=ResultType.PAPER,
            online_level=OnlineLevel.PARTIAL,
            legal_basis=(_CONSTRUCTION_LAW, _CONSTRUCTION_LAW_2020, _CONSTRUCTION_DECREE),
            channels=_channels(
                20,
                Unit.CALENDAR_DAY,
                "20 ngày kể từ ngày nhận đủ hồ sơ hợp lệ",
                FeeKind.AMOUNT,
                "Lệ phí cấp giấy phép xây dựng công trình theo Nghị quyết của Hội đồng nhân "
                "dân tỉnh (mức minh họa: 150.000 đồng/giấy phép)",
                fee=150_000,
                channels=(Channel.COUNTER, Channel.ONLINE),
            ),
            documents=(
                _doc("Đơn đề nghị cấp giấy phép xây dựng", eform=True),
                _doc(
                    "Giấy tờ hợp pháp về đất đai",
                    originals=0,
                    copies=1,
                    form=DocumentForm.COPY,
                ),
                _doc(
                    "Quyết định phê duyệt dự án, văn bản thông báo kết quả thẩm định của cơ "
                    "quan chuyên môn về xây dựng",
                    originals=0,
                    copies=1,
                    form=DocumentForm.COPY,
                ),
                _doc("Bản vẽ thiết kế xây dựng triển khai sau thiết kế cơ sở", originals=2),
            ),
            steps=(
                _step("Tiếp nhận hồ sơ", 4, Role.RECEIVER, PROVINCE_CENTER),
                _step(
                    "Thẩm định hồ sơ, kiểm tra thực địa",
                    56,
                    Role.SPECIALIST,
                    CONSTRUCTION_PERMITS,
                ),
                _step(
                    "Trưởng phòng kiểm tra, trình ký", 16, Role.DIVISION_HEAD, CONSTRUCTION_PERMITS
                ),
                _step("Lãnh đạo Sở ký giấy phép", 16, Role.LEADER, CONSTRUCTION),
                _step("Vào sổ, đóng dấu, phát hành", 4, Role.CLERK, CONSTRUCTION_OFFICE),
                _step("Trả kết quả", 4, Role.RECEIVER, PROVINCE_CENTER),
            ),
        ),
    ),
)
