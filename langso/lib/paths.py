"""Materialised paths: "everything under a unit" as one indexed range or prefix query.

A unit's path is its ancestors' segments joined by "/" (`79/26734/h03/g12`).
The descendants of P are the rows whose path starts with "P/". On PostgreSQL
`LIKE 'P/%'` uses the `varchar_pattern_ops` index Django creates beside the
ordinary one; SQLite only uses an index for LIKE under conditions Django does not
meet, so there the same set is asked as the binary range ["P/", "P0"), "0" being
the character after "/".
"""

from django.db import models
from django.db.models import Lookup

SEPARATOR = "/"
_AFTER_SEPARATOR = chr(ord(SEPARATOR) + 1)


class PathField(models.CharField):
    """A materialised path; `path__within=P` matches P and everything under it."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 255)
        super().__init__(*args, **kwargs)


@PathField.register_lookup
class Within(Lookup):
    lookup_name = "within"

    def process_rhs(self, compiler, connection):
        # The value is used raw in our own SQL below; nothing to prepare.
        return "%s", [self.rhs]

    def _like_pattern(self):
        escaped = self.rhs.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return escaped + SEPARATOR + "%"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        sql = f"({lhs} = %s OR {lhs} LIKE %s)"
        return sql, [*lhs_params, self.rhs, *lhs_params, self._like_pattern()]

    def as_sqlite(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        sql = f"({lhs} = %s OR ({lhs} >= %s AND {lhs} < %s))"
        return sql, [
            *lhs_params,
            self.rhs,
            *lhs_params,
            self.rhs + SEPARATOR,
            *lhs_params,
            self.rhs + _AFTER_SEPARATOR,
        ]


def ancestors_of(path):
    """The paths of `path` and of every unit above it, top first."""
    parts = path.split(SEPARATOR)
    return [SEPARATOR.join(parts[: i + 1]) for i in range(len(parts))]


def is_within(path, ancestor_path):
    return path == ancestor_path or path.startswith(ancestor_path + SEPARATOR)
