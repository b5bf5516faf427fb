"""One-way flow, enforced: the package's import graph has no cycle and no backward edge.

Every module of ``ssg/`` is parsed with ``ast``; every ``import`` and ``from ... import``
anywhere in the file counts: at module level, inside functions (lazy imports), and
inside ``if TYPE_CHECKING:`` blocks. Type-only imports are not runtime edges, but a
type-only import from a later stage still ties an early module to a later one's
shape, so they are held to the same rule.

``from ssg import x`` is an edge to ``ssg.x`` when ``x`` is a module, else to ``ssg``
itself. Importing ``ssg.a.b`` also runs ``ssg/a/__init__.py``; that implicit edge to
the parent package is not counted (a package's ``__init__`` importing its children is
how packages work), but an explicit import of a name defined in the ``__init__``
(``from ssg.importing import parse``) is.

Stages, earliest first (the README's development section gives the same order):
a module may import only from its own stage or an earlier one, and never in a cycle.
A module missing from the table fails the test: place every new module.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "ssg"

STAGES: list[tuple[str, set[str]]] = [
    ("foundation", {
        "ssg", "ssg.errors", "ssg.files", "ssg.timecode", "ssg.urls", "ssg.frontmatter", "ssg.markup",
        "ssg.model", "ssg.theme", "ssg.atomic", "ssg.identity", "ssg.parallel", "ssg.console",
        "ssg.images", "ssg.minify",
    }),
    ("load", {
        "ssg.transcript", "ssg.loading", "ssg.loading.fields", "ssg.loading.show", "ssg.loading.speakers",
        "ssg.loading.timeline", "ssg.loading.episode", "ssg.loading.checks", "ssg.loading.site",
        "ssg.loading.assets",
    }),
    ("render", {"ssg.colours", "ssg.exports", "ssg.feeds", "ssg.structured", "ssg.hosting", "ssg.links", "ssg.apps", "ssg.render"}),
    ("write", {"ssg.write"}),
    ("index", {"ssg.search_index"}),
    ("incremental", {"ssg.incremental"}),
    ("build", {"ssg.build"}),
    ("commands", {
        "ssg.commands", "ssg.cli", "ssg.__main__", "ssg.serve", "ssg.watch", "ssg.deploy", "ssg.scaffold",
        "ssg.importing", "ssg.importing.account", "ssg.importing.chapters", "ssg.importing.cues",
        "ssg.importing.detect", "ssg.importing.feed", "ssg.importing.fetch", "ssg.importing.intros",
        "ssg.importing.meta", "ssg.importing.model", "ssg.importing.podcast_json", "ssg.importing.read", "ssg.importing.srt",
        "ssg.importing.text", "ssg.importing.vtt", "ssg.importing.whisper", "ssg.importing.write",
    }),
]

# Known backward edges, each with its reason; the test fails if one is listed but gone.
KNOWN_BACKWARD: dict[tuple[str, str], str] = {}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def edges(mods: dict[str, Path]) -> set[tuple[str, str]]:
    """(importer, imported) pairs between modules of the package."""
    found: set[tuple[str, str]] = set()
    for name, path in mods.items():
        is_package = path.name == "__init__.py"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = name.split(".") if is_package else name.split(".")[:-1]
                    base = base[: len(base) - (node.level - 1)]
                    source = ".".join(base + ([node.module] if node.module else []))
                else:
                    source = node.module or ""
                for alias in node.names:
                    sub = f"{source}.{alias.name}"
                    targets.append(sub if sub in mods else source)
            for target in targets:
                # ``import ssg.a.b`` names ssg.a.b; stop at the longest prefix that is a module.
                while target and target not in mods:
                    target = target.rpartition(".")[0]
                if target and target != name:
                    found.add((name, target))
    return found


def stage_of() -> dict[str, int]:
    table: dict[str, int] = {}
    for i, (_, names) in enumerate(STAGES):
        for n in names:
            assert n not in table, f"{n} is in two stages"
            table[n] = i
    return table


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """A cycle as [a, b, ..., a], or None."""
    state: dict[str, int] = {}  # 1 on the stack, 2 done
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_every_module_has_a_stage() -> None:
    table = stage_of()
    mods = modules()
    missing = sorted(set(mods) - set(table))
    assert not missing, f"place these modules in a stage of STAGES in {__file__}: {missing}"
    stale = sorted(set(table) - set(mods))
    assert not stale, f"STAGES names modules that do not exist: {stale}"


def test_no_import_cycle() -> None:
    graph: dict[str, set[str]] = {}
    for a, b in edges(modules()):
        graph.setdefault(a, set()).add(b)
    cycle = find_cycle(graph)
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_no_import_from_a_later_stage() -> None:
    table = stage_of()
    found = edges(modules())
    backward = sorted(
        f"{a} ({STAGES[table[a]][0]}) imports {b} ({STAGES[table[b]][0]})"
        for a, b in found
        if a in table and b in table and table[b] > table[a] and (a, b) not in KNOWN_BACKWARD
    )
    assert not backward, "imports from a later stage:\n" + "\n".join(backward)
    gone = sorted(f"{a} -> {b}" for a, b in KNOWN_BACKWARD if (a, b) not in found)
    assert not gone, f"KNOWN_BACKWARD lists edges that no longer exist, remove them: {gone}"


INCREMENTAL = "ssg.incremental"
"""The one module that knows a build cache exists (issue #18, point 3)."""
KNOWS_THE_LAYER = {"ssg.build"}
"""The modules that may use it: the build hands it the declared units and links what it says."""


def test_only_the_build_knows_the_incremental_layer() -> None:
    users = sorted(a for a, b in edges(modules()) if b == INCREMENTAL and a not in KNOWS_THE_LAYER)
    assert not users, f"only {sorted(KNOWS_THE_LAYER)} may import {INCREMENTAL}; found {users}"
    pickling = sorted(name for name, path in modules().items()
                      if name != INCREMENTAL and "import pickle" in path.read_text(encoding="utf-8"))
    assert not pickling, f"the cache's files are {INCREMENTAL}'s alone; these modules pickle: {pickling}"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from ssg import feeds\n", {("ssg.x", "ssg.feeds")}),
        ("def f():\n    from ssg.render import Renderer\n", {("ssg.x", "ssg.render")}),
        ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import ssg.cache\n", {("ssg.x", "ssg.cache")}),
        ("from ssg import __version__\n", {("ssg.x", "ssg")}),
        ("from . import feeds\n", {("ssg.x", "ssg.feeds")}),
        ("import json\n", set()),
    ],
)
def test_edges_reads_every_kind_of_import(tmp_path: Path, source: str, expected: set[tuple[str, str]]) -> None:
    """The graph reader itself: lazy, type-only, package and relative imports are all edges."""
    global PACKAGE
    pkg = tmp_path / "ssg"
    pkg.mkdir()
    for name in ("__init__", "feeds", "render", "cache"):
        (pkg / f"{name}.py").write_text("")
    (pkg / "x.py").write_text(source)
    saved, PACKAGE = PACKAGE, pkg
    try:
        assert edges(modules()) == expected
    finally:
        PACKAGE = saved


def test_find_cycle_reports_the_cycle() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": {"c"}}) is None


# Render is pure: it reads no file (issue #18) ------------------------------------------------------------

PURE_HELPERS = {"ssg.images", "ssg.minify", "ssg.markup", "ssg.urls", "ssg.timecode", "ssg.model"}
"""Modules before the render stage that it calls to make bytes: held to the same rule."""
IO_CALLS = frozenset({
    "read_bytes", "read_text", "write_bytes", "write_text", "open", "iterdir", "glob", "rglob", "scandir",
    "listdir", "walk", "stat", "lstat", "exists", "is_file", "is_dir", "is_symlink", "readlink", "mkdir",
    "unlink", "rmdir", "touch", "samefile",
})
"""Methods that touch the file system (``Path``, ``os``, ``Image.open`` on a file name)."""
IO_MODULES = frozenset({"os", "shutil", "glob", "tempfile", "subprocess", "socket", "urllib.request", "http.client",
                        "ssg.files", "ssg.theme", "ssg.atomic"})
"""Modules whose use means file (or network) access; ``ssg.theme`` finds folders, ``ssg.files`` reads."""


def pure_modules() -> dict[str, Path]:
    render = next(names for stage, names in STAGES if stage == "render")
    return {name: path for name, path in modules().items() if name in render | PURE_HELPERS}


def file_access(source: str) -> list[str]:
    """Where ``source`` reads or writes files: ``line: call`` for each call or import that does."""
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id == "open":
                found.append(f"{node.lineno}: {ast.unparse(node)}")
            elif isinstance(func, ast.Attribute) and func.attr in IO_CALLS:
                in_memory = (func.attr == "open" and len(node.args) == 1 and isinstance(node.args[0], ast.Call)
                             and ast.unparse(node.args[0].func).split(".")[-1] in ("BytesIO", "StringIO"))
                if not in_memory:  # Image.open(io.BytesIO(data)) decodes bytes already read
                    found.append(f"{node.lineno}: {ast.unparse(node)}")
        elif isinstance(node, ast.Import):
            found += [f"{node.lineno}: import {a.name}" for a in node.names if a.name in IO_MODULES]
        elif isinstance(node, ast.ImportFrom) and not node.level:
            names = [node.module or "", *(f"{node.module}.{a.name}" for a in node.names)]
            if any(name in IO_MODULES for name in names):
                found.append(f"{node.lineno}: from {node.module} import {', '.join(a.name for a in node.names)}")
    return sorted(found, key=lambda where: int(where.split(":")[0]))


def test_the_render_stage_reads_no_file() -> None:
    """Render returns ``(path, bytes)`` from values: what it shows is read by the load stage (``ssg.loading``).

    Templates are the exception, read by Jinja's loader (``Renderer.env``); that is not a call in these modules.
    """
    found = [f"{path.relative_to(PACKAGE.parent)}:{where}"
             for name, path in sorted(pure_modules().items())
             for where in file_access(path.read_text(encoding="utf-8"))]
    assert not found, ("the render stage reads or writes files; read them in the load stage and pass the values "
                       "in:\n" + "\n".join(found))


@pytest.mark.parametrize(
    ("source", "flagged"),
    [
        ("open('x')\n", True),
        ("path.read_bytes()\n", True),
        ("files.read_bytes(path, reads)\n", True),
        ("for p in folder.rglob('*'):\n    p.is_file()\n", True),
        ("Image.open(path)\n", True),
        ("import os\n", True),
        ("from ssg import files\n", True),
        ("from ssg.theme import template_dirs\n", True),
        ("Image.open(io.BytesIO(data))\n", False),
        ("self.urls.resolve(ref)\n", False),
        ("text.replace('-', '_')\n", False),
        ("from pathlib import Path\n", False),
    ],
)
def test_file_access_finds_reads(source: str, flagged: bool) -> None:
    assert bool(file_access(source)) == flagged, file_access(source)


# The model: frozen values, nothing lazy (issue #18, point 3) ---------------------------------------
MUTATORS = {"__setattr__", "__delattr__"}
"""``object.__setattr__(x, ...)``: how a frozen dataclass is changed behind its back."""
PICKLING = {"__reduce__", "__reduce_ex__", "__getstate__", "__setstate__"}
"""Pickling hooks; assigning one onto a class from outside patches how every pickler sees it."""


def hacks(path: Path) -> list[str]:
    """Where the file calls ``object.__setattr__``/``__delattr__``, or assigns a pickling hook onto an object
    (``cls.__reduce__ = ...``, ``setattr(cls, "__reduce__", ...)``); a class defining its own is not one."""
    found: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Call):
            func = node.func
            if (isinstance(func, ast.Attribute) and func.attr in MUTATORS
                    and isinstance(func.value, ast.Name) and func.value.id == "object"):
                found.append(f"{path.name}:{node.lineno}: object.{func.attr}")
            if (isinstance(func, ast.Name) and func.id == "setattr" and len(node.args) > 1
                    and isinstance(node.args[1], ast.Constant) and node.args[1].value in PICKLING):
                found.append(f"{path.name}:{node.lineno}: setattr(..., {node.args[1].value!r})")
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
            targets = [node.target]
        for target in targets:
            for part in ast.walk(target):
                if isinstance(part, ast.Attribute) and part.attr in PICKLING:
                    found.append(f"{path.name}:{node.lineno}: assigns .{part.attr}")
    return found


def test_no_module_changes_objects_behind_their_back() -> None:
    """The model is frozen: no module sets a field with ``object.__setattr__`` or patches how it pickles."""
    found = [hit for path in modules().values() for hit in hacks(path)]
    assert not found, "\n".join(found)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("object.__setattr__(episode, 'turns', lazy)\n", ["x.py:1: object.__setattr__"]),
        ("for cls in (A, B):\n    cls.__reduce__ = _reduce\n", ["x.py:2: assigns .__reduce__"]),
        ("setattr(A, '__setstate__', f)\n", ["x.py:1: setattr(..., '__setstate__')"]),
        ("class A:\n    def __reduce__(self):\n        return A, ()\n", []),
        ("self.__setattr__('x', 1)\nsetattr(a, 'x', 1)\n", []),
    ],
)
def test_hacks_finds_each_kind(tmp_path: Path, source: str, expected: list[str]) -> None:
    """The reader itself."""
    (tmp_path / "x.py").write_text(source)
    assert hacks(tmp_path / "x.py") == expected


def test_the_model_is_frozen_dataclasses_and_an_episode_holds_no_transcript() -> None:
    import dataclasses
    import inspect

    from ssg import model

    classes = [c for _, c in inspect.getmembers(model, inspect.isclass) if c.__module__ == model.__name__]
    assert len(classes) >= 9
    loose = [c.__name__ for c in classes
             if not dataclasses.is_dataclass(c) or not c.__dataclass_params__.frozen]  # type: ignore[attr-defined]
    assert not loose, f"not frozen dataclasses: {loose}"
    header = {f.name: f.type for f in dataclasses.fields(model.Episode)}
    assert "turns" not in header and "turn_count" in header  # the header counts turns; the Transcript holds them
    assert [f.name for f in dataclasses.fields(model.Transcript)] == ["turns"]
    for cls in (model.Site, model.Episode):
        typed = {f.name: str(f.type) for f in dataclasses.fields(cls)}
        assert not [name for name, kind in typed.items() if "Transcript" in kind], cls
