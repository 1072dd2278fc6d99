"""Configuration by environment, read in langso/settings.py."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[3]


def settings_in_subprocess(env, expression):
    """Evaluate `expression` against langso.settings imported under `env` alone."""
    code = f"import langso.settings as s; print({expression})"
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY"}}
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def test_sqlite_under_var_is_the_default_and_a_postgres_url_is_understood(tmp_path):
    var = str(tmp_path)
    assert settings_in_subprocess({"LANGSO_VAR_DIR": var}, "s.DATABASES['default']['NAME']") == str(
        tmp_path / "langso.sqlite3"
    )
    engine = settings_in_subprocess(
        {"LANGSO_VAR_DIR": var, "DATABASE_URL": "postgres://u:p@127.0.0.1:5432/langso"},
        "s.DATABASES['default']['ENGINE'], s.DATABASES['default']['NAME']",
    )
    assert engine == "django.db.backends.postgresql langso"


def test_a_missing_secret_key_is_generated_once_and_kept_under_var(tmp_path):
    first = settings_in_subprocess({"LANGSO_VAR_DIR": str(tmp_path)}, "s.SECRET_KEY")
    second = settings_in_subprocess({"LANGSO_VAR_DIR": str(tmp_path)}, "s.SECRET_KEY")

    assert len(first) >= 50 and first == second
    assert (tmp_path / "secret_key").read_text() == first
    assert oct((tmp_path / "secret_key").stat().st_mode & 0o777) == "0o600"


def test_debug_is_off_unless_asked_for(tmp_path):
    # An empty value counts as unset, and wins over a developer's .env file.
    assert settings_in_subprocess({"LANGSO_VAR_DIR": str(tmp_path), "DEBUG": ""}, "s.DEBUG") == (
        "False"
    )
    assert (
        settings_in_subprocess({"LANGSO_VAR_DIR": str(tmp_path), "DEBUG": "true"}, "s.DEBUG")
        == "True"
    )


def test_postgresql_connections_price_random_reads_for_fast_disks(tmp_path):
    """random_page_cost 1.1 per connection unless set otherwise; empty keeps the server's."""
    env = {"LANGSO_VAR_DIR": str(tmp_path), "DATABASE_URL": "postgres://u@127.0.0.1:1/x"}
    options = "s.DATABASES['default'].get('OPTIONS', {}).get('options')"

    assert settings_in_subprocess(env, options) == "-c random_page_cost=1.1"
    assert (
        settings_in_subprocess({**env, "LANGSO_PG_RANDOM_PAGE_COST": "2"}, options)
        == "-c random_page_cost=2.0"
    )
    assert settings_in_subprocess({**env, "LANGSO_PG_RANDOM_PAGE_COST": ""}, options) == "None"


@pytest.mark.django_db
def test_postgresql_connection_has_the_setting():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: this run is on SQLite")
    with connection.cursor() as cursor:
        cursor.execute("SHOW random_page_cost")
        assert cursor.fetchone()[0] == "1.1"


@pytest.mark.django_db
def test_sqlite_runs_in_wal_mode(tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only: this run is on PostgreSQL")
    db_file = tmp_path / "wal.sqlite3"
    code = (
        "import django; django.setup();"
        "from django.db import connection;"
        "c = connection.cursor(); c.execute('PRAGMA journal_mode'); print(c.fetchone()[0])"
    )
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{db_file}",
        "LANGSO_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "langso.settings",
    }
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "wal"
