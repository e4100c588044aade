"""Our app `requests` shadows the PyPI library of that name: nothing we install may need it."""

import importlib
import importlib.metadata
import tomllib
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent


def _runtime_closure() -> set[str]:
    """The runtime dependencies of the project, and theirs, as installed."""
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    pending, seen, walked = [Requirement(r) for r in declared], set(), set()
    while pending:
        requirement = pending.pop()
        name = requirement.name.lower().replace("_", "-")
        # A package asked for with other extras elsewhere (psycopg[pool], psycopg[binary]) is
        # walked once per set of extras.
        if (name, frozenset(requirement.extras)) in walked:
            continue
        walked.add((name, frozenset(requirement.extras)))
        seen.add(name)
        for text in importlib.metadata.requires(name) or []:
            child = Requirement(text)
            # Extras we do not ask for, and other platforms' needs, are not installed for us.
            extras = requirement.extras | {""}
            if child.marker is None or any(child.marker.evaluate({"extra": e}) for e in extras):
                pending.append(child)
    return seen


def test_no_runtime_dependency_requires_the_pypi_requests_library():
    closure = _runtime_closure()

    # The walk really followed the installed metadata, requested extras included.
    assert {"django", "asgiref", "psycopg-binary"} <= closure
    assert "requests" not in closure


def test_the_requests_package_is_our_app():
    app = importlib.import_module("requests")

    assert Path(app.__file__).resolve().parent == ROOT / "requests"
