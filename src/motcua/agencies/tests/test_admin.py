"""The administrator manages agencies, officers and memberships in the admin."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from motcua.agencies.models import Agency, AgencyLevel, Membership, Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_vi(client: Client) -> Client:
    user = get_user_model().objects.create_superuser("root", "root@example.org", "pw-123456")
    client.force_login(user)
    return client


def test_agency_admin_rejects_an_invalid_code(admin_client_vi: Client) -> None:
    response = admin_client_vi.post(
        "/admin/agencies/agency/add/",
        {
            "code": "000.17.22.H56",
            "code_scheme": "qd20_2020",
            "name": "Xã Thử",
            "level": AgencyLevel.COMMUNE,
            "successions-TOTAL_FORMS": "0",
            "successions-INITIAL_FORMS": "0",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert not Agency.objects.exists()
    assert "000.17.22.H56" in response.content.decode()


def test_officer_page_edits_memberships(admin_client_vi: Client) -> None:
    agency = Agency.objects.create(code="H99", name="Tỉnh", level=AgencyLevel.PROVINCE)
    officer = get_user_model().objects.create_user("tiepnhan", password="pw-123456")
    Membership.objects.create(user=officer, agency=agency, role=Role.RECEIVER)
    response = admin_client_vi.get(f"/admin/auth/user/{officer.pk}/change/")
    assert response.status_code == 200
    assert "H99" in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/admin/agencies/agency/",
        "/admin/agencies/membership/",
        "/admin/calendars/calendaroverride/",
        "/admin/calendars/workingschedule/",
        "/admin/procedures/procedure/",
        "/admin/procedures/procedureversion/",
        "/admin/procedures/field/",
    ],
)
def test_admin_lists_open(admin_client_vi: Client, url: str) -> None:
    assert admin_client_vi.get(url).status_code == 200
