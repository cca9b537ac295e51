"""The claim's admin page, with its likely matches (admin_claims). Vectors have no admin page:
they are derived data, remade by `manage.py matching_backfill`."""

from . import admin_claims  # noqa: F401
