"""The packages import one way, as the README's table says: adapters above the runtime,
the runtime above the pure side, and nothing of the pure side reaching up."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_ROW = re.compile(r"^\| `(\w+)` \| (.+) \|$")


def allowed_imports() -> dict[str, set[str]]:
    """The README's "may import" table: package → the project packages it may import."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = text.split("| package | may import |", 1)[1].split("\n\n", 1)[0]
    table = {}
    for line in rows.splitlines():
        row = _ROW.match(line.strip())
        if row:
            table[row.group(1)] = set(re.findall(r"`(\w+)`", row.group(2)))
    return table


def project_imports(root: Path, package: str, ours: set[str]) -> set[tuple[str, str]]:
    """(file, imported package) for every import of another project package, at any depth."""
    found = set()
    for path in (root / package).rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top in ours and top != package:
                    found.add((str(path.relative_to(root)), top))
    return found


def test_the_readme_table_names_every_package() -> None:
    table = allowed_imports()
    packages = {p.name for p in ROOT.iterdir() if (p / "__init__.py").exists()} - {"tests"}
    assert set(table) == packages


def test_every_import_goes_the_way_the_table_allows() -> None:
    table = allowed_imports()
    wrong = sorted(
        f"{path} imports {imported}"
        for package in table
        for path, imported in project_imports(ROOT, package, set(table))
        if imported not in table[package]
    )
    assert wrong == []


def test_the_checker_sees_an_import_hidden_in_a_function(tmp_path: Path) -> None:
    """A function-level import counts too: that is where an upward import likes to hide."""
    (tmp_path / "storage").mkdir()
    (tmp_path / "storage" / "env.py").write_text(
        "import os\n\ndef url():\n    from toktok.settings import Settings\n"
    )
    found = project_imports(tmp_path, "storage", {"storage", "toktok"})
    assert found == {("storage/env.py", "toktok")}


def test_the_image_and_the_package_hold_every_package() -> None:
    """A new room must reach production: the Dockerfile copies it and setuptools finds it."""
    packages = {p.name for p in ROOT.iterdir() if (p / "__init__.py").exists()} - {"tests"}
    copied = set(re.findall(r"^COPY (\w+) \./\1$", (ROOT / "Dockerfile").read_text(), re.M))
    assert copied == packages
    found = (ROOT / "pyproject.toml").read_text().split("[tool.setuptools.packages.find]")[1]
    assert set(re.findall(r'"(\w+)\*"', found.split("\n\n")[0])) == packages
