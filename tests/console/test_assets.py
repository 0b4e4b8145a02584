"""The console's design system ships with it: the KRDS files in `console/static/krds` are the
pinned package's (`make console-assets` copies them and records their digests), and no page
asks another site for anything."""

import hashlib
import json
import re
from pathlib import Path

CONSOLE = Path(__file__).parents[2] / "console"
KRDS = CONSOLE / "static" / "krds"
# What makes a browser fetch: a src, a <link>'s href, a stylesheet's url(); links to read are
# not loads.
LOADS = re.compile(
    r"""src=["'](?:https?:)?//[^"']+|<link[^>]+href=["'](?:https?:)?//[^"']+"""
    r"""|url\(["']?(?:https?:)?//[^)]+"""
)


def test_the_design_system_is_pinned_to_one_version() -> None:
    package = json.loads((CONSOLE / "assets" / "package.json").read_text())
    lock = json.loads((CONSOLE / "assets" / "package-lock.json").read_text())
    pinned = package["dependencies"]["krds-uiux"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", pinned)  # an exact version, not a range
    assert lock["packages"]["node_modules/krds-uiux"]["version"] == pinned
    assert lock["packages"]["node_modules/krds-uiux"]["integrity"].startswith("sha512-")


def test_the_shipped_files_are_the_ones_the_makefile_copied() -> None:
    listed = dict(
        reversed(line.split("  ", 1))
        for line in (KRDS / "SHA256SUMS").read_text().splitlines()
        if line.strip()
    )
    assert set(listed) == {p.name for p in KRDS.iterdir()} - {"SHA256SUMS"}
    for name, digest in listed.items():
        assert hashlib.sha256((KRDS / name).read_bytes()).hexdigest() == digest, name


def test_no_page_or_stylesheet_loads_anything_from_another_site() -> None:
    sources = [*(CONSOLE / "templates").glob("*.html"), *(CONSOLE / "static").rglob("*.css")]
    outside = [
        f"{path.name}: {found}"
        for path in sources
        for found in re.findall(LOADS, path.read_text())
    ]
    assert outside == []
