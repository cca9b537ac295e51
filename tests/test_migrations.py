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
# A validator referenced by a field is frozen by reference, as Django writes it.
ALLOWED = ("django", "simple_history", "sources.validators")


def imported(path: Path) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse((PROJECT / path).read_text())):
        if isinstance(node, ast.Import):
            modules |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            modules.add("." * node.level + (node.module or ""))
    return modules


def test_every_app_has_migrations():
    assert {path.parts[0] for path in MIGRATIONS} >= {"api", "claims", "sources"}


@pytest.mark.parametrize("path", MIGRATIONS, ids=str)
def test_a_migration_imports_no_live_project_module(path):
    live = {
        module
        for module in imported(path)
        if not any(module == name or module.startswith(f"{name}.") for name in ALLOWED)
    }
    assert live == set()
