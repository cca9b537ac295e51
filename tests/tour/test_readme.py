"""The README's local tour, run as written against the service as `make run` starts it.

Every ```sh block of the tour's sections runs, in order, in one bash in the checkout, with
`127.0.0.1:8000` pointed at the test's server. A value the reader fills in is written
`NAME='…'` in the README; this test fills in the ones it knows (and fails on any other). A
command answers without an HTTP error (curl runs with --fail-with-body) unless the README
shows its answer on the next line (`# {…}`), which must then be the answer.
"""

import json
import re
import shlex
import subprocess
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.xdist_group("tour")

README = Path(settings.BASE_DIR) / "README.md"
TOUR = ["API tour", "Who may do what", "Edit history and no lost updates", "The Editors group"]
ALICE = "Tour-passphrase-4826"  # typed twice into the README's `changepassword alice`


def shell_blocks(text: str) -> dict[str, list[str]]:
    """The ```sh blocks of each section, by heading."""
    blocks, heading, block = {}, None, None
    for line in text.splitlines():
        if block is not None:
            if line.startswith("```"):
                blocks.setdefault(heading, []).append("\n".join(block))
                block = None
            else:
                block.append(line)
        elif line.startswith("```sh"):
            block = []
        elif line.startswith("#"):
            heading = line.lstrip("#").strip()
    return blocks


def complete(command: str) -> bool:
    if command.endswith("\\"):
        return False
    try:
        shlex.split(command, comments=True)
    except ValueError:  # an open quotation: the command goes on on the next line
        return False
    return True


def commands(block: str) -> list[tuple[str, object]]:
    """(command, the answer the README shows for it or None), in order."""
    found, pending = [], []
    for line in block.splitlines():
        if not pending and line.startswith("# "):
            shown = line[2:]
            if found and shown.startswith(("{", "[")):
                found[-1] = (found[-1][0], json.loads(shown))
            continue
        if not pending and not line.strip():
            continue
        pending.append(line)
        if complete("\n".join(pending)):
            found.append(("\n".join(pending), None))
            pending = []
    assert not pending, pending
    return found


def fill(command: str, values: dict[str, str], port: int) -> str:
    command = command.replace("http://127.0.0.1:8000", f"http://127.0.0.1:{port}")
    placeholder = re.fullmatch(r"([A-Z_]+)='…'", command)
    if placeholder:
        name = placeholder[1]
        assert name in values, f"the README asks for {name}, which this test cannot fill in"
        return f"{name}={shlex.quote(values[name])}"
    return command


def test_the_readme_tour_runs_as_written(local_server, tmp_path):
    blocks = shell_blocks(README.read_text(encoding="utf-8"))
    assert all(blocks.get(section) for section in TOUR), sorted(blocks)
    tour = [c for section in TOUR for block in blocks[section] for c in commands(block)]
    port = int(local_server.url.rsplit(":", 1)[1])
    script = ["set -o pipefail"]
    for n, (command, _) in enumerate(tour):
        script.append(f"printf '\\n@@begin {n}\\n'")
        script.append(fill(command, {"PASSWORD": local_server.password}, port))
        script.append(f"printf '\\n@@end {n} %d\\n' $?")
    (tmp_path / ".curlrc").write_text("fail-with-body\nshow-error\n")
    env = {**local_server.env, "CURL_HOME": str(tmp_path)}
    env.pop("DEBUG", None)  # manage.py finds DEBUG and its secret key in local.env
    result = subprocess.run(
        ["bash", "-c", "\n".join(script)],
        cwd=settings.BASE_DIR,
        env=env,
        input=f"{ALICE}\n{ALICE}\n",
        capture_output=True,
        text=True,
        timeout=300,
    )
    outputs = {
        int(n): (int(status), text.strip())
        for n, text, status in re.findall(
            r"@@begin (\d+)\n(.*?)\n@@end \1 (\d+)", result.stdout, re.DOTALL
        )
    }
    assert len(outputs) == len(tour), (result.stdout, result.stderr)
    for n, (command, shown) in enumerate(tour):
        status, output = outputs[n]
        if shown is None:
            assert status == 0, (command, output, result.stderr)
        else:
            assert json.loads(output) == shown, (command, output)

    # The Editors-group block made alice an editor whose password is the one typed in.
    sign_in = urllib.request.Request(
        f"{local_server.url}/api/v1/auth/token/",
        data=json.dumps({"username": "alice", "password": ALICE}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(sign_in, timeout=10) as answer:
        assert answer.status == 200 and "token" in json.loads(answer.read())


def test_the_tour_reader_meets_no_placeholder_it_cannot_fill():
    blocks = shell_blocks(README.read_text(encoding="utf-8"))
    asked = {
        name
        for section in TOUR
        for block in blocks[section]
        for name in re.findall(r"^([A-Z_]+)='…'$", block, re.MULTILINE)
    }
    assert asked == {"PASSWORD"}
