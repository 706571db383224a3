"""The arrows between the folders run one way: cli, webhooks -> workers -> flows -> bot.

A module deep in the domain that reaches up into a worker (even lazily, inside a function) ties the
two together again, and a flow that touches Redis or the database is no longer a pure decision. These
checks read every import statement, top-level or not.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

#: For each top-level package, the packages it must never import.
FORBIDDEN = {
    "bot": {"flows", "workers", "webhooks", "cli"},
    "flows": {"workers", "webhooks", "cli"},
    "workers": {"webhooks", "cli"},
    "webhooks": {"cli"},
}
#: Libraries that do I/O: a flow decides, the worker that runs it talks to the world.
IO_LIBRARIES = {"redis", "rq", "sqlalchemy", "requests", "httpx", "twilio", "telegram", "psycopg", "socket",
                "subprocess", "urllib"}
#: bot/ modules a flow may not use either: storage and the Redis keys belong to the workers.
FLOW_FORBIDDEN_BOT = ("bot.store", "bot.queues", "bot.ops.ratelimit")


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
    return found


def _modules(package: str) -> list[Path]:
    return sorted(p for p in (ROOT / package).rglob("*.py") if "versions" not in p.parts)


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_no_import_runs_up_the_layers(package):
    wrong = [f"{path.relative_to(ROOT)}:{line} imports {name}"
             for path in _modules(package) for line, name in _imports(path)
             if name.split(".")[0] in FORBIDDEN[package]]
    assert wrong == []


def test_flows_do_no_io():
    wrong = [f"{path.relative_to(ROOT)}:{line} imports {name}"
             for path in _modules("flows") for line, name in _imports(path)
             if name.split(".")[0] in IO_LIBRARIES or name.startswith(FLOW_FORBIDDEN_BOT)]
    assert wrong == []


def test_the_check_sees_lazy_imports(tmp_path):
    """An import inside a function counts: the check is not fooled by indentation."""
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from workers.entry import run_worker\n    import redis\n")
    assert [name for _, name in _imports(module)] == ["workers.entry", "redis"]


def test_storage_does_not_sit_under_the_tenancy_rules():
    """bot/tenancy says who a deployment serves; what writes rows for the demo belongs to the command line."""
    wrong = [f"{path.relative_to(ROOT)}:{line} imports {name}"
             for path in _modules("bot/tenancy") for line, name in _imports(path) if name.startswith("bot.store")]
    assert wrong == []
