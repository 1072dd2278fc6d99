"""The layers of docs/architecture.md hold, and a wrong import would be caught.

The import contracts live in pyproject.toml (`[tool.importlinter]`) and run in `make
lint`; running them here too means a wrong import fails the test suite, and so CI.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(tree: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", str(tree / "pyproject.toml")],
        cwd=tree,
        env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def copy_of_the_tree(tmp_path):
    """The package's Python files and pyproject.toml, where an import can be planted."""
    shutil.copytree(
        ROOT / "langso",
        tmp_path / "langso",
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.mo", "*.typ", "*.html"),
    )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_code_keeps_its_layers_and_has_no_import_cycle():
    result = lint_imports(ROOT)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "Apps import only from their own layer or below KEPT" in result.stdout
    assert "No import cycle between apps or between the modules of an app KEPT" in result.stdout


def test_an_import_from_registry_into_party_is_caught(copy_of_the_tree):
    models = copy_of_the_tree / "langso" / "registry" / "models.py"
    models.write_text(models.read_text() + "\nfrom langso.party.models import Member  # noqa\n")

    result = lint_imports(copy_of_the_tree)

    assert result.returncode == 1, result.stdout + result.stderr
    assert "langso.registry is not allowed to import langso.party" in result.stdout
    assert "langso.registry.models -> langso.party.models" in result.stdout


def test_an_import_cycle_between_two_modules_of_an_app_is_caught(copy_of_the_tree):
    # registry.actions imports registry.models; the way back closes a circle.
    models = copy_of_the_tree / "langso" / "registry" / "models.py"
    models.write_text(models.read_text() + "\nfrom langso.registry import actions  # noqa\n")

    result = lint_imports(copy_of_the_tree)

    assert result.returncode == 1, result.stdout + result.stderr
    assert "No cycles are allowed in langso.registry." in result.stdout
