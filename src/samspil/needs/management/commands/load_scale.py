"""``manage.py load_scale``: a reproducible national-scale data set for benchmarks.

Defaults are the scale DESIGN.md plans for (800 organisations, 500,000 needs); small
numbers work on SQLite too. ``--pilots 50000`` adds programmes, pilots, KPIs and
measurements (``samspil.pilots.scale``), in the same run or on top of an earlier one.
``--clear`` removes what an earlier run generated (every organisation whose slug starts with
``scale-``, the ``scale-`` users, and what hangs on them) and nothing else. See
docs/benchmarks.md.
"""

import sys
import time

from django.core.management.base import BaseCommand, CommandError, no_translations
from tqdm import tqdm

from samspil.needs.scale import ScaleOptions, clear, load_scale
from samspil.pilots import scale as pilots_scale


class Command(BaseCommand):
    help = "Generate organisations, people and needs at national scale (reproducibly)."

    def add_arguments(self, parser):
        parser.add_argument("--organisations", type=int, default=800)
        parser.add_argument("--needs", type=int, default=500_000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--batch", type=int, default=5_000, help="rows per bulk insert")
        parser.add_argument(
            "--pilots",
            type=int,
            default=0,
            help="also generate this many pilots with KPIs; on their own when the "
            "organisations exist already",
        )
        parser.add_argument(
            "--measurements",
            type=int,
            default=None,
            help="KPI measurements over the pilots (default: 10 per pilot)",
        )
        parser.add_argument(
            "--clear",
            action="store_true",
            help="remove previously generated data (slug/user name prefix scale-) and stop",
        )

    @no_translations
    def handle(self, *args, **options):
        started = time.perf_counter()
        if options["clear"]:
            # Pilots first: an organisation that still owns one cannot be deleted.
            removed = {**pilots_scale.clear(), **clear()}
            summary = ", ".join(f"{count} {label}" for label, count in removed.items())
            self.stdout.write(f"Removed {summary} in {time.perf_counter() - started:.1f} s.")
            return
        for name in ("organisations", "needs", "batch"):
            if options[name] < (1 if name != "needs" else 0):
                raise CommandError(f"--{name} must be positive.")
        if options["pilots"] < 0 or (options["measurements"] or 0) < 0:
            raise CommandError("--pilots and --measurements must not be negative.")
        if options["pilots"] and pilots_scale.generated_organisations_exist():
            self.load_pilots(options, started)
            return
        scale = ScaleOptions(
            organisations=options["organisations"],
            needs=options["needs"],
            seed=options["seed"],
            batch=options["batch"],
        )
        quiet = options["verbosity"] == 0
        stream = options.get("stdout") or sys.stdout
        with tqdm(
            total=scale.needs, file=stream, disable=quiet, unit="need", desc="organisations"
        ) as bar:
            try:
                counts = load_scale(scale, progress=bar.update, stage=bar.set_description)
            except RuntimeError as error:
                raise CommandError(str(error)) from None
        if not quiet:
            self.stdout.write(
                f"Generated {counts.organisations} organisations, {counts.users} people, "
                f"{counts.needs} needs, {counts.endorsements} endorsements and "
                f"{counts.comments} comments in {time.perf_counter() - started:.1f} s "
                f"(seed {scale.seed})."
            )
        if options["pilots"]:
            self.load_pilots(options, started)

    def load_pilots(self, options, started: float) -> None:
        scale = pilots_scale.PilotScaleOptions(
            pilots=options["pilots"],
            measurements=(
                options["measurements"]
                if options["measurements"] is not None
                else 10 * options["pilots"]
            ),
            seed=options["seed"],
            batch=options["batch"],
        )
        quiet = options["verbosity"] == 0
        stream = options.get("stdout") or sys.stdout
        total = scale.pilots + scale.measurements
        with tqdm(total=total, file=stream, disable=quiet, unit="row", desc="pilots") as bar:
            try:
                counts = pilots_scale.load_pilots(
                    scale, progress=bar.update, stage=bar.set_description
                )
            except RuntimeError as error:
                raise CommandError(str(error)) from None
        if not quiet:
            self.stdout.write(
                f"Generated {counts.programmes} programmes, {counts.pilots} pilots, "
                f"{counts.kpis} KPIs and {counts.measurements} measurements "
                f"({counts.definitions_made} KPI definitions made) in "
                f"{time.perf_counter() - started:.1f} s (seed {scale.seed})."
            )
