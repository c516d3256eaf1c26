"""Queue the embedding job for needs whose stored vectors are missing or from another model.

Needs embedded before the query vector was stored, or by an older model, are found by
similarity without the meaning-based engine until their text changes; this puts them back.
"""

from django.core.management.base import BaseCommand
from django.db.models import Q
from tqdm import tqdm

from samspil.matching import embeddings
from samspil.needs.models import Need
from samspil.needs.tasks import compute_need_embedding


class Command(BaseCommand):
    help = "Queue the embedding job for needs without current passage and query vectors."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="every need, not only those missing")

    def handle(self, *args, **options):
        needs = Need.objects.all()
        if not options["all"]:
            needs = needs.filter(
                Q(embedding__isnull=True)
                | Q(query_embedding__isnull=True)
                | ~Q(embedding_model=embeddings.MODEL_NAME)
            )
        ids = list(needs.order_by("pk").values_list("pk", flat=True))
        for need_id in tqdm(ids, desc="queued", unit="need", disable=options["verbosity"] == 0):
            compute_need_embedding.enqueue(need_id)
        self.stdout.write(f"{len(ids)} needs queued for the embedding job.")
