"""Migrations run what they ran when they landed: they import Django, third-party field classes,
the standard library and the validators their fields name, never the project's live modules
(whose SQL and rules change over time)."""

import ast
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]
MIGRATIONS = sorted(
    path.relative_to(PROJECT)
    for path in PROJECT.glob("*/migrations/*.py")
    if not path.is_relative_to(PROJECT / ".venv")
)
ALLOWED = ("django", "simple_history")
# What a field names by reference (a default, a validator) is frozen that way, as Django
# writes it: a project module may be imported for that alone.
FIELD_REFERENCES = {"default", "validators"}


def live_imports(source: str) -> set[str]:
    """The project modules `source` imports beyond ALLOWED: any `from … import`, and an
    `import x.y` used anywhere but as a field's default or validators."""
    tree = ast.parse(source)
    referenced = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.keyword) and node.arg in FIELD_REFERENCES:
            referenced |= {id(n) for n in ast.walk(node.value)}
    uses = [node for node in ast.walk(tree) if isinstance(node, ast.Attribute)]
    live = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for module in (alias.name for alias in node.names):
                if any(
                    ast.unparse(use.value) == module and id(use) not in referenced for use in uses
                ):
                    live.add(module)
        elif isinstance(node, ast.ImportFrom):
            live.add("." * node.level + (node.module or ""))
    return {
        module
        for module in live
        if not any(module == name or module.startswith(f"{name}.") for name in ALLOWED)
        # The standard library is no project module (a frozen data migration may hash).
        and module.split(".")[0] not in sys.stdlib_module_names
    }


def test_every_app_has_migrations():
    assert {path.parts[0] for path in MIGRATIONS} >= {"api", "claims", "sources"}


@pytest.mark.parametrize("path", MIGRATIONS, ids=str)
def test_a_migration_imports_no_live_project_module(path):
    assert live_imports((PROJECT / path).read_text()) == set()


def test_a_project_module_used_beyond_a_fields_references_is_caught():
    source = (
        "import app.sql\nimport app.models\nfrom claims import verdicts\n"
        "from django.db import migrations\n"
        "field = dict(default=app.models.new_secret, validators=[app.models.check])\n"
        "operations = [app.sql.install, verdicts.install]\n"
    )
    assert live_imports(source) == {"app.sql", "claims"}
