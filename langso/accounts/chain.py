"""The audit log's hash chain and the database triggers that keep it append-only.

Each audit row carries `prev_hash`, the `row_hash` of the row before it (by primary key),
and its own `row_hash`: SHA-256 of `prev_hash` and the row's content in a canonical
form. Changing, removing or inserting a row out of turn breaks the chain from there on;
`manage.py verify_audit` walks it and names the first broken link.

Appending is serialised so that two writers never chain onto the same row: on SQLite the
project's transactions are IMMEDIATE, so the writer already holds the database's write
lock; on PostgreSQL a transaction-scoped advisory lock is taken before the last hash is
read, and the new row's key is drawn from the sequence after it, so keys follow the
chain. The lock is held until the writing transaction ends.

Triggers refuse UPDATE and DELETE of audit rows (and TRUNCATE on PostgreSQL) whatever
the client: the admin, the ORM or raw SQL. Only someone who may change the schema can
lift them, and the chain still shows what they did. On SQLite a migration that rebuilds
the audit table drops its triggers: such a migration must call `install_guard` again.
"""

import hashlib
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper

TABLE = "accounts_auditentry"
# Columns hashed, in order (the ORM's attribute names; `changes` decoded, `at` a datetime).
CHAINED = (
    "actor_id",
    "verb",
    "unit_id",
    "target_type",
    "target_id",
    "target_repr",
    "changes",
    "at",
)
# Any constant will do; it names the audit log's lock among the site's advisory locks.
PG_LOCK_KEY = 0x4C414E47534F4155  # "LANGSOAU"
GENESIS = ""


class AuditLogIsAppendOnly(Exception):
    """Audit rows are written once and never changed or deleted."""


def _instant(value: Any) -> str:
    """`at` as UTC text to the microsecond, whether a datetime or SQLite's adapted text."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:  # SQLite's adapted values are naive UTC
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def digest(prev_hash: str, values: Sequence[Any]) -> str:
    """The hash of a row whose `CHAINED` values are `values`, following `prev_hash`."""
    *head, at = values
    payload = json.dumps(
        [*head, _instant(at)], sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )
    return hashlib.sha256(f"{prev_hash}\n{payload}".encode()).hexdigest()


def lock_and_read_last(using: str = "default") -> str:
    """Take the chain's lock for the current transaction and return the last row's hash."""
    connection = connections[using]
    if not connection.in_atomic_block:
        raise RuntimeError("Append to the audit chain inside a transaction.")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [PG_LOCK_KEY])
        cursor.execute(f"SELECT row_hash FROM {TABLE} ORDER BY id DESC LIMIT 1")
        row = cursor.fetchone()
    return row[0] if row else GENESIS


def link(prev_hash: str, rows: Iterable[Sequence[Any]]) -> Iterator[tuple[str, str]]:
    """(prev_hash, row_hash) for each of `rows` (their `CHAINED` values) appended in turn."""
    for values in rows:
        row_hash = digest(prev_hash, values)
        yield prev_hash, row_hash
        prev_hash = row_hash


@dataclass(frozen=True)
class BrokenLink:
    pk: int
    at: datetime
    verb: str
    reason: str


def verify(rows: Iterable[Sequence[Any]]) -> tuple[int, BrokenLink | None]:
    """Walk rows of (pk, prev_hash, row_hash, *CHAINED) in key order.

    Returns how many rows were checked and the first broken link, if any.
    """
    expected_prev = GENESIS
    count = 0
    for pk, prev_hash, row_hash, *values in rows:
        at, verb = values[-1], values[1]
        if prev_hash != expected_prev:
            return count, BrokenLink(pk, at, verb, "previous")
        if digest(prev_hash, values) != row_hash:
            return count, BrokenLink(pk, at, verb, "content")
        expected_prev = row_hash
        count += 1
    return count, None


_SQLITE_GUARD = [
    f"CREATE TRIGGER IF NOT EXISTS {TABLE}_no_update BEFORE UPDATE ON {TABLE} "
    "BEGIN SELECT RAISE(ABORT, 'audit log rows cannot be changed'); END",
    f"CREATE TRIGGER IF NOT EXISTS {TABLE}_no_delete BEFORE DELETE ON {TABLE} "
    "BEGIN SELECT RAISE(ABORT, 'audit log rows cannot be deleted'); END",
]
_SQLITE_UNGUARD = [
    f"DROP TRIGGER IF EXISTS {TABLE}_no_update",
    f"DROP TRIGGER IF EXISTS {TABLE}_no_delete",
]
_PG_GUARD = [
    f"""CREATE OR REPLACE FUNCTION {TABLE}_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'audit log rows cannot be changed or deleted (%)', TG_OP
            USING ERRCODE = 'integrity_constraint_violation';
    END $$""",
    f"CREATE OR REPLACE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE ON {TABLE} "
    f"FOR EACH ROW EXECUTE FUNCTION {TABLE}_refuse()",
    f"CREATE OR REPLACE TRIGGER {TABLE}_no_truncate BEFORE TRUNCATE ON {TABLE} "
    f"FOR EACH STATEMENT EXECUTE FUNCTION {TABLE}_refuse()",
]
_PG_UNGUARD = [
    f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE}",
    f"DROP TRIGGER IF EXISTS {TABLE}_no_truncate ON {TABLE}",
    f"DROP FUNCTION IF EXISTS {TABLE}_refuse()",
]


def _run(connection: BaseDatabaseWrapper, statements: Sequence[str]) -> None:
    if TABLE not in connection.introspection.table_names():
        return
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def install_guard(connection: BaseDatabaseWrapper) -> None:
    """Create the triggers that refuse UPDATE and DELETE of audit rows."""
    _run(connection, _PG_GUARD if connection.vendor == "postgresql" else _SQLITE_GUARD)


def remove_guard(connection: BaseDatabaseWrapper) -> None:
    """Drop those triggers: for migrations that rebuild the table, `flush`, and tests."""
    _run(connection, _PG_UNGUARD if connection.vendor == "postgresql" else _SQLITE_UNGUARD)
