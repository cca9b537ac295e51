"""A claim's fingerprint: its text with case, punctuation, whitespace, quote styles and Unicode
forms folded, hashed, so that an exact repeat is found through an index (claim matching's
`exact`). The field keeps it whenever a claim row is written through the ORM (save,
bulk_create), like `auto_now` keeps a timestamp."""

import hashlib
import unicodedata

from django.db import models


def fold(text: str) -> str:
    """NFKC, casefold (ß → ss, capital sigma to small), Cyrillic yo as ie, punctuation (every
    Unicode P* category: quotes of every style, dashes, brackets) removed, whitespace runs made
    one space."""
    text = unicodedata.normalize("NFKC", text).casefold().replace("ё", "е")
    text = "".join(ch for ch in text if not unicodedata.category(ch).startswith("P"))
    return " ".join(text.split())


def fingerprint(text: str) -> str:
    """64 hex characters: SHA-256 of the folded text (an index holds a hash of any length of
    text, where a 10,000-character key would exceed PostgreSQL's B-tree row limit)."""
    return hashlib.sha256(fold(text).encode()).hexdigest()


class FingerprintField(models.CharField):
    """The fingerprint of another field of the row (`source`), set just before each insert or
    update. Migrations see a plain nullable CharField, so they stay frozen."""

    def __init__(self, *args, source: str = "text", **kwargs):
        self.source = source
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("null", True)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.CharField", args, kwargs

    def pre_save(self, model_instance, add):
        """The new fingerprint; `model_instance.fingerprint_changed` tells whether it differs
        from the one the instance held (read from the row, or none: a new or deferred one)."""
        value = fingerprint(getattr(model_instance, self.source))
        before = model_instance.__dict__.get(self.attname)  # never a query for a deferred one
        model_instance.fingerprint_changed = before != value
        setattr(model_instance, self.attname, value)
        return value
