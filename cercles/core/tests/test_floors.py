"""The ground floor knows no domain (issue 10, point 11): cercles.core, cercles.accounts and
cercles.taxonomy import nothing from the apps above them, outside their tests and migrations.

Read from the source with `ast`, so that an import inside a function counts as much as one at
the top of a module."""

import ast
from pathlib import Path

import pytest

CERCLES = Path(__file__).resolve().parents[2]
GROUND = ["core", "accounts", "taxonomy"]


def _modules(app):
    for path in sorted((CERCLES / app).rglob("*.py")):
        parts = path.relative_to(CERCLES / app).parts
        if parts[0] in {"tests", "migrations"}:
            continue
        yield path


def _imported(path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module
        elif (
            # importlib.import_module("cercles.x"): a dynamic import is an import too.
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", "") == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            yield node.lineno, str(node.args[0].value)


def _cercles_app(module):
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "cercles" else None


@pytest.mark.parametrize("app", GROUND)
def test_the_ground_floor_imports_no_app_above_it(app):
    allowed = set(GROUND)
    offending = [
        f"{path.relative_to(CERCLES.parent)}:{line} imports {module}"
        for path in _modules(app)
        for line, module in _imported(path)
        if _cercles_app(module) and _cercles_app(module) not in allowed
    ]
    assert not offending, "The ground floor imports the floors above it:\n" + "\n".join(offending)


def test_the_check_sees_an_import_inside_a_function(tmp_path):
    module = tmp_path / "example.py"
    module.write_text("def f():\n    from cercles.communities.services import x\n")
    assert [m for _line, m in _imported(module)] == ["cercles.communities.services"]
