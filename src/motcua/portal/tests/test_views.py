import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from motcua.procedures.models import ImplementingLevel
from motcua.procedures.services import ProcedureSpec, VersionSpec, procedure_upsert

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue() -> None:
    for code, name, field, level in [
        ("1.001193", "Thủ tục đăng ký khai sinh", "Hộ tịch", ImplementingLevel.COMMUNE),
        ("1.000894", "Thủ tục đăng ký kết hôn", "Hộ tịch", ImplementingLevel.COMMUNE),
        ("1.009994", "Cấp giấy phép xây dựng mới", "Xây dựng", ImplementingLevel.PROVINCE),
    ]:
        procedure_upsert(
            spec=ProcedureSpec(
                code=code,
                name=name,
                field_name=field,
                levels=frozenset({level}),
                version=VersionSpec(publishing_decision="QĐ demo"),
            ),
            effective_from=dt.date(2025, 7, 1),
        )


def test_home_links_to_the_admin_and_the_procedure_list(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("admin:index") in html
    assert reverse("portal:procedure_list") in html
    assert '<html lang="vi">' in html


def test_search_without_diacritics_finds_the_procedure(client: Client, catalogue: None) -> None:
    response = client.get(reverse("portal:procedure_list"), {"q": "dang ky khai sinh"})
    html = response.content.decode()
    assert "Thủ tục đăng ký khai sinh" in html
    assert "kết hôn" not in html


def test_search_by_code_and_filter_by_level(client: Client, catalogue: None) -> None:
    by_code = client.get(reverse("portal:procedure_list"), {"q": "1.009994"}).content.decode()
    assert "Cấp giấy phép xây dựng mới" in by_code
    communes = client.get(reverse("portal:procedure_list"), {"level": "commune"}).content.decode()
    assert "kết hôn" in communes and "xây dựng" not in communes


def test_procedure_list_query_count_does_not_grow_with_rows(
    client: Client, catalogue: None, django_assert_max_num_queries
) -> None:
    with django_assert_max_num_queries(4):
        client.get(reverse("portal:procedure_list"))


def test_procedure_detail_and_unknown_code(client: Client, catalogue: None) -> None:
    ok = client.get(reverse("portal:procedure_detail", args=["1.001193"]))
    assert ok.status_code == 200
    assert "QĐ demo" in ok.content.decode()
    assert client.get(reverse("portal:procedure_detail", args=["9.999999"])).status_code == 404
