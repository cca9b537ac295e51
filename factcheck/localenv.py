"""`local.env`: the git-ignored file of local development settings that manage.py reads.

A fresh clone has no SECRET_KEY, and production settings refuse to start without one. `make
run` writes this file once (DEBUG on, a newly generated secret key), so that every manage.py
command works in that checkout without setting variables by hand. Variables set in the
environment win over the file. Production never reads it: gunicorn does not look at it, and
manage.py ignores it whenever the environment sets DEBUG to anything but true (`make serve`
sets DEBUG=false).

`python -m factcheck.localenv [PATH]` writes the file (default: beside manage.py) unless it
exists.
"""

import os
import re
import secrets
import sys
from collections.abc import MutableMapping
from pathlib import Path

PATH = Path(__file__).resolve().parent.parent / "local.env"
_TRUE = {"1", "true", "yes", "on"}
_LINE = re.compile(r"(?P<name>[A-Z][A-Z0-9_]*)=(?P<value>.*)")


def write(path: Path = PATH) -> bool:
    """Create the file with DEBUG=true and a new secret key; a file that exists is kept, so the
    key (and the sessions signed with it) survives every later `make run`. True if written."""
    if path.exists():
        return False
    text = (
        "# Local development settings, written once by `make run`; manage.py reads them when\n"
        "# the environment does not set DEBUG to false. Never used in production.\n"
        "DEBUG=true\n"
        f"SECRET_KEY={secrets.token_urlsafe(50)}\n"
    )
    # Only the owner may read the key; of two writers at once, the first one's file stays.
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False
    with os.fdopen(descriptor, "w", encoding="utf-8") as out:
        out.write(text)
    return True


def read(path: Path) -> dict[str, str]:
    """The file's `NAME=value` lines; blank lines and `#` comments are skipped. A malformed
    line raises ValueError naming it, rather than being skipped without a word."""
    values = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        match = _LINE.fullmatch(line)
        if match is None:
            raise ValueError(f"{path}, line {number}: expected NAME=value, got {line!r}.")
        values[match["name"]] = match["value"]
    return values


def apply(environ: MutableMapping[str, str] = os.environ, path: Path = PATH) -> bool:
    """Fill in from the file the variables that `environ` leaves unset; do nothing when there
    is no file or when `environ` sets DEBUG to anything but true. True if the file was read."""
    if not path.is_file():
        return False
    if "DEBUG" in environ and environ["DEBUG"].strip().lower() not in _TRUE:
        return False
    for name, value in read(path).items():
        environ.setdefault(name, value)
    return True


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else PATH
    if write(target):
        print(f"Wrote {target}: DEBUG on and a new secret key, for manage.py in this checkout.")
