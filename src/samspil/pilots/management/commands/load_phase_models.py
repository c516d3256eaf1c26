"""Bring the built-in phase models up to date after ``pilots/phase_models.py`` changed."""

from django.core.management.base import BaseCommand

from samspil.pilots.phase_services import load_builtin_models


class Command(BaseCommand):
    help = (
        "Create or update the built-in phase models (Prosjektveiviseren, Statens "
        "it-projektmodel, samspil-pilot) from samspil/pilots/phase_models.py. Safe to repeat."
    )

    def handle(self, *args, **options):
        reports = load_builtin_models()
        for number, report in enumerate(reports, start=1):
            action = "created" if report.created else "updated"
            self.stdout.write(
                f"[{number}/{len(reports)}] {report.code}: {action}, {report.phases} phases, "
                f"{report.decision_points} decision points, "
                f"{report.checklist_items} checklist items"
            )
            if report.kept:
                self.stdout.write(
                    f"    kept rows no longer in the data (pilots may use them): "
                    f"{', '.join(report.kept)}"
                )
