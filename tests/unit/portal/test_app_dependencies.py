"""The borders between apps, read from the source: which app may import which.

Every import of every application module (module level and inside functions alike) is read
with `ast`. The core (`portal` without its feature apps) imports no feature app; a feature app
imports another only through the interfaces on `ALLOWED`; no import circle spans two apps.
"""

import ast
from collections import defaultdict
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
PACKAGES = ["portal", "extranet", "bulletins", "forum", "knowledge", "documents"]
# Apps that live inside another app's folder (the repository's top level is fixed).
NESTED_APPS = {"portal.directory": "directory", "portal.notices": "notices"}
CORE = "portal"

# (importing app, imported module or package prefix): the interfaces one feature app offers
# another. Everything of the core is open to every app.
ALLOWED = {
    ("bulletins", "forum.services"),
    ("bulletins", "forum.selectors"),
    ("bulletins", "portal.notices.services"),
    ("bulletins", "portal.notices.permissions"),
}


def app_of(module: str) -> str | None:
    for prefix, label in NESTED_APPS.items():
        if module == prefix or module.startswith(prefix + "."):
            return label
    top = module.split(".", 1)[0]
    return top if top in PACKAGES else None


def application_modules():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT)
            if "migrations" in relative.parts:
                continue
            module = ".".join(relative.with_suffix("").parts)
            if module.endswith(".__init__"):
                module = module[: -len(".__init__")]
            yield module, path


def imports_of(module: str, path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    is_package = path.name == "__init__.py"
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")
                base = base[: len(base) - node.level + (1 if is_package else 0)]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module
            found.add(target)
            # `from forum import services` imports the module forum.services.
            found.update(f"{target}.{alias.name}" for alias in node.names)
    return {name for name in found if app_of(name) is not None}


def import_graph():
    modules = dict(application_modules())
    graph = {}
    for module, path in modules.items():
        targets = set()
        for name in imports_of(module, path):
            # Keep names that are modules of the tree (drop `from x import SomeClass`).
            while name and name not in modules:
                name = name.rpartition(".")[0]
            if name and name != module:
                targets.add(name)
        graph[module] = targets
    return graph


def test_the_core_imports_no_feature_app():
    offending = sorted(
        f"{module} -> {target}"
        for module, targets in import_graph().items()
        if app_of(module) == CORE
        for target in targets
        if app_of(target) != CORE
    )
    assert not offending, "\n".join(offending)


def test_apps_import_each_other_only_through_the_allowed_interfaces():
    offending = sorted(
        f"{module} -> {target}"
        for module, targets in import_graph().items()
        for target in targets
        if app_of(target) not in (CORE, app_of(module))
        and not any(
            app_of(module) == source and (target == prefix or target.startswith(prefix + "."))
            for source, prefix in ALLOWED
        )
    )
    assert not offending, "\n".join(offending)


def strongly_connected(graph):
    """Tarjan's components of the import graph (iterative)."""
    index, low, on_stack, stack, components = {}, {}, set(), [], []
    counter = 0
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.add(member)
                        if member == node:
                            break
                    components.append(component)
    return components


def test_no_import_circle_spans_two_apps():
    spanning = [
        sorted(component)
        for component in strongly_connected(import_graph())
        if len({app_of(module) for module in component}) > 1
    ]
    assert not spanning, "\n".join(" ".join(c) for c in spanning)


def test_no_application_module_is_over_600_lines():
    long_files = {
        module: count
        for module, path in application_modules()
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > 600
    }
    assert not long_files, long_files


def test_the_check_sees_a_forbidden_import(tmp_path):
    """The reader itself: a relative and an absolute import of a feature app are both found."""
    source = tmp_path / "views.py"
    source.write_text("from ..forum.models import Post\nimport extranet.models\n")
    found = imports_of("bulletins.views", source)
    assert "forum.models" in found and "extranet.models" in found
    grouped = defaultdict(set)
    for name in found:
        grouped[app_of(name)].add(name)
    assert set(grouped) == {"forum", "extranet"}
