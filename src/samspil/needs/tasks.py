"""Background jobs of needs: the stored embedding of a need's text."""

from django_tasks import task


@task()
def compute_need_embedding(need_id: int) -> None:
    from .similarity import compute_embedding

    compute_embedding(need_id)
