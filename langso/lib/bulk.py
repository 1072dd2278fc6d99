"""Writing many rows fast: reserved primary keys, multi-row INSERTs and COPY.

Django's bulk_create builds a model instance per row and, on PostgreSQL, sends each
batch as new statement text; for the 100,000-row imports and the million-person
demo that costs more than the database work itself. Here rows are plain tuples, a
statement carries many rows, and `executemany` repeats it; on PostgreSQL, rows
without an ON CONFLICT clause go through COPY. The SQL is portable.
"""

import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from itertools import chain
from typing import Any, TypeVar

from django.db import connection
from django.db.models import Field, Model

ROWS_PER_STATEMENT = 100

# A row to write: its values in the order of the fields it is written with.
Row = Sequence[Any]
_T = TypeVar("_T")


def _field(model: type[Model], name: str) -> Field[Any, Any]:
    """`model`'s field `name`; the other side of a relation, which has no column, is refused."""
    field = model._meta.get_field(name)
    if not isinstance(field, Field):
        raise ValueError(f"{model._meta.label}.{name} is not a field with a column.")
    return field


def _column(model: type[Model], name: str | None = None) -> str:
    """The column of `model`'s field `name`, or of its primary key."""
    column = (_field(model, name) if name else model._meta.pk).column
    if column is None:
        raise ValueError(f"{model._meta.label}.{name or 'pk'} has no column.")
    return column


def reserve_ids(model: type[Model], count: int) -> list[int]:
    """`count` primary keys for new rows of `model`, safe against concurrent writers.

    PostgreSQL hands them out from the table's sequence. SQLite has one writer at a
    time: inside a transaction that has taken the write lock (the project runs SQLite
    transactions as IMMEDIATE), the keys after the current maximum are free.
    """
    if count <= 0:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            column = model._meta.pk.column
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, column, count],
            )
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")
        top = cursor.fetchone()[0]
    return list(range(top + 1, top + 1 + count))


class Inserter:
    """INSERT of `fields` (then `blanks`, written as '') for many tuples at a time.

    On PostgreSQL, rows that need no ON CONFLICT clause go through COPY instead: the
    server parses one stream rather than a statement per hundred rows (a 100,000-person
    import's five tables: see docs/registry.md for the figures).
    """

    def __init__(
        self,
        model: type[Model],
        fields: Sequence[str],
        blanks: Sequence[str] = (),
        *,
        skip_duplicates: bool = False,
    ) -> None:
        quote = connection.ops.quote_name
        columns = ", ".join(quote(_column(model, name)) for name in (*fields, *blanks))
        self.copy_sql = (
            f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
            if connection.vendor == "postgresql" and not skip_duplicates
            else None
        )
        self.blank_values = ("",) * len(blanks)
        self.head = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES "
        self.row = "(" + ", ".join(["%s"] * len(fields) + ["''"] * len(blanks)) + ")"
        # Both databases skip a row that would break a unique constraint with this clause.
        self.tail = " ON CONFLICT DO NOTHING" if skip_duplicates else ""
        limit = connection.features.max_query_params
        self.per_statement = min(ROWS_PER_STATEMENT, limit // len(fields) if limit else 10**9)
        self.full_sql = self._sql(self.per_statement)

    def _sql(self, rows: int) -> str:
        return self.head + ", ".join([self.row] * rows) + self.tail

    def run(self, rows: Sequence[Row]) -> None:
        if not rows:
            return
        if self.copy_sql:
            self._copy(rows)
            return
        size = self.per_statement
        whole = len(rows) - len(rows) % size
        flat = chain.from_iterable
        with connection.cursor() as cursor:
            if whole:
                cursor.executemany(
                    self.full_sql, [list(flat(rows[i : i + size])) for i in range(0, whole, size)]
                )
            if rest := rows[whole:]:
                cursor.execute(self._sql(len(rest)), list(flat(rest)))

    def _copy(self, rows: Sequence[Row]) -> None:
        blanks = self.blank_values
        # The driver's own cursor: Django's wrapper has no COPY.
        with connection.cursor() as cursor, cursor.cursor.copy(self.copy_sql) as copy:
            if blanks:
                for row in rows:
                    copy.write_row((*row, *blanks))
            else:
                for row in rows:
                    copy.write_row(row)


def update_rows(model: type[Model], fields: Sequence[str], rows: Sequence[Row]) -> None:
    """Set `fields` of many rows of `model`, each its own values: `rows` holds tuples of
    the new values in `fields` order, then the primary key.

    One prepared UPDATE run for every row (SQLite in process; psycopg pipelines it),
    rather than bulk_update's CASE over every key of a batch, which made a 100,000-person
    update spend its time building and matching expressions.
    """
    if not rows:
        return
    quote = connection.ops.quote_name
    meta = model._meta
    columns = [_field(model, name) for name in fields]
    assignments = ", ".join(f"{quote(_column(model, name))} = %s" for name in fields)
    sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(_column(model))} = %s"
    prepared = [
        [field.get_db_prep_save(v, connection) for field, v in zip(columns, row[:-1], strict=True)]
        + [row[-1]]
        for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, prepared)


def update_rows_joined(
    model: type[Model], fields: Sequence[str], rows: Sequence[Row], *, per_statement: int = 5000
) -> None:
    """`update_rows`, written as one UPDATE … FROM (VALUES …) per `per_statement` rows
    on PostgreSQL: the server matches the rows as a join instead of running one
    statement per row (10,000 rows: 3.8 s instead of 9.1 s measured on a loaded server).
    Elsewhere (SQLite runs the prepared statement in process) it is `update_rows`."""
    if connection.vendor != "postgresql" or not rows:
        update_rows(model, fields, rows)
        return
    quote = connection.ops.quote_name
    meta = model._meta
    columns = [_field(model, name) for name in fields]
    names = [f"c{index}" for index in range(len(fields))]
    assignments = ", ".join(
        f"{quote(_column(model, name))} = CAST(v.{alias} AS {field.db_type(connection)})"
        for name, alias, field in zip(fields, names, columns, strict=True)
    )
    table, key = quote(meta.db_table), quote(_column(model))
    row_sql = "(" + ", ".join(["%s"] * (len(fields) + 1)) + ")"
    with connection.cursor() as cursor:
        for chunk in chunked(rows, per_statement):
            params = []
            for row in chunk:
                values = zip(columns, row[:-1], strict=True)
                params += [field.get_db_prep_save(value, connection) for field, value in values]
                params.append(row[-1])
            cursor.execute(
                f"UPDATE {table} SET {assignments} "
                f"FROM (VALUES {', '.join([row_sql] * len(chunk))}) AS v({', '.join(names)}, k) "
                f"WHERE {table}.{key} = CAST(v.k AS bigint)",
                params,
            )


def chunked(items: Sequence[_T], size: int) -> Iterator[Sequence[_T]]:
    """Successive slices of the sequence `items`, `size` long (the last may be shorter)."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def insert_rows(
    model: type[Model],
    fields: Sequence[str],
    rows: Sequence[Row],
    blanks: Sequence[str] = (),
    *,
    skip_duplicates: bool = False,
) -> None:
    Inserter(model, fields, blanks, skip_duplicates=skip_duplicates).run(rows)


@contextmanager
def secondary_indexes_dropped(*models: type[Model]) -> Iterator[None]:
    """Drop the plain (non-unique) indexes of `models`, and build them again on exit.

    Filling an empty table and then indexing it sorts once; keeping a B-tree up to date
    through millions of inserts in random key order costs several times more. Only for
    bulk loads nobody else is reading meanwhile (the demo and benchmark builds): the
    tables have no index in between. Use it inside `transaction.atomic()`, so that an
    error rolls the dropped indexes back too.

    Write rows only after the rows they point to. While a deferred foreign-key check is
    pending, SQLite looks up each new row's referrers, and without their indexes every
    lookup reads a whole table: the load becomes far slower, not faster.
    """
    saved = []
    with connection.cursor() as cursor:
        for model in models:
            table = model._meta.db_table
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s "
                    "AND indexdef NOT LIKE 'CREATE UNIQUE%%'",
                    [table],
                )
            else:
                cursor.execute(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                    "AND tbl_name = %s AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%%'",
                    [table],
                )
            saved += cursor.fetchall()
        for name, _sql in saved:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    # Rebuilt only on success: after an error the transaction rolls back, the drops with it.
    yield
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # PostgreSQL refuses CREATE INDEX on a table with deferred foreign-key
            # checks pending in the transaction: run them now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for _name, sql in saved:
            cursor.execute(sql)
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # Django's foreign keys' default


@contextmanager
def sqlite_page_cache(kib: int) -> Iterator[None]:
    """A bigger SQLite page cache for this connection while the block runs.

    The indexes of a million people (names, sort keys, ID numbers, search keys) far
    outgrow SQLite's default 2 MB cache; in one long transaction every miss is a read
    back from the WAL and every eviction a write to it. SQLite takes the memory only
    as pages are used, and the old size comes back afterwards. Other databases: no-op.
    """
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (previous,) = cursor.fetchone()
        cursor.execute(f"PRAGMA cache_size = -{int(kib)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(previous)}")


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector paused while a bulk step makes objects by the hundred thousand.

    The collector runs every few hundred new objects and, as they pile up, walks all
    of them again and again: reading a 100,000-row book spent a tenth of its time there
    (measured). The rows, dicts and tuples such a step makes hold no cycles; whatever
    garbage there is waits for the next collection after the block.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def analyze(*models: type[Model]) -> None:
    """Give PostgreSQL's planner the row counts of `models`' tables after a bulk load.

    Autovacuum analyses a table only some time after it was filled; until then the planner
    may take 100,000 new people for a handful and pick nested loops over full scans, which
    a server-side cursor (`.iterator()`) makes worse (hardening issue, item 16). SQLite's
    planner keeps no such statistics unless asked, and the site never asks.
    """
    if connection.vendor != "postgresql" or not models:
        return
    tables = ", ".join(connection.ops.quote_name(model._meta.db_table) for model in models)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {tables}")
