"""`motcua.db`: the hot-path insert and joined select give exactly what the ORM gives."""

import contextlib
import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import IntegrityError, models, transaction
from django.db.models.signals import post_save
from django.utils import timezone

from motcua import db
from motcua.agencies.models import Agency, AgencyLevel, Membership, Role
from motcua.integrations.models import ApiToken, IdempotencyRecord, OutboxMessage

pytestmark = pytest.mark.django_db

FIELDS_OF_RECORD = [f.attname for f in IdempotencyRecord._meta.concrete_fields if f.name != "id"]


def _record(user: User, key: str, **extra: object) -> IdempotencyRecord:
    return IdempotencyRecord(
        user=user,
        key=key,
        method="POST",
        path="/api/v1/dossiers",
        request_hash="0" * 64,
        created_at=dt.datetime(2026, 3, 2, 8, 30, tzinfo=dt.UTC),
        **extra,
    )


def test_insert_writes_the_row_save_would() -> None:
    user = User.objects.create(username="a")
    response = {"Location": "/api/v1/dossiers/H99-260302-0001", "X-Tên": ["Nguyễn Văn A", 1]}
    by_save = _record(user, "k1", status_code=201, response_headers=response)
    by_save.save()
    fast = db.insert(_record(user, "k2", status_code=201, response_headers=response))
    assert fast.pk is not None and fast.pk != by_save.pk
    assert not fast._state.adding
    stored = IdempotencyRecord.objects.get(pk=fast.pk)
    saved = IdempotencyRecord.objects.get(pk=by_save.pk)
    for name in FIELDS_OF_RECORD:
        if name != "key":
            assert getattr(stored, name) == getattr(saved, name), name
    assert stored.response_headers == response


def test_insert_applies_pre_save_such_as_auto_now_add() -> None:
    user = User.objects.create(username="a")
    before = timezone.now()
    token = db.insert(
        ApiToken(user=user, name="t", key_prefix="x", key_hash="h" * 64, scopes="read")
    )
    assert ApiToken.objects.get(pk=token.pk).created_at >= before
    assert token.created_at >= before


def test_insert_ignoring_conflicts_keeps_the_first_row() -> None:
    moment = dt.datetime(2026, 3, 2, 8, 30, tzinfo=dt.UTC)
    for payload in ({"n": 1}, {"n": 2}):
        db.insert(
            OutboxMessage(topic="t", key="same", payload=payload, created_at=moment),
            ignore_conflicts=True,
        )
    assert list(OutboxMessage.objects.values_list("payload", flat=True)) == [{"n": 1}]


def test_insert_raises_the_integrity_error_and_writes_nothing() -> None:
    user = User.objects.create(username="a")
    db.insert(_record(user, "dup"))
    with pytest.raises(IntegrityError), transaction.atomic():
        db.insert(_record(user, "dup"))
    assert IdempotencyRecord.objects.filter(key="dup").count() == 1


def test_insert_refuses_a_model_with_save_signal_receivers() -> None:
    def receiver(**kwargs: object) -> None:
        pass

    post_save.connect(receiver, sender=OutboxMessage, weak=False)
    try:
        with pytest.raises(TypeError, match="signal"):
            db.insert(OutboxMessage(topic="t", key="k", payload={}, created_at=timezone.now()))
    finally:
        post_save.disconnect(receiver, sender=OutboxMessage)
    assert not OutboxMessage.objects.exists()


def test_insert_refuses_a_model_with_its_own_save() -> None:
    assert Agency.save is not models.Model.save
    with pytest.raises(TypeError, match="save"):
        db.insert(Agency(code="H99", name="Tỉnh", level=AgencyLevel.PROVINCE))


def test_update_writes_the_columns_save_with_update_fields_would() -> None:
    user = User.objects.create(username="a")
    by_save = db.insert(_record(user, "k1"))
    fast = db.insert(_record(user, "k2"))
    response = {"Location": "/api/v1/dossiers/H99-260302-0001", "X-Tên": ["Nguyễn Văn A", 1]}
    done = dt.datetime(2026, 3, 2, 8, 31, tzinfo=dt.UTC)
    for record in (by_save, fast):
        record.status_code, record.response_headers, record.completed_at = 201, response, done
        record.path = "/not/written"
    by_save.save(update_fields=["status_code", "response_headers", "completed_at"])
    db.update(fast, ["status_code", "response_headers", "completed_at"])
    stored = IdempotencyRecord.objects.get(pk=fast.pk)
    saved = IdempotencyRecord.objects.get(pk=by_save.pk)
    for name in FIELDS_OF_RECORD:
        if name != "key":
            assert getattr(stored, name) == getattr(saved, name), name
    assert stored.response_headers == response and stored.path == "/api/v1/dossiers"


def test_update_of_a_deleted_row_raises() -> None:
    user = User.objects.create(username="a")
    record = db.insert(_record(user, "k"))
    IdempotencyRecord.objects.filter(pk=record.pk).delete()
    record.status_code = 201
    with pytest.raises(LookupError):
        db.update(record, ["status_code"])


def test_update_refuses_keys_unsaved_objects_and_own_save() -> None:
    user = User.objects.create(username="a")
    record = db.insert(_record(user, "k"))
    with pytest.raises(ValueError):
        db.update(record, ["id"])
    with pytest.raises(ValueError):
        db.update(record, [])
    with pytest.raises(ValueError, match="insert"):
        db.update(_record(user, "new"), ["status_code"])
    agency = Agency.objects.create(code="H99", name="Tỉnh", level=AgencyLevel.PROVINCE)
    with pytest.raises(TypeError, match="save"):
        db.update(agency, ["name"])


def test_values_skip_only_preparations_that_return_the_value_itself() -> None:
    from django.db import connection

    from motcua.dossiers.models import Channel, Dossier

    plan = db._insert_plan(connection, Dossier, False)
    kinds = {f.name: unchanged for f, unchanged in zip(plan.fields, plan.unchanged, strict=True)}
    none = type(None)
    assert kinds["applicant_name"] == (str, none)  # CharField
    assert kinds["applicant_email"] == (str, none)  # EmailField keeps CharField's preparation
    assert kinds["returned_at"] == kinds["result_date"] == (none,)  # nullable
    assert kinds["created_at"] == kinds["procedure"] == kinds["documents"] == ()  # not null
    samples: dict[type, list[Any]] = {
        str: ["", "Nguyễn Văn A", Channel.COUNTER],
        bool: [True, False],
        none: [None],
    }
    for field, unchanged in zip(plan.fields, plan.unchanged, strict=True):
        for value in (v for kind in unchanged for v in samples[kind]):
            assert field.get_db_prep_save(value, connection) is value, (field.name, value)
    dossier = Dossier(applicant_name="Trần Thị B", channel=Channel.ONLINE, documents=[])
    fast = plan.values(dossier, True, connection)
    for field, value in zip(plan.fields, fast, strict=True):
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            continue  # a new moment at each pre_save
        expected = field.get_db_prep_save(field.pre_save(dossier, True), connection)
        assert type(value) is type(expected) and str(value) == str(expected), field.name


def test_select_joined_equals_select_related(django_assert_num_queries: Any) -> None:
    user = User.objects.create(username="a", first_name="Bình", is_active=False)
    token, _secret = ApiToken.objects.issue(user=user, name="t", scopes=("read", "write"))
    ApiToken.objects.filter(pk=token.pk).update(
        last_used_at=dt.datetime(2026, 3, 2, 1, 2, 3, 456789, tzinfo=dt.UTC)
    )
    [fast] = db.select_joined(ApiToken, "user", "b.key_hash = %s", [token.key_hash])
    orm = ApiToken.objects.select_related("user").get(pk=token.pk)
    for field in ApiToken._meta.concrete_fields:
        assert getattr(fast, field.attname) == getattr(orm, field.attname), field.name
    for field in User._meta.concrete_fields:
        assert getattr(fast.user, field.attname) == getattr(orm.user, field.attname), field.name
    assert fast.last_used_at is not None and fast.last_used_at.tzinfo is not None
    assert fast.user.is_active is False
    assert fast._state.db == "default" and not fast._state.adding
    with django_assert_num_queries(0):
        assert fast.user.username == "a"
    assert db.select_joined(ApiToken, "user", "b.key_hash = %s", ["nothing"]) == []


@pytest.mark.parametrize(
    ("valid_from", "valid_to"),
    [
        (None, None),
        (dt.date(2026, 3, 2), None),
        (dt.date(2026, 3, 3), None),
        (None, dt.date(2026, 3, 2)),
        (None, dt.date(2026, 3, 1)),
        (dt.date(2026, 3, 1), dt.date(2026, 3, 2)),
        (dt.date(2026, 3, 2), dt.date(2026, 3, 2)),
    ],
)
def test_memberships_of_user_on_follow_active_on(
    valid_from: dt.date | None, valid_to: dt.date | None
) -> None:
    user = User.objects.create(username="a")
    other = User.objects.create(username="b")
    agency = Agency.objects.create(code="H99", name="Tỉnh", level=AgencyLevel.PROVINCE)
    Membership.objects.create(
        user=user, agency=agency, role=Role.RECEIVER, valid_from=valid_from, valid_to=valid_to
    )
    Membership.objects.create(user=other, agency=agency, role=Role.RECEIVER)
    day = dt.date(2026, 3, 2)
    expected = list(Membership.objects.active_on(day).filter(user=user).order_by("pk"))
    found = Membership.objects.of_user_on(user.pk, day)
    assert found == expected
    assert [m.agency.code for m in found] == [m.agency.code for m in expected]


def _statements(captured: Any) -> list[str]:
    return [q["sql"].split()[0].upper() for q in captured.captured_queries]


@db.atomic
def _write_outbox(key: str, *, fail: bool = False) -> None:
    OutboxMessage.objects.create(topic="t", key=key, payload={}, created_at=timezone.now())
    if fail:
        raise ValueError(key)


@db.atomic
def _write_and_recover() -> None:
    """Recovers from an error of a nested atomic function, as its savepoint allows."""
    _write_outbox("kept")
    with contextlib.suppress(ValueError):
        _write_outbox("undone", fail=True)


def test_an_atomic_function_joins_all_or_nothing_without_a_savepoint() -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as alone:
        _write_outbox("a")
    with CaptureQueriesContext(connection) as joined, db.all_or_nothing():
        _write_outbox("b")
    # The test's own transaction makes the first block a savepoint too.
    assert "SAVEPOINT" in _statements(alone)
    assert _statements(joined).count("SAVEPOINT") == 1  # all_or_nothing's own, here
    assert set(OutboxMessage.objects.values_list("key", flat=True)) == {"a", "b"}


def test_nested_atomic_functions_keep_their_savepoints_inside_all_or_nothing() -> None:
    with db.all_or_nothing():
        _write_and_recover()
    assert list(OutboxMessage.objects.values_list("key", flat=True)) == ["kept"]


def test_an_error_inside_all_or_nothing_rolls_it_back_whole() -> None:
    with pytest.raises(ValueError), db.all_or_nothing():
        OutboxMessage.objects.create(topic="t", key="first", payload={}, created_at=timezone.now())
        _write_outbox("second", fail=True)
    assert not OutboxMessage.objects.exists()
