"""The web wing's layers (docs/architecture.md): an app imports only apps of lower layers, no two
apps import each other, no page imports another app's views, and no import of another app hides
inside a function. The import-linter contracts in pyproject.toml state the layers; these tests
run them and keep them in step with settings.APP_LAYERS."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import grimp
import pytest
from django.conf import settings

REPO = Path(__file__).resolve().parents[2]
WEB = REPO / "pingjian" / "web"


def _contract(name_start: str) -> dict:
    config = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["importlinter"]
    return next(c for c in config["contracts"] if c["name"].startswith(name_start))


def _app_packages() -> set[str]:
    return {path.parent.name for path in WEB.glob("*/apps.py")}


def test_the_layer_contract_lists_the_same_layers_as_the_settings():
    layers = _contract("The web apps")["layers"]
    from_settings = [" | ".join(layer) for layer in reversed(settings.APP_LAYERS)]
    assert layers == from_settings


def test_every_app_package_has_its_place_in_a_layer():
    assert _app_packages() == set(settings.DOMAIN_APPS)


def _lint_imports(cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(Path(sys.executable).parent / "lint-imports"), "--no-cache"],
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(cwd)},
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_import_contracts_are_kept():
    run = _lint_imports(REPO)
    assert run.returncode == 0, run.stdout


@pytest.fixture(scope="module")
def graph():
    return grimp.build_graph("pingjian")


def test_no_module_imports_another_apps_views(graph):
    crossing = []
    for app in _app_packages():
        views = f"pingjian.web.{app}.views"
        if views not in graph.modules:
            continue
        for importer in graph.find_modules_that_directly_import(views):
            if not importer.startswith(f"pingjian.web.{app}."):
                crossing.append(f"{importer} → {views}")
    assert crossing == []


def _imports_inside_functions(path: Path) -> list[str]:
    """`from pingjian.web.<other app> …` written inside a function or class of PATH."""
    app = path.relative_to(WEB).parts[0]
    tree = ast.parse(path.read_text(), str(path))
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            continue
        for inner in ast.walk(node):
            if isinstance(inner, ast.ImportFrom) and (inner.module or "").startswith("pingjian.web."):
                target = inner.module.split(".")[2]
                if target != app:
                    found.append(f"{path.relative_to(REPO)}:{inner.lineno} {inner.module}")
    return found


def test_no_import_of_another_app_hides_inside_a_function():
    hidden = [
        line
        for path in WEB.glob("*/**/*.py")
        if "migrations" not in path.parts
        for line in _imports_inside_functions(path)
    ]
    assert hidden == []


def test_the_contract_fails_on_an_upward_import(tmp_path):
    """The contract is not vacuous: the ground floor (core) importing the roof breaks it."""
    shutil.copytree(REPO / "pingjian", tmp_path / "pingjian", ignore=shutil.ignore_patterns("__pycache__"))
    (tmp_path / "pingjian" / "web" / "core" / "upward.py").write_text(
        "from pingjian.web.dashboard import views\n"
    )
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    run = subprocess.run(
        [str(Path(sys.executable).parent / "lint-imports"), "--no-cache"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(tmp_path)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 1, run.stdout
    assert "pingjian.web.core.upward -> pingjian.web.dashboard.views" in run.stdout
