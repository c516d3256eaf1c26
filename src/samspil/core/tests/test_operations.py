"""Operations: backup and restore, and the production settings passing ``check --deploy``.

The end-to-end tests run ``manage.py`` in a subprocess on a temporary SQLite file, as an
operator would, so they run the same whether the suite itself is on SQLite or PostgreSQL.
"""

import gc
import importlib
import io
import os
import secrets
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from samspil.core.management.commands.backup import (
    check_sqlite_file,
    pg_dump_args,
    pg_environment,
    pg_restore_args,
    sqlite_backup,
    sqlite_copy,
    sqlite_path,
)
from samspil.core.models import Organisation

ROOT = Path(__file__).resolve().parents[4]

POSTGRES = {
    "ENGINE": "django.db.backends.postgresql",
    "NAME": "samspil",
    "USER": "samspil",
    "PASSWORD": "s3cret-never-on-the-command-line",
    "HOST": "db.internal",
    "PORT": 5433,
    "OPTIONS": {"sslmode": "require"},
}


def manage(*args: str, env: dict[str, str], check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
        check=check,
    )


def shell(code: str, env: dict[str, str]) -> str:
    return manage("shell", "--no-imports", "-c", code, env=env).stdout.strip()


def base_environment(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(PYTHONPATH=str(ROOT / "src"), DJANGO_SETTINGS_MODULE="samspil.settings")
    env.update(extra)
    return env


def make_sqlite(path: Path, *names: str) -> None:
    database = sqlite3.connect(path)
    with database:
        database.execute("CREATE TABLE django_migrations (id INTEGER PRIMARY KEY, app TEXT)")
        database.execute("CREATE TABLE organisation (name TEXT)")
        database.executemany("INSERT INTO organisation VALUES (?)", [(n,) for n in names])
    database.close()


def names_in(path: Path) -> list[str]:
    database = sqlite3.connect(path)
    rows = database.execute("SELECT name FROM organisation ORDER BY name").fetchall()
    database.close()
    return [name for (name,) in rows]


def test_it_builds_pg_dump_arguments_without_the_password():
    args = pg_dump_args(POSTGRES, "/backups/samspil.dump")
    assert args == [
        "pg_dump",
        "--format=custom",
        "--no-password",
        "--file=/backups/samspil.dump",
        "--host=db.internal",
        "--port=5433",
        "--username=samspil",
        "--dbname=samspil",
    ]
    assert not any(POSTGRES["PASSWORD"] in arg for arg in args)


def test_it_passes_the_password_and_ssl_mode_through_the_environment():
    env = pg_environment(POSTGRES, base={"PATH": "/usr/bin"})
    assert env == {
        "PATH": "/usr/bin",
        "PGPASSWORD": POSTGRES["PASSWORD"],
        "PGSSLMODE": "require",
    }


def test_it_builds_pg_restore_arguments_that_replace_what_the_dump_holds():
    args = pg_restore_args({**POSTGRES, "HOST": "", "PORT": ""}, "/backups/samspil.dump")
    assert args[0] == "pg_restore"
    assert {"--clean", "--if-exists", "--single-transaction", "--no-owner"} <= set(args)
    assert "--host=db.internal" not in args  # an empty HOST means the local socket
    assert args[-2:] == ["--dbname=samspil", "/backups/samspil.dump"]
    assert not any(POSTGRES["PASSWORD"] in arg for arg in args)


def test_it_copies_an_sqlite_database_to_a_backup_and_back(tmp_path):
    live, backup = tmp_path / "live.sqlite3", tmp_path / "backup.sqlite3"
    make_sqlite(live, "Arby Kommune", "Bergvik kommune")

    sqlite_backup(live, backup)
    database = sqlite3.connect(live)
    with database:
        database.execute("DELETE FROM organisation WHERE name = 'Arby Kommune'")
    database.close()
    assert names_in(live) == ["Bergvik kommune"]

    check_sqlite_file(backup)
    sqlite_copy(backup, live)

    assert names_in(live) == ["Arby Kommune", "Bergvik kommune"]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_it_refuses_a_file_that_is_not_a_samspil_database(tmp_path):
    text = tmp_path / "notes.txt"
    text.write_text("not a database " * 100)
    other = tmp_path / "other.sqlite3"
    database = sqlite3.connect(other)
    database.execute("CREATE TABLE t (x)")
    database.close()

    with pytest.raises(CommandError, match="not an SQLite database"):
        check_sqlite_file(text)
    with pytest.raises(CommandError, match="not a samspil database"):
        check_sqlite_file(other)


def test_it_refuses_to_copy_an_in_memory_database():
    with pytest.raises(CommandError, match="in memory"):
        sqlite_path({"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"})


def test_it_backs_up_and_restores_a_migrated_database_with_manage_py(tmp_path):
    env = base_environment(SAMSPIL_TESTING="1", SQLITE_PATH=str(tmp_path / "samspil.sqlite3"))
    backup = tmp_path / "samspil.backup"
    model = "from samspil.core.models import Organisation as O; "
    create = model + (
        "O.objects.create(name='Arby Kommune', slug='arby', kind='municipality', "
        "country='DK', currency='DKK')"
    )
    delete = model + "O.objects.all().delete()"
    show = model + "print(list(O.objects.values_list('name', flat=True)))"
    manage("migrate", "--no-input", "-v", "0", env=env)
    shell(create, env)

    backed_up = manage("backup", str(backup), env=env)
    assert f"to {backup}" in backed_up.stdout
    shell(delete, env)

    refused = manage("restore", str(backup), env=env, check=False)
    assert refused.returncode != 0
    assert "--yes" in refused.stderr
    assert shell(show, env) == "[]"

    restored = manage("restore", str(backup), "--yes", env=env)
    assert "Restored SQLite database" in restored.stdout
    assert "migrations match" in restored.stdout
    assert shell(show, env) == "['Arby Kommune']"


@pytest.mark.django_db(transaction=True)
def test_it_backs_up_and_restores_postgresql_with_pg_dump(tmp_path, org_a):
    if connection.vendor != "postgresql":
        pytest.skip("runs when the suite runs on PostgreSQL (DATABASE_URL)")
    backup = tmp_path / "samspil.dump"
    call_command("backup", str(backup), stdout=io.StringIO())
    Organisation.objects.filter(pk=org_a.pk).update(name="Renamed")

    output = io.StringIO()
    call_command("restore", str(backup), "--yes", stdout=output)

    assert "Restored PostgreSQL database" in output.getvalue()
    assert Organisation.objects.get(pk=org_a.pk).name == "Arby Kommune"


def test_it_passes_check_deploy_with_production_settings(tmp_path):
    env = base_environment(
        DEBUG="0",
        SAMSPIL_TESTING="0",
        SECRET_KEY=secrets.token_urlsafe(60),
        ALLOWED_HOSTS="samspil.example.org",
        SQLITE_PATH=str(tmp_path / "samspil.sqlite3"),
    )
    for name in (
        "SECURE_SSL_REDIRECT",
        "SECURE_COOKIES",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_PRELOAD",
        # Browser tests in the same worker set it for Playwright; production never does.
        "DJANGO_ALLOW_ASYNC_UNSAFE",
    ):
        env.pop(name, None)

    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env, check=False)

    assert result.returncode == 0, result.stderr


@pytest.mark.django_db
@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="PostgreSQL's planner settings")
def test_it_opens_postgresql_sessions_without_jit_and_with_a_bounded_join_search():
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
        cursor.execute("SHOW join_collapse_limit")
        assert cursor.fetchone()[0] == "4"


def test_the_wsgi_entry_point_loads_every_view_and_keeps_start_up_out_of_collections():
    wsgi = importlib.import_module("samspil.wsgi")
    try:
        assert callable(wsgi.application)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


@pytest.mark.django_db
def test_the_models_pass_the_system_checks_of_this_database_without_warnings():
    said, warned = io.StringIO(), io.StringIO()
    call_command("check", databases=["default"], stdout=said, stderr=warned)
    assert "WARNINGS" not in warned.getvalue() and "no issues" in said.getvalue()
