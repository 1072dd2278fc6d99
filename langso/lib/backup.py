"""Backups that restore: the database and the media files in one dated, checked archive.

An archive `langso-backup-YYYYMMDD-HHMMSS.tar.gz` holds

- `database.sqlite3` (SQLite's online backup API: a consistent copy while the site runs)
  or `database.dump` (`pg_dump --format=custom`, taken in the same snapshot as the
  checksums below);
- `media/…`, the uploaded and generated files;
- `manifest.json`: the database vendor, the SHA-256 of every member, and for every table
  its row count and a checksum of its rows (independent of row order), so that a restore
  proves it brought back exactly what was saved.

Next to it, `….tar.gz.sha256` holds the archive's own checksum in `sha256sum` format.
"""

import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone

FORMAT = 1
NAME = re.compile(r"^langso-backup-(\d{8}-\d{6})\.tar\.gz$")
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.dump"


class BackupError(Exception):
    """A backup that cannot be made or restored, with a message for the operator."""


@dataclass(frozen=True)
class Restored:
    tables: int
    rows: int
    files: int


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _pg_binary(name: str) -> str:
    """`pg_dump` or `pg_restore`: from LANGSO_PG_BIN_DIR, the PATH, or Debian's directory."""
    if configured := getattr(settings, "LANGSO_PG_BIN_DIR", ""):
        return str(Path(configured) / name)
    if found := shutil.which(name):
        return found
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True)
    if not candidates:
        raise BackupError(f"{name} was not found: install the PostgreSQL client tools.")
    return str(candidates[0])


def _pg_env(connection: BaseDatabaseWrapper) -> dict[str, str]:
    db = connection.settings_dict
    env = dict(os.environ)
    for key, value in {
        "PGHOST": db.get("HOST"),
        "PGPORT": db.get("PORT"),
        "PGUSER": db.get("USER"),
        "PGPASSWORD": db.get("PASSWORD"),
        "PGDATABASE": db.get("NAME"),
    }.items():
        if value:
            env[key] = str(value)
    return env


def _row_hash(row: tuple[Any, ...]) -> str:
    text = json.dumps(
        [value.hex() if isinstance(value, bytes | memoryview) else value for value in row],
        ensure_ascii=False,
        default=str,
    )
    return hashlib.sha256(text.encode()).hexdigest()


def _combine(row_hashes: list[str]) -> dict[str, Any]:
    row_hashes.sort()
    return {
        "rows": len(row_hashes),
        "sha256": hashlib.sha256("".join(row_hashes).encode()).hexdigest(),
    }


def sqlite_fingerprints(db: sqlite3.Connection) -> dict[str, dict[str, Any]]:
    """Row count and checksum of every table of a SQLite database."""
    tables = [
        name
        for (name,) in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
    ]
    return {
        table: _combine([_row_hash(row) for row in db.execute(f'SELECT * FROM "{table}"')])
        for table in tables
    }


def pg_fingerprints(cursor: Any) -> dict[str, dict[str, Any]]:
    """Row count and checksum of every table of the PostgreSQL schema `public`.

    Each row is hashed by the server from its text form, in UTC and ISO dates, so that
    any client computes the same figures.
    """
    cursor.execute("SET LOCAL TimeZone = 'UTC'")
    cursor.execute("SET LOCAL DateStyle = 'ISO, YMD'")
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    tables = [name for (name,) in cursor.fetchall()]
    result = {}
    for table in tables:
        cursor.execute(f'SELECT md5(t::text) FROM "{table}" t')
        result[table] = _combine([row_hash for (row_hash,) in cursor.fetchall()])
    return result


def database_fingerprints(connection: BaseDatabaseWrapper) -> dict[str, dict[str, Any]]:
    """The fingerprints of the database behind a Django connection."""
    connection.ensure_connection()
    if connection.vendor == "postgresql":
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            return pg_fingerprints(cursor)
    # A plain connection: Django's converts declared types (booleans, dates) as it reads.
    if connection.is_in_memory_db():  # type: ignore[attr-defined]  # SQLite's wrapper
        plain = sqlite3.connect(":memory:")
        connection.connection.backup(plain)
    else:
        plain = sqlite3.connect(f"file:{connection.settings_dict['NAME']}?mode=ro", uri=True)
    try:
        return sqlite_fingerprints(plain)
    finally:
        plain.close()


def _dump_database(connection: BaseDatabaseWrapper, folder: Path) -> tuple[str, dict]:
    """Write the database into `folder`; returns the file's name and the tables' figures."""
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        target = folder / SQLITE_FILE
        copy = sqlite3.connect(target)
        try:
            connection.connection.backup(copy)
            copy.execute("PRAGMA journal_mode=DELETE")
            return SQLITE_FILE, sqlite_fingerprints(copy)
        finally:
            copy.close()
    if connection.vendor != "postgresql":
        raise BackupError(f"Backups of {connection.vendor} databases are not supported.")
    target = folder / PG_FILE
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        # One snapshot for pg_dump and for the checksums, whatever is written meanwhile.
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        (snapshot,) = cursor.fetchone()
        done = subprocess.run(
            [_pg_binary("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
             f"--snapshot={snapshot}", f"--file={target}"],
            env=_pg_env(connection), capture_output=True, text=True, check=False,
        )  # fmt: skip
        if done.returncode:
            raise BackupError(f"pg_dump failed: {done.stderr.strip()}")
        return PG_FILE, pg_fingerprints(cursor)


def _media_files(root: Path) -> Iterator[Path]:
    if root.is_dir():
        yield from sorted(path for path in root.rglob("*") if path.is_file())


def make_backup(directory: Path, *, using: str = "default") -> Path:
    """Write a backup archive into `directory` and its `.sha256`; returns the archive."""
    connection = connections[using]
    directory.mkdir(parents=True, exist_ok=True)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    archive = directory / f"langso-backup-{stamp}.tar.gz"
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(dir=directory) as scratch:
        folder = Path(scratch)
        database_file, tables = _dump_database(connection, folder)
        files = {database_file: sha256_file(folder / database_file)}
        media = list(_media_files(media_root))
        for path in media:
            files[f"media/{path.relative_to(media_root).as_posix()}"] = sha256_file(path)
        manifest = {
            "format": FORMAT,
            "created": timezone.now().isoformat(),
            "vendor": connection.vendor,
            "database": database_file,
            "tables": tables,
            "files": files,
        }
        (folder / MANIFEST).write_text(json.dumps(manifest, indent=1, ensure_ascii=False))
        partial = archive.with_suffix(".partial")
        with tarfile.open(partial, "w:gz") as tar:
            tar.add(folder / MANIFEST, MANIFEST)
            tar.add(folder / database_file, database_file)
            for path in media:
                tar.add(path, f"media/{path.relative_to(media_root).as_posix()}")
        partial.rename(archive)
    Path(f"{archive}.sha256").write_text(f"{sha256_file(archive)}  {archive.name}\n")
    return archive


def prune(directory: Path, keep_days: int, *, now: datetime | None = None) -> list[Path]:
    """Delete the archives in `directory` dated more than `keep_days` days ago."""
    cutoff = (now or timezone.localtime()).replace(tzinfo=None) - timedelta(days=keep_days)
    removed = []
    for path in sorted(directory.glob("langso-backup-*.tar.gz")):
        match = NAME.match(path.name)
        if match and datetime.strptime(match[1], "%Y%m%d-%H%M%S") < cutoff:
            path.unlink()
            Path(f"{path}.sha256").unlink(missing_ok=True)
            removed.append(path)
    return removed


def _check_archive(archive: Path) -> None:
    sidecar = Path(f"{archive}.sha256")
    if not sidecar.exists():
        raise BackupError(f"{sidecar.name} is missing: the archive cannot be checked.")
    expected = sidecar.read_text().split()[0]
    if sha256_file(archive) != expected:
        raise BackupError(f"{archive.name} does not match its checksum: it is damaged.")


def restore_backup(archive: Path, *, using: str = "default") -> Restored:
    """Restore `archive` into the empty database `using` and the media directory."""
    connection = connections[using]
    _check_archive(archive)
    if connection.introspection.table_names():
        raise BackupError("The database is not empty: restore only into an empty database.")
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(folder, filter="data")
        manifest = json.loads((folder / MANIFEST).read_text())
        if manifest.get("format") != FORMAT:
            raise BackupError("This archive was written by another version of the backup.")
        if manifest["vendor"] != connection.vendor:
            raise BackupError(
                f"This is a {manifest['vendor']} backup; the database is {connection.vendor}."
            )
        for name, expected in manifest["files"].items():
            if sha256_file(folder / name) != expected:
                raise BackupError(f"{name} in the archive does not match its checksum.")
        _load_database(connection, folder / manifest["database"])
        found = database_fingerprints(connection)
        if found != manifest["tables"]:
            differing = sorted(
                name
                for name in set(found) | set(manifest["tables"])
                if found.get(name) != manifest["tables"].get(name)
            )
            raise BackupError(
                f"The restored tables differ from the backup: {', '.join(differing)}."
            )
        files = _restore_media(folder / "media", Path(settings.MEDIA_ROOT))
    rows = sum(table["rows"] for table in manifest["tables"].values())
    return Restored(tables=len(manifest["tables"]), rows=rows, files=files)


def _load_database(connection: BaseDatabaseWrapper, source: Path) -> None:
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        saved = sqlite3.connect(source)
        try:
            saved.backup(connection.connection)
        finally:
            saved.close()
        return
    done = subprocess.run(
        [_pg_binary("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error",
         f"--dbname={connection.settings_dict['NAME']}", str(source)],
        env=_pg_env(connection), capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode:
        raise BackupError(f"pg_restore failed: {done.stderr.strip()}")


def _restore_media(source: Path, root: Path) -> int:
    count = 0
    for path in _media_files(source):
        target = root / path.relative_to(source)
        if target.exists() and sha256_file(target) != sha256_file(path):
            raise BackupError(f"{target} exists with other content; it was left as it is.")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
        count += 1
    return count
