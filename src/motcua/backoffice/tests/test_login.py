"""Signing in, the lock after repeated failures, and the membership switcher."""

from __future__ import annotations

import pytest
from django.test import Client

from motcua.agencies.models import Membership, Role
from motcua.backoffice import ratelimit
from motcua.dossiers.tests.factories import World

pytestmark = pytest.mark.django_db


def _login(client: Client, username: str, password: str) -> object:
    return client.post("/office/login/", {"username": username, "password": password})


def test_an_anonymous_visitor_is_sent_to_the_sign_in_page(client: Client) -> None:
    response = client.get("/office/")
    assert response.status_code == 302
    assert response["Location"].startswith("/office/login/?next=/office/")


def test_an_officer_signs_in_and_lands_on_the_inbox(client: Client, world: World) -> None:
    response = _login(client, "tuphap", "secret")
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "Hồ sơ tại bước của tôi" in page.content.decode()


def test_a_wrong_password_says_so_in_vietnamese(client: Client, world: World) -> None:
    response = _login(client, "tuphap", "wrong")
    assert response.status_code == 200
    assert "Sai tên đăng nhập hoặc mật khẩu." in response.content.decode()


def test_repeated_failures_lock_the_username_even_with_the_right_password(
    client: Client, world: World
) -> None:
    for _ in range(ratelimit.LOGIN_FAILURES.count):
        _login(client, "tuphap", "wrong")
    response = _login(client, "tuphap", "secret")
    assert response.status_code == 429
    assert "bị tạm khóa" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_lock_is_per_username(client: Client, world: World) -> None:
    for _ in range(ratelimit.LOGIN_FAILURES.count):
        _login(client, "tuphap", "wrong")
    assert _login(client, "tiepnhan", "secret").status_code == 302


def test_sign_out_needs_a_post_and_ends_the_session(client: Client, world: World) -> None:
    client.force_login(world.specialist)
    assert client.get("/office/logout/").status_code == 405
    client.post("/office/logout/")
    assert client.get("/office/").status_code == 302


def test_an_officer_with_two_roles_switches_and_gets_that_roles_tabs(
    client: Client, world: World
) -> None:
    user = world.specialist
    receiver = Membership.objects.create(user=user, agency=world.home.center, role=Role.RECEIVER)
    client.force_login(user)
    page = client.get("/office/").content.decode()
    assert "Vai trò đang làm việc" in page
    client.post("/office/membership/", {"membership": receiver.pk})
    page = client.get("/office/").content.decode()
    assert "Hồ sơ chờ tiếp nhận" in page  # the reception queue is a receiver's tab


def test_switching_to_a_role_one_does_not_hold_is_refused(client: Client, world: World) -> None:
    foreign = Membership.objects.get(user=world.leader)
    client.force_login(world.specialist)
    response = client.post("/office/membership/", {"membership": foreign.pk}, follow=True)
    assert "Bạn không được phân công vai trò này." in response.content.decode()
    assert client.session.get("backoffice.membership") is None
