"""Prefix queries that use an index on both databases, and materialised unit paths.

`field__prefix=P` selects the values that start with P. On PostgreSQL it is
`LIKE 'P%'`, served by an index with the `varchar_pattern_ops` operator class (the
one Django adds beside the ordinary index of a field with db_index, or an Index
declared with that class alone); SQLite only uses an index for LIKE under
conditions Django does not meet (no ESCAPE clause, case-sensitive LIKE), so there
the same set is asked as the binary range [P, P⁺) where P⁺ is P with its last
character incremented.

A unit's path is its ancestors' segments joined by "/" (`79/26734/h03/g12`);
`path__within=P` is P itself or anything with the prefix "P/".
"""

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Lookup
from django.db.models.sql.compiler import SQLCompiler

SEPARATOR = "/"

# What an SQL fragment compiles to: its text and its parameters.
Sql = tuple[str, tuple[Any, ...]]


def _successor(prefix: str) -> str:
    """The smallest string greater than every string that starts with `prefix`."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def _like_pattern(prefix: str) -> str:
    escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped + "%"


class PrefixField(models.CharField):
    """A CharField searched by prefix with `field__prefix=…`; index it (see the module's notes)."""


@PrefixField.register_lookup
class Prefix(Lookup):
    lookup_name = "prefix"
    prepare_rhs = False

    def process_rhs(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> Sql:
        return "%s", (self.rhs,)

    def as_sql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> Sql:
        lhs, params = self.process_lhs(compiler, connection)
        return f"{lhs} LIKE %s", (*params, _like_pattern(self.rhs))

    def as_sqlite(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> Sql:
        lhs, params = self.process_lhs(compiler, connection)
        if not self.rhs:
            return "1 = 1", ()
        return f"({lhs} >= %s AND {lhs} < %s)", (
            *params,
            self.rhs,
            *params,
            _successor(self.rhs),
        )


class PathField(PrefixField):
    """A materialised path; `path__within=P` matches P and everything under it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 255)
        super().__init__(*args, **kwargs)


@PathField.register_lookup
class Within(Prefix):
    lookup_name = "within"

    def _combine(
        self,
        sql: str,
        params: tuple[Any, ...],
        compiler: SQLCompiler,
        connection: BaseDatabaseWrapper,
    ) -> Sql:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"({lhs} = %s OR {sql})", (*lhs_params, self.rhs, *params)

    def as_sql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> Sql:
        under = Prefix(self.lhs, self.rhs + SEPARATOR)
        return self._combine(*under.as_sql(compiler, connection), compiler, connection)

    def as_sqlite(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> Sql:
        under = Prefix(self.lhs, self.rhs + SEPARATOR)
        return self._combine(*under.as_sqlite(compiler, connection), compiler, connection)


class Unindexed(models.Func):
    """A column (`expression`, a field name; a unit path unless `output_field` says
    otherwise) that a query checks but may not start from: on SQLite `+column` (the
    unary plus, SQLite's own way to keep a condition from choosing an index), elsewhere
    the column itself. `__within` works on a path.

    With statistics (ANALYZE), SQLite judges a province's units (a few thousand, each
    with an indexed way down to its people) a better start than a search key range it
    cannot size, and a search then reads the whole province.
    """

    template = "%(expressions)s"

    def __init__(self, expression: str, output_field: models.Field | None = None) -> None:
        super().__init__(models.F(expression), output_field=output_field or PathField())

    def as_sqlite(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any
    ) -> Sql:
        sql, params = self.as_sql(compiler, connection, template="+%(expressions)s", **extra)
        return sql, tuple(params)


def ancestors_of(path: str) -> list[str]:
    """The paths of `path` and of every unit above it, top first."""
    parts = path.split(SEPARATOR)
    return [SEPARATOR.join(parts[: i + 1]) for i in range(len(parts))]


def is_within(path: str, ancestor_path: str) -> bool:
    return path == ancestor_path or path.startswith(ancestor_path + SEPARATOR)


def roll_up(
    nodes: Mapping[int, str],
    leaf_paths: Mapping[int, str],
    *figures_by_id: Mapping[int, Mapping[str, int]],
    names: Iterable[str] | None = None,
) -> dict[int, dict[str, int]]:
    """Sum per-leaf figures ({leaf id: {name: n}}) into each node of a tree.

    `nodes` are the nodes to total ({id: path}), `leaf_paths` the paths of the ids the
    figures are given for. A leaf counts towards itself and each of its ancestors among
    `nodes`. Returns {node id: {name: total}}, every name present (0 when nothing);
    the names are `names`, or all those the figures hold.
    """
    if names is None:
        names = {name for figures in figures_by_id for row in figures.values() for name in row}
    names = list(names)
    totals = {node_id: dict.fromkeys(names, 0) for node_id in nodes}
    by_path = {path: node_id for node_id, path in nodes.items()}
    for figures in figures_by_id:
        for leaf_id, row in figures.items():
            for path in ancestors_of(leaf_paths.get(leaf_id, "")):
                if path in by_path:
                    node_totals = totals[by_path[path]]
                    for name in names:
                        node_totals[name] += row.get(name, 0)
    return totals
