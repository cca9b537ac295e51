"""Loaded by pytest (`-p tests.environment`) before Django reads its settings.

Tests run with production defaults (DEBUG false), so they need a secret key;
this one is for tests only and is used only when none is set.

The test client speaks plain http, so HTTPS (redirects, HSTS, secure cookies) is off here;
tests/serving/test_production_settings.py proves the production defaults with `check --deploy`.
"""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-not-a-secret")
os.environ.setdefault("HTTPS", "false")
