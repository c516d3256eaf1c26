"""``manage.py backup <file>``: a consistent copy of the database in one file.

PostgreSQL: ``pg_dump -Fc`` (custom format, read back by ``manage.py restore``).
SQLite: Python's online backup API, safe while the server and the worker are writing.
The password travels in ``PGPASSWORD``, never on the command line (where ``ps`` shows it).
The functions below build arguments and copy files; the commands only call them.
"""

import os
import sqlite3
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

# Connection OPTIONS that libpq also reads from the environment.
PG_OPTION_ENV = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "passfile": "PGPASSFILE",
}


def vendor_of(database: dict[str, Any]) -> str:
    engine = database.get("ENGINE", "")
    if "postgresql" in engine:
        return "postgresql"
    if "sqlite3" in engine:
        return "sqlite"
    raise CommandError(f"Backup and restore support PostgreSQL and SQLite, not {engine!r}.")


def pg_connection_args(database: dict[str, Any]) -> list[str]:
    """``--host``/``--port``/``--username``/``--dbname`` from a DATABASES entry."""
    args = []
    if database.get("HOST"):
        args.append(f"--host={database['HOST']}")
    if database.get("PORT"):
        args.append(f"--port={database['PORT']}")
    if database.get("USER"):
        args.append(f"--username={database['USER']}")
    args.append(f"--dbname={database['NAME']}")
    return args


def pg_environment(database: dict[str, Any], base: dict[str, str] | None = None) -> dict[str, str]:
    """The child's environment: ``base`` (default: ours) plus PGPASSWORD and SSL options."""
    env = dict(os.environ if base is None else base)
    if database.get("PASSWORD"):
        env["PGPASSWORD"] = str(database["PASSWORD"])
    for option, variable in PG_OPTION_ENV.items():
        value = (database.get("OPTIONS") or {}).get(option)
        if value:
            env[variable] = str(value)
    return env


def pg_dump_args(database: dict[str, Any], target: str | Path) -> list[str]:
    return [
        "pg_dump",
        "--format=custom",
        "--no-password",
        f"--file={target}",
        *pg_connection_args(database),
    ]


def pg_restore_args(database: dict[str, Any], source: str | Path) -> list[str]:
    """Drop what the dump contains, then recreate it, all or nothing in one transaction."""
    return [
        "pg_restore",
        "--clean",
        "--if-exists",
        "--no-owner",
        "--single-transaction",
        "--no-password",
        *pg_connection_args(database),
        str(source),
    ]


def run_pg_tool(args: list[str], env: dict[str, str]) -> None:
    try:
        result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    except FileNotFoundError:
        raise CommandError(
            f"{args[0]} is not installed; install the PostgreSQL client "
            "(apt-get install postgresql-client) matching the server's major version."
        ) from None
    if result.returncode != 0:
        raise CommandError(f"{args[0]} failed ({result.returncode}): {result.stderr.strip()}")


def sqlite_path(database: dict[str, Any]) -> Path:
    """The file of an SQLite database; an in-memory database has none and is refused."""
    name = str(database.get("NAME") or "")
    if not name or name == ":memory:" or "mode=memory" in name:
        raise CommandError("This SQLite database lives in memory; there is no file to copy.")
    return Path(name)


def read_only_uri(path: str | Path) -> str:
    """A URI that opens an existing file read-only (and never creates an empty one)."""
    return Path(path).resolve().as_uri() + "?mode=ro"


def sqlite_copy(source: str | Path, target: str | Path) -> None:
    """Copy one SQLite database into another with the online backup API.

    The source may be in use; the copy is a consistent snapshot. The target's previous
    content is replaced page by page inside SQLite's own locking.
    """
    source_connection = sqlite3.connect(read_only_uri(source), uri=True)
    try:
        target_connection = sqlite3.connect(target)
        try:
            source_connection.backup(target_connection)
        finally:
            target_connection.close()
    finally:
        source_connection.close()


def check_sqlite_file(path: str | Path) -> None:
    """Refuse a file that is not an intact SQLite database of this project."""
    try:
        connection = sqlite3.connect(read_only_uri(path), uri=True)
        try:
            (verdict,) = connection.execute("PRAGMA quick_check").fetchone()
            tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        raise CommandError(f"{path} is not an SQLite database: {error}") from None
    if verdict != "ok":
        raise CommandError(f"{path} is damaged: {verdict}")
    if "django_migrations" not in tables:
        raise CommandError(f"{path} is not a samspil database (no django_migrations table).")


def sqlite_backup(source: str | Path, target: str | Path) -> None:
    """Write a snapshot of ``source`` to ``target`` through a temporary file beside it."""
    target = Path(target)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    os.close(handle)
    try:
        sqlite_copy(source, temporary)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def describe(database: dict[str, Any]) -> str:
    if vendor_of(database) == "sqlite":
        return f"SQLite database {database['NAME']}"
    where = database.get("HOST") or "local socket"
    return f"PostgreSQL database {database['NAME']} on {where}"


class Command(BaseCommand):
    help = "Write a backup of the database to a file (pg_dump -Fc, or an SQLite copy)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Where to write the backup.")
        parser.add_argument(
            "--database", default=DEFAULT_DB_ALIAS, help="Which database (default: default)."
        )

    def handle(self, *args, **options):
        database = connections[options["database"]].settings_dict
        target = Path(options["file"]).resolve()
        if not target.parent.is_dir():
            raise CommandError(f"The folder {target.parent} does not exist.")
        if vendor_of(database) == "postgresql":
            run_pg_tool(pg_dump_args(database, target), pg_environment(database))
        else:
            source = sqlite_path(database)
            if source.resolve() == target:
                raise CommandError("The backup file must not be the database itself.")
            sqlite_backup(source, target)
        size = target.stat().st_size
        self.stdout.write(f"Backed up {describe(database)} to {target} ({size} bytes).")
