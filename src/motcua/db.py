"""Shortcuts for the request paths that run hundreds of times a second (an API
reception: the caller's token and memberships, then the dossier, its event, its outbox
message and the idempotency record). Django builds the SQL of every query and insert anew
each time, which costs more Python than sending it; here the SQL of each shape is built once
per process from the model's metadata, and only the values change.

They give what the ORM gives: `insert(obj)` is `obj.save()` of a new object (the field
values prepared by the fields, `pre_save` applied, the primary key set); `update(obj,
fields)` is `obj.save(update_fields=fields)`; `select_joined`
is `filter(...).select_related(fk)` whose rows are models made by `Model.from_db`, and
`select_models` the same for a hand-written join of several tables. Neither
sends `pre_save`/`post_save` signals, so they are only for models that have no receivers
(`insert` and `update` refuse a model that has any), and neither applies custom `save()` methods.

`atomic` and `all_or_nothing` spare the savepoint (two statements) that a transaction
nested in another costs, where nobody could use it."""

from __future__ import annotations

import contextvars
import functools
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, ParamSpec, TypeVar

from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.models.signals import post_save, pre_save

M = TypeVar("M", bound=models.Model)
P = ParamSpec("P")
R = TypeVar("R")

_whole: contextvars.ContextVar[bool] = contextvars.ContextVar("all_or_nothing", default=False)


@contextmanager
def all_or_nothing() -> Iterator[None]:
    """A transaction that any error inside rolls back whole, and that no caller continues
    after an error: the first `atomic` function called inside it joins it without a
    savepoint, since a savepoint only serves a caller who recovers from an error. (An API
    POST: the idempotency record and the action it guards commit together or not at all.)
    """
    token = _whole.set(True)
    try:
        with transaction.atomic():
            yield
    finally:
        _whole.reset(token)


def atomic(func: Callable[P, R]) -> Callable[P, R]:
    """`transaction.atomic` as a decorator, except directly inside `all_or_nothing`,
    where it joins that transaction without a savepoint. Blocks nested deeper in `func`
    make their savepoints as usual, so `func` may still recover from their errors."""

    @functools.wraps(func)
    def inner(*args: P.args, **kwargs: P.kwargs) -> R:
        joined = _whole.get()
        token = _whole.set(False)
        try:
            with transaction.atomic(savepoint=not joined):
                return func(*args, **kwargs)
        finally:
            _whole.reset(token)

    return inner


@dataclass(frozen=True)
class _Write:
    sql: str
    fields: list[models.Field[Any, Any]]
    # Per field, the value types its preparation returns unchanged (see `_unchanged`).
    unchanged: list[tuple[type, ...]]

    def values(self, obj: models.Model, add: bool, connection: Any) -> list[Any]:
        """The fields' values of `obj` as the database gets them, `get_db_prep_save`
        skipped where it would return the value itself."""
        values = []
        for field, unchanged in zip(self.fields, self.unchanged, strict=True):
            value = field.pre_save(obj, add)
            if not isinstance(value, unchanged):
                value = field.get_db_prep_save(value, connection)
            values.append(value)
        return values


_NONE_KEPT = (
    models.DateTimeField,
    models.DateField,
    models.DecimalField,
    models.IntegerField,
    models.SmallIntegerField,
    models.BigIntegerField,
    models.PositiveIntegerField,
    models.PositiveSmallIntegerField,
    models.PositiveBigIntegerField,
    models.ForeignKey,
)


def _unchanged(field: models.Field[Any, Any], connection: Any) -> tuple[type, ...]:
    """The types of value that `field.get_db_prep_save` returns as they are: strings of
    text fields and booleans of boolean fields whose class keeps Django's own preparation
    (on every backend), and None for those and for Django's own nullable date, number and
    foreign key fields; () for all other fields, always prepared."""
    cls: Any = type(field)
    if cls in _NONE_KEPT:
        return (
            (type(None),) if field.null and field.get_db_prep_save(None, connection) is None else ()
        )
    base: Any = models.Field
    if (cls.pre_save, cls.get_db_prep_save, cls.get_db_prep_value) != (
        base.pre_save,
        base.get_db_prep_save,
        base.get_db_prep_value,
    ):
        return ()
    for kind, types in (
        (models.CharField, (str, type(None))),
        (models.TextField, (str, type(None))),
        (models.BooleanField, (bool, type(None))),
    ):
        own: Any = kind
        if (cls.get_prep_value, cls.to_python) == (own.get_prep_value, own.to_python):
            return types
    return ()


def _write(sql: str, fields: list[models.Field[Any, Any]], connection: Any) -> _Write:
    return _Write(sql=sql, fields=fields, unchanged=[_unchanged(f, connection) for f in fields])


_inserts: dict[tuple[str, type[models.Model], bool], _Write] = {}
_updates: dict[tuple[str, type[models.Model], tuple[str, ...]], _Write] = {}
_selects: dict[tuple[str, Any], _Select] = {}


def _insert_plan(connection: Any, model: type[models.Model], ignore_conflicts: bool) -> _Write:
    key = (connection.alias, model, ignore_conflicts)
    plan = _inserts.get(key)
    if plan is None:
        if model.save is not models.Model.save:
            raise TypeError(f"{model.__name__} has its own save(): use it")
        meta = model._meta
        fields = [
            f
            for f in meta.local_concrete_fields
            if f is not meta.auto_field and not getattr(f, "generated", False)
        ]
        quote = connection.ops.quote_name
        sql = (
            f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
            f"VALUES ({', '.join(['%s'] * len(fields))})"
        )
        if ignore_conflicts:
            sql += " ON CONFLICT DO NOTHING"
        elif meta.auto_field is not None:
            sql += f" RETURNING {quote(meta.auto_field.column)}"
        plan = _inserts[key] = _write(sql, fields, connection)
    return plan


def insert(obj: M, *, ignore_conflicts: bool = False, using: str = DEFAULT_DB_ALIAS) -> M:
    """INSERT the new `obj` as `obj.save()` would and set its primary key. With
    `ignore_conflicts`, a row that breaks a unique constraint is silently not written (as
    `bulk_create(ignore_conflicts=True)`) and the primary key stays unset."""
    model = type(obj)
    if pre_save.has_listeners(model) or post_save.has_listeners(model):
        raise TypeError(f"{model.__name__} has save signal receivers: use save()")
    connection = connections[using]
    plan = _insert_plan(connection, model, ignore_conflicts)
    # What save() checks first: no unsaved object assigned to a foreign key.
    obj._prepare_related_fields_for_save(operation_name="save")  # type: ignore[attr-defined]
    values = plan.values(obj, True, connection)
    with connection.cursor() as cursor:
        cursor.execute(plan.sql, values)
        if not ignore_conflicts and model._meta.auto_field is not None:
            (pk,) = cursor.fetchone()
            obj.pk = pk
    obj._state.adding = False
    obj._state.db = using
    return obj


def update(obj: models.Model, fields: Sequence[str], *, using: str = DEFAULT_DB_ALIAS) -> None:
    """UPDATE the saved `obj`'s row with its current values of `fields`, as
    `obj.save(update_fields=fields)` would (the values prepared by the fields, `pre_save`
    applied); raises `LookupError` when the row is gone."""
    model = type(obj)
    if pre_save.has_listeners(model) or post_save.has_listeners(model):
        raise TypeError(f"{model.__name__} has save signal receivers: use save()")
    if obj.pk is None:
        raise ValueError(f"{model.__name__} is not saved: use insert()")
    connection = connections[using]
    key = (connection.alias, model, tuple(fields))
    plan = _updates.get(key)
    if plan is None:
        if model.save is not models.Model.save:
            raise TypeError(f"{model.__name__} has its own save(): use it")
        meta = model._meta
        chosen: list[models.Field[Any, Any]] = []
        for name in fields:
            field = meta.get_field(name)
            if not isinstance(field, models.Field) or not field.concrete or field.primary_key:
                raise ValueError(f"{model.__name__}.{name} is not a column that can be updated")
            chosen.append(field)
        if not chosen:
            raise ValueError("no column to update")
        quote = connection.ops.quote_name
        assignments = ", ".join(f"{quote(str(f.column))} = %s" for f in chosen)
        assert meta.pk is not None
        sql = (
            f"UPDATE {quote(meta.db_table)} SET {assignments} "
            f"WHERE {quote(str(meta.pk.column))} = %s"
        )
        plan = _updates[key] = _write(sql, chosen, connection)
    obj._prepare_related_fields_for_save(operation_name="save")  # type: ignore[attr-defined]
    values = plan.values(obj, False, connection)
    values.append(obj._meta.pk.get_db_prep_value(obj.pk, connection))
    with connection.cursor() as cursor:
        cursor.execute(plan.sql, values)
        if cursor.rowcount != 1:
            raise LookupError(f"{model.__name__} {obj.pk} is gone")


@dataclass(frozen=True)
class _Select:
    sql: str
    names: list[list[str]]  # per model, its concrete fields' attnames
    converters: list[list[tuple[list[Any], Any] | None]]  # per model, per column
    pk_positions: list[int]  # per model, where its primary key is among its columns


def _converters(connection: Any, model: type[models.Model]) -> list[tuple[list[Any], Any] | None]:
    """Per column, the functions turning the driver's value into the field's Python value
    (the backend's converters, such as SQLite's for dates and decimals, then the field's
    `from_db_value`), as the ORM applies them; None when there are none."""
    found: list[tuple[list[Any], Any] | None] = []
    for field in model._meta.concrete_fields:
        column = field.get_col(model._meta.db_table)
        steps = [*connection.ops.get_db_converters(column), *field.get_db_converters(connection)]
        found.append((steps, column) if steps else None)
    return found


def select_models(
    shape: Any,
    tables: Sequence[tuple[type[models.Model], str]],
    build: Callable[[str], str],
    params: Sequence[Any],
    *,
    using: str = DEFAULT_DB_ALIAS,
) -> list[tuple[Any, ...]]:
    """The rows of a hand-written SELECT over several tables, each row as one model
    instance per `(model, alias)` of `tables` (None where an outer join found no row: its
    primary key is NULL), made by `Model.from_db` with the values converted as the ORM
    does. `build(columns)` writes the statement around the select list (every concrete
    column of each table, as `<alias>.<column>`, in the order of `tables`); it is called
    once per process for each `shape`, a hashable naming the statement."""
    connection = connections[using]
    key = (connection.alias, shape)
    plan = _selects.get(key)
    if plan is None:
        quote = connection.ops.quote_name
        columns = [
            f"{alias}.{quote(str(f.column))}"
            for model, alias in tables
            for f in model._meta.concrete_fields
        ]
        plan = _selects[key] = _Select(
            sql=build(", ".join(columns)),
            names=[[f.attname for f in model._meta.concrete_fields] for model, _ in tables],
            converters=[_converters(connection, model) for model, _ in tables],
            pk_positions=[
                list(model._meta.concrete_fields).index(model._meta.pk) for model, _ in tables
            ],
        )
    with connection.cursor() as cursor:
        cursor.execute(plan.sql, list(params))
        fetched = cursor.fetchall()
    rows = []
    for raw in fetched:
        row: list[Any] = []
        start = 0
        for (model, _alias), names, converters, pk in zip(
            tables, plan.names, plan.converters, plan.pk_positions, strict=True
        ):
            values = list(raw[start : start + len(names)])
            start += len(names)
            if values[pk] is None:
                row.append(None)
                continue
            for i, conversion in enumerate(converters):
                if conversion is not None:
                    steps, column = conversion
                    for step in steps:
                        values[i] = step(values[i], column, connection)
            row.append(model.from_db(using, names, values))
        rows.append(tuple(row))
    return rows


def select_joined(
    model: type[M],
    relation: str,
    where: str,
    params: Sequence[Any],
    *,
    using: str = DEFAULT_DB_ALIAS,
) -> list[M]:
    """The rows of `model` matching `where` (SQL over the model's columns, each written as
    `b.<column>`, with `%s` placeholders), each with the row its non-null foreign key
    `relation` points to already loaded, as `select_related(relation)` would."""
    fk = model._meta.get_field(relation)
    if not isinstance(fk, models.ForeignKey):
        raise TypeError(f"{model.__name__}.{relation} is not a foreign key")
    related = fk.related_model
    quote = connections[using].ops.quote_name

    def build(columns: str) -> str:
        return (
            f"SELECT {columns} FROM {quote(model._meta.db_table)} b "
            f"INNER JOIN {quote(related._meta.db_table)} r "
            f"ON r.{quote(str(fk.target_field.column))} = b.{quote(fk.column)} WHERE {where}"
        )

    found = []
    for obj, target in select_models(
        (model, relation, where), [(model, "b"), (related, "r")], build, params, using=using
    ):
        fk.set_cached_value(obj, target)
        found.append(obj)
    return found
