"""``manage.py load_demo`` loads the demo organisations and people (``make demo`` runs it).

Running it again updates the same rows; the data live in ``samspil.core.demo``, and the
needs and challenges that follow them in ``samspil.needs.demo``, then the events and the
programmes and pilots, the investment proposals with their round, and the procurements
(``samspil.events.demo``, ``samspil.pilots.demo``, ``samspil.proposals.demo``,
``samspil.procurement.demo``).
"""

import sys
from collections.abc import Sequence

from django.core.management.base import BaseCommand, no_translations

from samspil.core.demo import load_demo, sign_in_rows
from samspil.events.demo import load_events_demo
from samspil.needs.demo import load_needs_demo
from samspil.pilots.demo import load_pilots_demo
from samspil.procurement.demo import load_procurement_demo
from samspil.proposals.demo import load_proposals_demo


class Command(BaseCommand):
    help = "Load the demo organisations, people and sign-ins; safe to run again."

    @no_translations
    def handle(self, *args, **options):
        if options["verbosity"] == 0:
            load_demo()
            load_needs_demo()
            load_events_demo()
            load_pilots_demo()
            load_proposals_demo()
            load_procurement_demo()
            from samspil.procurement.scaling_demo import load_scaling_demo

            load_scaling_demo()
            from samspil.procurement.supplier_demo import load_suppliers_demo

            load_suppliers_demo()
            from samspil.procurement.dialogue_demo import load_dialogue_demo

            load_dialogue_demo()
            from samspil.hub.resource_demo import load_resource_demo

            load_resource_demo()
            from samspil.hub.demo import load_hub_demo

            load_hub_demo()
            from samspil.results.demo import load_results_demo

            load_results_demo()
            from samspil.results.adoption_demo import load_adoptions_demo

            load_adoptions_demo()
            return
        # The progress bar redraws its line in place, but self.stdout (an OutputWrapper) ends
        # every write with a newline; so the bar gets the plain stream that it wraps.
        counts = load_demo(stdout=options.get("stdout") or sys.stdout)
        self.stdout.write(
            f"Demo data: {counts.organisations} organisations, {counts.users} people, "
            f"{counts.memberships} memberships ({counts.created} created, "
            f"{counts.updated} updated)."
        )
        needs = load_needs_demo(stdout=options.get("stdout") or sys.stdout)
        self.stdout.write(
            f"Demo needs: {needs.needs} needs, {needs.endorsements} endorsements, "
            f"{needs.comments} comments, {needs.challenges} challenges ({needs.created} "
            f"created, {needs.updated} updated)."
        )
        events = load_events_demo()
        self.stdout.write(
            f"Demo events: {events.events} events, {events.registrations} registrations, "
            f"{events.concepts} concept, {events.tasks} tasks, {events.datasets} datasets, "
            f"{events.teams} teams, {events.submissions} submissions, {events.scores} scores, "
            f"{events.survey_responses} survey answers ({events.created} rows created)."
        )
        pilots = load_pilots_demo()
        self.stdout.write(
            f"Demo pilots: {pilots.programmes} programmes, {pilots.pilots} pilots, "
            f"{pilots.definitions} KPI definitions, {pilots.kpis} KPIs, "
            f"{pilots.measurements} measurements, {pilots.decisions} decisions, "
            f"{pilots.benefits} benefits, {pilots.lessons} lessons ({pilots.created} rows created)."
        )
        proposals = load_proposals_demo()
        self.stdout.write(
            f"Demo proposals: {proposals.proposals} proposals, {proposals.lines} economic "
            f"lines, {proposals.rounds} round, {proposals.entries} entries, "
            f"{proposals.scores} scores ({proposals.created} rows created)."
        )
        procurements = load_procurement_demo()
        self.stdout.write(
            f"Demo procurements: {procurements.procurements} procurements, "
            f"{procurements.steps} steps done, {procurements.phases} phases, "
            f"{procurements.buyers} buyers ({procurements.created} rows created)."
        )
        from samspil.procurement.scaling_demo import load_scaling_demo

        scaling = load_scaling_demo()
        self.stdout.write(
            f"Demo scaling processes: {scaling.processes} processes, {scaling.participants} "
            f"participants, {scaling.steps} steps done, {scaling.commitments} letters of intent, "
            f"{scaling.adoption_counts} adoption counts ({scaling.created} rows created)."
        )
        from samspil.procurement.supplier_demo import load_suppliers_demo

        suppliers = load_suppliers_demo()
        self.stdout.write(
            f"Demo suppliers: {suppliers.profiles} directory entries, {suppliers.procurements} "
            f"procurement in market dialogue, {suppliers.interests} interests "
            f"({suppliers.created} rows created)."
        )
        from samspil.procurement.dialogue_demo import load_dialogue_demo

        dialogue = load_dialogue_demo()
        self.stdout.write(
            f"Demo market dialogue: {dialogue.entries} dialogue entries, {dialogue.suppliers} "
            f"registered suppliers, {dialogue.questions} published answers, "
            f"{dialogue.deliveries} deliveries, {dialogue.requirements} functional requirements "
            f"({dialogue.created} rows created)."
        )
        from samspil.hub.resource_demo import load_resource_demo

        resources = load_resource_demo()
        self.stdout.write(
            f"Demo resources: {resources.resources} resources, {resources.bookings} bookings "
            f"({resources.created} rows created)."
        )
        from samspil.hub.demo import load_hub_demo

        hub = load_hub_demo()
        self.stdout.write(
            f"Demo hub: {hub.hubs} hub, {hub.partners} partners, {hub.projects} partner "
            f"projects, {hub.showcase_days} showcase days, {hub.pool_members} people in the "
            f"pool, {hub.assignments} assignments ({hub.created} rows created)."
        )
        from samspil.results.demo import load_results_demo

        results = load_results_demo()
        self.stdout.write(
            f"Demo results: {results.results} results, {results.published} published "
            f"({results.created} created)."
        )
        from samspil.results.adoption_demo import load_adoptions_demo

        adoptions = load_adoptions_demo()
        self.stdout.write(
            f"Demo adoptions: {adoptions.adoptions} adoptions, {adoptions.organisations} "
            f"Norwegian municipalities ({adoptions.created} rows created)."
        )
        self.stdout.write("\nDemo sign-ins (the password is the user name):")
        self.write_table(("Username", "Password", "Organisation", "Role"), sign_in_rows())

    def write_table(self, header: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> None:
        widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
        for row in [header, tuple("-" * width for width in widths), *rows]:
            cells = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
            self.stdout.write("  ".join(cells).rstrip())
