"""Loaded by pytest (`-p tests.environment`) before Django reads its settings.

Tests run with production defaults (DEBUG false), so they need a secret key;
this one is for tests only and is used only when none is set.
"""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-not-a-secret")
