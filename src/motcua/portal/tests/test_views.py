import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from motcua.agencies.models import Agency, AgencyLevel, Role
from motcua.domain.deadlines import Unit
from motcua.procedures.models import Channel, FeeKind, ImplementingLevel, OnlineLevel
from motcua.procedures.services import (
    ChannelSpec,
    DocumentSpec,
    ProcedureSpec,
    StepSpec,
    VersionSpec,
    procedure_upsert,
)

pytestmark = pytest.mark.django_db

LIST = reverse("portal:procedure_list")


@pytest.fixture
def agencies() -> dict[str, Agency]:
    root = Agency.objects.create(code="H95", name="Tỉnh Mẫu", level=AgencyLevel.PROVINCE)
    return {
        "ward": Agency.objects.create(
            code="H95.50.01", name="UBND phường Một", level=AgencyLevel.COMMUNE, parent=root
        ),
        "construction": Agency.objects.create(
            code="H95.05", name="Sở Xây dựng", level=AgencyLevel.DEPARTMENT, parent=root
        ),
    }


@pytest.fixture
def catalogue(agencies: dict[str, Agency]) -> None:
    for code, name, field, level, agency, online in [
        (
            "1.001193",
            "Thủ tục đăng ký khai sinh",
            "Hộ tịch",
            ImplementingLevel.COMMUNE,
            "H95.50.01",
            OnlineLevel.FULL,
        ),
        (
            "1.000894",
            "Thủ tục đăng ký kết hôn",
            "Hộ tịch",
            ImplementingLevel.COMMUNE,
            "H95.50.01",
            OnlineLevel.PARTIAL,
        ),
        (
            "1.009994",
            "Cấp giấy phép xây dựng mới",
            "Xây dựng",
            ImplementingLevel.PROVINCE,
            "H95.05",
            OnlineLevel.NONE,
        ),
    ]:
        procedure_upsert(
            spec=ProcedureSpec(
                code=code,
                name=name,
                field_name=field,
                levels=frozenset({level}),
                version=VersionSpec(
                    publishing_decision="QĐ demo",
                    competent_agency_code=agency,
                    online_level=online,
                    legal_basis=(("60/2014/QH13", "Luật Hộ tịch"),),
                    channels=(
                        ChannelSpec(
                            channel=Channel.COUNTER,
                            time_limit_amount=Decimal(3),
                            time_limit_unit=Unit.WORKING_DAY,
                            fee_kind=FeeKind.AMOUNT,
                            fee_amount=Decimal(8000),
                        ),
                        ChannelSpec(
                            channel=Channel.ONLINE,
                            time_limit_amount=Decimal(2),
                            time_limit_unit=Unit.WORKING_DAY,
                            fee_kind=FeeKind.FREE,
                        ),
                    ),
                    documents=(DocumentSpec(name="Tờ khai đăng ký", template_name="Mẫu TK-01"),),
                    steps=(
                        StepSpec(
                            name="Thẩm định hồ sơ", budget_hours=Decimal(8), role=Role.SPECIALIST
                        ),
                    ),
                ),
            ),
            effective_from=dt.date(2025, 7, 1),
        )


def test_home_links_to_the_catalogue_and_the_lookup(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("portal:procedure_list") in html
    assert reverse("portal:lookup") in html
    assert '<html lang="vi">' in html


@pytest.mark.parametrize(
    ("query", "found", "not_found"),
    [
        pytest.param("dang ky ket hon", "đăng ký kết hôn", "khai sinh", id="no-diacritics"),
        pytest.param("ĐĂNG KÝ KHAI SINH", "đăng ký khai sinh", "kết hôn", id="upper-case"),
        pytest.param("giay phep", "giấy phép xây dựng", "Hộ tịch</td>", id="partial-words"),
        pytest.param("1.009994", "giấy phép xây dựng", "kết hôn", id="by-code"),
    ],
)
def test_search_is_accent_and_case_insensitive(
    client: Client, catalogue: None, query: str, found: str, not_found: str
) -> None:
    html = client.get(LIST, {"q": query}).content.decode()
    assert found in html.lower() or found in html
    assert not_found not in html


def test_filters_by_level_agency_field_and_online_level(
    client: Client, catalogue: None, agencies: dict[str, Agency]
) -> None:
    communes = client.get(LIST, {"level": "commune"}).content.decode()
    assert "kết hôn" in communes and "xây dựng mới" not in communes
    construction = client.get(LIST, {"agency": agencies["construction"].pk}).content.decode()
    assert "xây dựng mới" in construction and "khai sinh" not in construction
    full = client.get(LIST, {"online": "full"}).content.decode()
    assert "khai sinh" in full and "kết hôn" not in full
    assert "Dịch vụ công trực tuyến toàn trình" in full
    nothing = client.get(LIST, {"q": "ket hon", "online": "full"}).content.decode()
    assert "kết hôn</a>" not in nothing and "khai sinh</a>" not in nothing


def test_junk_filters_are_ignored_not_errors(client: Client, catalogue: None) -> None:
    response = client.get(LIST, {"field": "abc", "agency": "9" * 30, "level": "x", "page": "z"})
    assert response.status_code == 200


def test_procedure_list_query_count_does_not_grow_with_rows(
    client: Client, catalogue: None, django_assert_max_num_queries
) -> None:
    with django_assert_max_num_queries(5):
        client.get(LIST, {"q": "dang ky", "online": "full"})


def test_procedure_page_shows_channels_fees_documents_steps_and_basis(
    client: Client, catalogue: None, django_assert_max_num_queries
) -> None:
    with django_assert_max_num_queries(8):
        response = client.get(reverse("portal:procedure_detail", args=["1.001193"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "8.000 VND" in html  # counter fee
    assert "Miễn phí" in html  # online fee
    assert "Tờ khai đăng ký" in html and "Mẫu TK-01" in html
    assert "Thẩm định hồ sơ" in html
    assert "Luật Hộ tịch" in html and "60/2014/QH13" in html


def test_unknown_procedure_is_404(client: Client) -> None:
    assert client.get(reverse("portal:procedure_detail", args=["9.999999"])).status_code == 404
