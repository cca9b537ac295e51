"""Each process's matrix of claim vectors, for exact cosine in numpy.

Loaded once per process and model (on the first match, never at start-up), then kept in step
by asking the database for one number per request: the newest vector row's id of that model.
A vector is rewritten as a new row (services.vectors_update deletes and inserts), so rows
newer than the last one read are exactly what changed; they replace their claims' rows in the
matrix or are appended. A claim deleted since keeps its row here until the next full reload
(every MATCHING_RELOAD_SECONDS) but is never answered: the visibility query that follows a
search only returns claims that exist. A vector committed out of id order may be missed until
that reload, so this cache may be up to MATCHING_RELOAD_SECONDS stale for such a row.
"""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Max

from .models import ClaimVector

if TYPE_CHECKING:
    import numpy as np

# numpy is imported by the first index made (a process's first match), not at start-up.


def as_array(blob) -> np.ndarray:
    import numpy as np

    return np.frombuffer(bytes(blob), dtype="<f4")


class VectorIndex:
    def __init__(self, model: str, dim: int, using: str):
        import numpy as np

        self.model, self.dim, self.using = model, dim, using
        self.ids = np.zeros(0, dtype=np.int64)
        self.matrix = np.zeros((0, dim), dtype=np.float32)
        self.position: dict[int, int] = {}
        self.last_id = 0
        self.loaded_at = None
        self.lock = threading.Lock()

    def rows(self):
        return ClaimVector.objects.using(self.using).filter(model=self.model)

    def refresh(self) -> None:
        """One query; a second one (the changed rows) only when something changed."""
        newest = self.rows().aggregate(newest=Max("id"))["newest"] or 0
        with self.lock:
            stale = (
                self.loaded_at is None
                or newest < self.last_id  # rows went away (a rollback, a purge)
                or time.monotonic() - self.loaded_at > settings.MATCHING_RELOAD_SECONDS
            )
            if stale:
                self._load(self.rows(), replace=True)
            elif newest > self.last_id:
                self._load(self.rows().filter(id__gt=self.last_id), replace=False)

    def _load(self, rows, *, replace: bool) -> None:
        import numpy as np

        found = list(rows.order_by("id").values_list("id", "claim_id", "vector"))
        if replace:
            self.ids = np.zeros(0, dtype=np.int64)
            self.matrix = np.zeros((0, self.dim), dtype=np.float32)
            self.position = {}
            self.loaded_at = time.monotonic()
            self.last_id = 0
        new_ids, new_rows = [], []
        for row_id, claim_id, blob in found:
            vector = as_array(blob)
            if vector.shape != (self.dim,):
                continue  # written by another build of the model; the backfill replaces it
            self.last_id = max(self.last_id, row_id)
            if claim_id in self.position:
                self.matrix[self.position[claim_id]] = vector
            else:
                self.position[claim_id] = len(self.ids) + len(new_ids)
                new_ids.append(claim_id)
                new_rows.append(vector)
        if new_ids:
            self.ids = np.concatenate([self.ids, np.asarray(new_ids, dtype=np.int64)])
            self.matrix = np.vstack([self.matrix, np.stack(new_rows)])
        if found:
            self.last_id = max(self.last_id, found[-1][0])

    def search(self, vector: np.ndarray, count: int) -> list[tuple[int, float]]:
        """The `count` claims whose vectors have the highest cosine with `vector`, best first
        (ties by claim id): (claim id, cosine)."""
        import numpy as np

        with self.lock:
            ids, matrix = self.ids, self.matrix
        if not len(ids):
            return []
        scores = matrix @ vector.astype(np.float32)
        count = min(count, len(ids))
        top = np.argpartition(-scores, count - 1)[:count]
        ranked = sorted(top.tolist(), key=lambda i: (-scores[i], ids[i]))
        return [(int(ids[i]), float(scores[i])) for i in ranked]


_indexes: dict[tuple[str, str], VectorIndex] = {}
_indexes_lock = threading.Lock()


def index_for(model: str, dim: int, using: str = "default") -> VectorIndex:
    with _indexes_lock:
        key = (model, using)
        if key not in _indexes:
            _indexes[key] = VectorIndex(model, dim, using)
        return _indexes[key]


def forget() -> None:
    """Drop every process matrix (tests, whose databases are rolled back under them)."""
    with _indexes_lock:
        _indexes.clear()
