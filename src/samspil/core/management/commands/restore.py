"""``manage.py restore <file>``: replace the database with a backup made by ``backup``.

It overwrites everything, so it asks first; without a terminal it refuses unless ``--yes``
is given. Stop the web server and the job worker before restoring (docs/operations.md).
"""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

from .backup import (
    check_sqlite_file,
    describe,
    pg_environment,
    pg_restore_args,
    run_pg_tool,
    sqlite_copy,
    sqlite_path,
    vendor_of,
)


def is_interactive() -> bool:
    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except (AttributeError, ValueError, OSError):
        return False


class Command(BaseCommand):
    help = "Replace the database with a backup file written by `manage.py backup`."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The backup file to read.")
        parser.add_argument(
            "--yes",
            action="store_true",
            help="Do not ask for confirmation (required when not run from a terminal).",
        )
        parser.add_argument(
            "--database", default=DEFAULT_DB_ALIAS, help="Which database (default: default)."
        )

    def handle(self, *args, **options):
        alias = options["database"]
        database = connections[alias].settings_dict
        source = Path(options["file"]).resolve()
        if not source.is_file():
            raise CommandError(f"No backup file at {source}.")
        vendor = vendor_of(database)
        if vendor == "postgresql":
            # Reads the archive's table of contents: fails early on a file that is no dump.
            run_pg_tool(["pg_restore", "--list", str(source)], pg_environment(database))
        else:
            check_sqlite_file(source)
            target = sqlite_path(database)
            if target.exists() and target.resolve() == source:
                raise CommandError("The backup file is the database itself.")

        self.confirm(options["yes"], f"This replaces everything in {describe(database)}")

        connections.close_all()
        if vendor == "postgresql":
            run_pg_tool(pg_restore_args(database, source), pg_environment(database))
        else:
            sqlite_copy(source, target)
        self.stdout.write(
            f"Restored {describe(database)} from {source} ({source.stat().st_size} bytes)."
        )
        self.report_migrations(alias)

    def confirm(self, yes: bool, warning: str) -> None:
        if yes:
            return
        if not is_interactive():
            raise CommandError(f"{warning}. Not run from a terminal: repeat with --yes to confirm.")
        answer = input(f"{warning}. Type 'yes' to continue: ")
        if answer.strip().lower() != "yes":
            raise CommandError("Restore cancelled; nothing was changed.")

    def report_migrations(self, alias: str) -> None:
        executor = MigrationExecutor(connections[alias])
        unapplied = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if unapplied:
            self.stdout.write(
                f"The backup predates {len(unapplied)} migration(s) of this code: "
                "run `manage.py migrate` next."
            )
        else:
            self.stdout.write("Its migrations match this code.")
