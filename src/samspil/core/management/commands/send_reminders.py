"""Scheduled reminders; run it from cron or a systemd timer (docs/operations.md)."""

from django.core.management.base import BaseCommand

from samspil.core.services import remind_open_invitations
from samspil.events.concept_services import remind_overdue_tasks
from samspil.pilots.benefit_services import remind_due_measurements
from samspil.proposals.followup_services import remind_due_follow_ups


class Command(BaseCommand):
    help = "Queue the reminder e-mails that are due (the job worker sends them)."

    def handle(self, *args, **options):
        invitations = remind_open_invitations()
        self.stdout.write(f"Invitation reminders queued: {invitations}")
        # Each once: a task's reminder is recorded as the responsible person's notification.
        tasks = remind_overdue_tasks()
        if tasks:
            self.stdout.write(f"Overdue task reminders queued: {tasks}")
        # Once per due date, recorded in Benefit.reminded_for.
        benefits = remind_due_measurements()
        if benefits:
            self.stdout.write(f"Benefit measurement reminders queued: {benefits}")
        # Once per due date, recorded in FollowUpItem.reminded_at.
        follow_ups = remind_due_follow_ups()
        if follow_ups:
            self.stdout.write(f"Proposal follow-up reminders queued: {follow_ups}")
