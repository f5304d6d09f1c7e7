"""The core stays platform-neutral: handlers/ imports neither Slack, Matrix nor SQLAlchemy."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN = {
    "handlers": {"slack_bolt", "slack_sdk", "nio", "sqlalchemy", "alembic", "bot", "storage"},
    "storage": {"slack_bolt", "slack_sdk", "nio", "bot"},
}


def imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    roots: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_layering(package: str) -> None:
    offenders = {
        str(path.relative_to(ROOT)): sorted(imported_roots(path) & FORBIDDEN[package])
        for path in (ROOT / package).rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


PACKAGES = ("bot", "handlers", "storage")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for package in PACKAGES for p in (ROOT / package).rglob("*.py")}


def module_imports(path: Path, known: dict[str, Path]) -> set[str]:
    """The project modules `path` depends on: every import, also those inside functions
    or under `if TYPE_CHECKING` (a lazy import hides a circle, it does not remove it)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            submodules = {f"{node.module}.{alias.name}" for alias in node.names} & known.keys()
            found |= submodules
            if len(submodules) < len(node.names):  # names from the module (or package face)
                found.add(node.module)
    return {name for name in found if name in known}


def import_cycles() -> list[list[str]]:
    """Every strongly connected group of more than one module (Tarjan's algorithm)."""
    known = modules()
    graph = {name: module_imports(path, known) - {name} for name, path in known.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                cycles.append(sorted(group))

    for name in sorted(graph):
        if name not in index:
            visit(name)
    return cycles


def test_no_import_cycles() -> None:
    assert import_cycles() == []


def test_adapters_never_write_command_text_for_the_core() -> None:
    """A button or a form becomes a typed command; only what a person typed is text.
    So no `Request(...)` in bot/ gets its text from an f-string, `+`, `%` or `.format`."""
    offenders = []
    for path in (ROOT / "bot").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Request"):
                continue
            texts = [k.value for k in node.keywords if k.arg == "text"] + node.args[2:3]
            for text in texts:
                built = isinstance(text, ast.JoinedStr | ast.BinOp) or (
                    isinstance(text, ast.Call) and getattr(text.func, "attr", "") == "format"
                )
                if built:
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []


def package_of(module: str) -> str:
    """`handlers.dates.words` → `handlers.dates`; `bot.slack.app` → `bot`."""
    parts = module.split(".")
    return ".".join(parts[:2]) if parts[0] == "handlers" and len(parts) > 2 else parts[0]


def test_no_private_name_is_imported_from_another_package() -> None:
    """A capability's `_names` are its own; others use what its face exports."""
    offenders = []
    for name, path in modules().items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.ImportFrom) and node.module and node.level == 0):
                continue
            other = package_of(node.module + ".x") != package_of(name + ".x")
            private = [a.name for a in node.names if a.name.startswith("_")]
            if other and private and node.module.split(".")[0] in PACKAGES:
                offenders.append(f"{name} imports {private} from {node.module}")
    assert offenders == []


def test_every_capability_has_a_public_face() -> None:
    for package in (ROOT / "handlers").iterdir():
        if package.is_dir() and (package / "__init__.py").exists():
            face = ast.parse((package / "__init__.py").read_text(encoding="utf-8"))
            assert ast.get_docstring(face), f"{package.name} says what it is for"
