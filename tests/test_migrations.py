"""Migrations run what they ran when they landed: they import Django, third-party field classes
and the validators their fields name, never the project's live modules (whose SQL and rules
change over time)."""

import ast
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


def imported(path: Path) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse((PROJECT / path).read_text())):
        if isinstance(node, ast.Import):
            modules |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            modules.add("." * node.level + (node.module or ""))
    return modules


def used_beyond_field_references(source: str, module: str) -> bool:
    """Whether `module` is used anywhere in `source` but as a field's default or validators."""
    tree = ast.parse(source)
    referenced = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.keyword) and node.arg in FIELD_REFERENCES:
            referenced |= {id(n) for n in ast.walk(node.value)}
    uses = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and ast.unparse(node.value) == module
    ]
    return any(id(node) not in referenced for node in uses)


def test_every_app_has_migrations():
    assert {path.parts[0] for path in MIGRATIONS} >= {"api", "claims", "sources"}


@pytest.mark.parametrize("path", MIGRATIONS, ids=str)
def test_a_migration_imports_no_live_project_module(path):
    live = {
        module
        for module in imported(path)
        if not any(module == name or module.startswith(f"{name}.") for name in ALLOWED)
        and (
            module.startswith(".")
            or used_beyond_field_references((PROJECT / path).read_text(), module)
        )
    }
    assert live == set()


def test_a_project_module_used_beyond_a_fields_references_is_caught():
    source = (
        "import app.sql\nimport app.models\n"
        "field = dict(default=app.models.new_secret, validators=[app.models.check])\n"
        "operations = [app.sql.install]\n"
    )
    assert not used_beyond_field_references(source, "app.models")
    assert used_beyond_field_references(source, "app.sql")
