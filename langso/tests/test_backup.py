"""`manage.py backup` and `restore`: the demo goes out and comes back, every table equal."""

import json
import os
import sqlite3
import subprocess
import sys
import tarfile
from datetime import date, datetime
from io import StringIO
from pathlib import Path

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from langso.lib.backup import database_fingerprints, pg_fingerprints, prune, sqlite_fingerprints
from langso.registry.models import Person

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def demo_site(transactional_db, settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "media" / "imports").mkdir(parents=True)
    (tmp_path / "media" / "imports" / "danh-sách.xlsx").write_bytes(b"PK\x03\x04 tep mau")
    call_command("load_units", stdout=StringIO())
    call_command("demo", households=25, as_of=date(2025, 12, 1), stdout=StringIO())
    return tmp_path


@pytest.fixture
def empty_database(tmp_path):
    """A DATABASE_URL naming an empty database of the same kind as the tests' own."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}", None
        return
    db = connection.settings_dict
    name = f"{db['NAME']}_restore"
    admin = {
        "host": db["HOST"],
        "port": db["PORT"] or 5432,
        "user": db["USER"],
        "dbname": "postgres",
    }
    with psycopg.connect(**admin, autocommit=True) as pg:
        pg.execute(f'DROP DATABASE IF EXISTS "{name}"')
        pg.execute(f'CREATE DATABASE "{name}"')
    try:
        yield (
            f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{name}",
            {
                **admin,
                "dbname": name,
            },
        )
    finally:
        with psycopg.connect(**admin, autocommit=True) as pg:
            pg.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def restore(archive, url, media):
    env = {**os.environ, "DATABASE_URL": url, "MEDIA_ROOT": str(media), "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "restore", str(archive)],
        env=env, capture_output=True, text=True, check=False, cwd=ROOT,
    )  # fmt: skip


def restored_fingerprints(url, pg):
    if pg is None:
        with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
            return sqlite_fingerprints(db)
    with psycopg.connect(**pg) as db, db.cursor() as cursor:
        return pg_fingerprints(cursor)


def test_the_demo_round_trips_through_a_backup(demo_site, empty_database):
    url, pg = empty_database
    out = StringIO()
    call_command("backup", dir=demo_site / "backups", stdout=out)
    (archive,) = (demo_site / "backups").glob("langso-backup-*.tar.gz")
    source = database_fingerprints(connection)

    done = restore(archive, url, demo_site / "restored-media")

    assert done.returncode == 0, done.stderr
    assert "counts and checksums match the backup" in done.stdout
    assert restored_fingerprints(url, pg) == source
    assert source["registry_person"]["rows"] == Person.objects.count() > 50
    assert source["accounts_auditentry"]["rows"] > 0
    copy = demo_site / "restored-media" / "imports" / "danh-sách.xlsx"
    assert copy.read_bytes() == b"PK\x03\x04 tep mau"
    assert "Backup written" in out.getvalue()
    checksum, name = Path(f"{archive}.sha256").read_text().split()
    assert name == archive.name and len(checksum) == 64


def test_restore_refuses_a_database_that_is_not_empty(demo_site):
    call_command("backup", dir=demo_site / "backups", stdout=StringIO())
    (archive,) = (demo_site / "backups").glob("langso-backup-*.tar.gz")

    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", archive, stdout=StringIO())


def test_restore_refuses_a_damaged_archive(db, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    archive = tmp_path / "langso-backup-20260101-000000.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        manifest = tmp_path / "manifest.json"
        manifest.write_text(json.dumps({"format": 1}))
        tar.add(manifest, "manifest.json")
    Path(f"{archive}.sha256").write_text(f"{'0' * 64}  {archive.name}\n")

    with pytest.raises(CommandError, match="does not match its checksum"):
        call_command("restore", archive, stdout=StringIO())


def test_keep_days_deletes_only_older_archives(tmp_path):
    for stamp in ("20261101-020000", "20261120-020000", "20261201-020000"):
        (tmp_path / f"langso-backup-{stamp}.tar.gz").write_bytes(b"x")
        (tmp_path / f"langso-backup-{stamp}.tar.gz.sha256").write_text("x")
    (tmp_path / "notes.txt").write_text("kept")

    removed = prune(tmp_path, 14, now=datetime(2026, 12, 2, 3, 0))

    assert [p.name for p in removed] == ["langso-backup-20261101-020000.tar.gz"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "langso-backup-20261120-020000.tar.gz",
        "langso-backup-20261120-020000.tar.gz.sha256",
        "langso-backup-20261201-020000.tar.gz",
        "langso-backup-20261201-020000.tar.gz.sha256",
        "notes.txt",
    ]
