"""The layers of ``drafting/`` as the README's Layout draws them, read from the source's imports.

Every import counts, also one inside a function (an import deferred to run time is still a
dependency, and the circle the services once formed went through such imports). A module may
import its own layer and the layers below it, never one above; among the lower layers and the
services no module reaches itself again through its imports (no cycle); a module never imports
another module's private (``_``) names, except within the views, the API and the template tags,
whose modules share their own helpers. Where a new module goes: add it to ``LAYERS``, and to
the README's Layout.
"""

from __future__ import annotations

import ast
import fnmatch
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "drafting"

# Bottom to top. Patterns are dotted module names (fnmatch); a package's ``__init__`` is the
# package's own name.
LAYERS: list[tuple[str, list[str]]] = [
    # The domain engine: plain Python, nothing of Django (checked apart below).
    ("engine", ["drafting.engine", "drafting.engine.*"]),
    # What everything may use: settings, reference data, and DomainError (the services
    # package's __init__ holds only that: the one error type every layer raises).
    (
        "foundation",
        [
            "drafting",
            "drafting.settings",
            "drafting.reference",
            "drafting.hashers",
            "drafting.translation",
            "drafting.field_names",
            "drafting.formats",
            "drafting.formats.*",
            "drafting.services",
        ],
    ),
    ("models", ["drafting.models", "drafting.models.*"]),
    # Helpers the services build on: reading trees, checks, caches, the live channel's events.
    (
        "helpers",
        [
            "drafting.permissions",
            "drafting.validation",
            "drafting.reading",
            "drafting.search",
            "drafting.caching",
            "drafting.edition_cache",
            "drafting.oidc",
            "drafting.live",
            "drafting.live.draft_delta",
            "drafting.live.presence",
            "drafting.live.access",
        ],
    ),
    # State changes, one transaction each; they call each other's public functions.
    ("services", ["drafting.services.*"]),
    # What people and programs reach: pages, the API, template tags, the live copies and the poll,
    # the admin, the demo data and the management commands.
    (
        "interface",
        [
            "drafting.views",
            "drafting.views.*",
            "drafting.api",
            "drafting.api.*",
            "drafting.templatetags",
            "drafting.templatetags.*",
            "drafting.live.copies",
            "drafting.live.wsgi",
            "drafting.middleware",
            "drafting.languages",
            "drafting.context_processors",
            "drafting.throttling",
            "drafting.admin",
            "drafting.demo",
            "drafting.demo.*",
            "drafting.management",
            "drafting.management.*",
        ],
    ),
    # Server entry points and wiring: the app (its signals), the URL conf, WSGI, the stream server
    # and what readies a process.
    (
        "entry",
        [
            "drafting.apps",
            "drafting.urls",
            "drafting.wsgi",
            "drafting.serving",
            "drafting.static_storage",
            "drafting.live.stream",
            "drafting.live.protocol",
        ],
    ),
]

# No cycle among the modules of these layers.
ACYCLIC = {"engine", "foundation", "models", "helpers", "services"}

# Edges of a cycle known and due to go (none now: drafting citations into a draft, in
# ``services/citations/updates.py``, calls the drafting services, which index what they save through
# ``services/citations/indexing.py``, a module of its own). A new allowance must say when it goes.
KNOWN_CYCLE_EDGES: set[tuple[str, str]] = set()

# Packages whose modules share private helpers among themselves (``_get_proposal_for_user``, the
# engine's word normalisation): one package, one author's helpers. Between packages, and between
# services, only public names.
PRIVATE_SHARED = ("drafting.engine", "drafting.views", "drafting.api", "drafting.templatetags")


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(ROOT)
        if "migrations" in relative.parts:
            continue
        name = ".".join(relative.with_suffix("").parts)
        found[name.removesuffix(".__init__")] = path
    return found


MODULES = _modules()


def _layers_of(module: str) -> list[str]:
    return [name for name, patterns in LAYERS if any(fnmatch.fnmatchcase(module, p) for p in patterns)]


def _layer(module: str) -> str | None:
    layers = _layers_of(module)
    return layers[0] if layers else None


RANK = {name: i for i, (name, _) in enumerate(LAYERS)}


def _known(dotted: str) -> str | None:
    """The module of ours a dotted name is, or is in (an attribute of it)."""
    while dotted:
        if dotted in MODULES:
            return dotted
        dotted = dotted.rpartition(".")[0]
    return None


@cache
def _imports(module: str) -> list[tuple[str, int, str | None]]:
    """(imported module, line, private name or None) of every import of ours in a module."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                target = _known(alias.name)
                if target:
                    found.append((target, node.lineno, None))
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parts = parts[: len(parts) - (node.level - 1)]
                base = ".".join(parts + ([base] if base else []))
            if not base.startswith("drafting"):
                continue
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                if submodule in MODULES:
                    found.append((submodule, node.lineno, None))
                else:
                    target = _known(base)
                    if target:
                        private = alias.name if alias.name.startswith("_") else None
                        found.append((target, node.lineno, private))
    return found


def _third_party_django(module: str) -> list[tuple[str, int]]:
    path = MODULES[module]
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and not node.level:
            names = [node.module or ""]
        for name in names:
            top = name.split(".")[0]
            if top == "django" or top.startswith("django_") or top in ("ninja", "simple_history"):
                found.append((name, node.lineno))
    return found


def test_every_module_has_one_layer():
    assert {m: _layers_of(m) for m in MODULES if len(_layers_of(m)) != 1} == {}, (
        "put each new module in one layer of LAYERS (and the README's Layout)"
    )


def test_the_engine_imports_nothing_of_django_nor_of_the_rest():
    wrong = []
    for module in MODULES:
        if _layer(module) != "engine":
            continue
        wrong += [f"{module}:{line} imports {name}" for name, line in _third_party_django(module)]
        wrong += [
            f"{module}:{line} imports {target}"
            for target, line, _ in _imports(module)
            if _layer(target) != "engine"
        ]
    assert wrong == []


def test_no_module_imports_a_layer_above_its_own():
    wrong = []
    for module in MODULES:
        mine = _layer(module)
        for target, line, _ in _imports(module):
            theirs = _layer(target)
            if mine and theirs and RANK[theirs] > RANK[mine]:
                wrong.append(f"{module}:{line} ({mine}) imports {target} ({theirs})")
    assert wrong == []


def _edges() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for module in MODULES:
        if _layer(module) not in ACYCLIC:
            continue
        graph[module] = {
            target
            for target, _, _ in _imports(module)
            if target != module and _layer(target) in ACYCLIC and (module, target) not in KNOWN_CYCLE_EDGES
        }
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_cycle_among_the_services_and_the_layers_below():
    assert _cycles(_edges()) == []


def test_the_known_cycle_edges_still_exist():
    """An allowance that is no longer needed goes, so that the cycle cannot come back through it."""
    present = {(module, target) for module in MODULES for target, _, _ in _imports(module)}
    assert KNOWN_CYCLE_EDGES - present == set(), "remove these from KNOWN_CYCLE_EDGES"


def _shares_privates(module: str, target: str) -> bool:
    return any(module.startswith(p + ".") and target.startswith(p + ".") for p in PRIVATE_SHARED)


def test_no_module_imports_another_modules_private_names():
    wrong = []
    for module in MODULES:
        for target, line, private in _imports(module):
            if private and target != module and not _shares_privates(module, target):
                wrong.append(f"{module}:{line} imports {private} from {target}")
    assert wrong == []


def test_the_check_sees_an_upward_import_and_a_cycle(tmp_path):
    """The check itself: an upward import and a cycle written into a copy are found."""
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(graph) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []
    assert RANK[_layer("drafting.caching")] < RANK[_layer("drafting.services.citations")]
    source = tmp_path / "probe.py"
    source.write_text("def f():\n    from drafting.services.citations import _values, library_state\n")
    MODULES["drafting.probe_for_the_test"] = source
    try:
        imports = _imports("drafting.probe_for_the_test")
    finally:
        del MODULES["drafting.probe_for_the_test"]
        _imports.cache_clear()
    assert ("drafting.services.citations", 2, "_values") in imports
    assert ("drafting.services.citations", 2, None) in imports
