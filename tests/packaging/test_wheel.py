"""The wheel: built from the checkout, installed into a fresh venv, and run from there.

The wheel is what is under test, so it is installed with pip into a new venv of its own; its
dependencies (PySide6 and the rest, ~300 MB) are lent by the test venv through a .pth line
rather than downloaded again, and `pip check` confirms they satisfy what the wheel requires.
"""

from __future__ import annotations

import sysconfig
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from breather import APP_ID
from breather.desktop.entry import read_entry, split_exec
from tests.packaging.conftest import (
    EXIT_AFTER_MS,
    ROOT,
    VERSION,
    headless_env,
    program,
    run,
)

pytestmark = pytest.mark.packaging


@pytest.fixture(scope="session")
def wheel(tmp_path_factory: pytest.TempPathFactory, python: str) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    # No build isolation: hatchling comes from the test extra, so this works offline.
    run([python, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", out, ROOT])
    (built,) = out.glob("breather-*.whl")
    return built


@dataclass(frozen=True)
class Venv:
    root: Path
    site: Path

    @property
    def python(self) -> Path:
        return self.root / "bin" / "python"

    @property
    def breather(self) -> Path:
        return self.root / "bin" / "breather"


@pytest.fixture(scope="session")
def venv(tmp_path_factory: pytest.TempPathFactory, python: str, wheel: Path) -> Iterator[Venv]:
    root = tmp_path_factory.mktemp("fresh") / "venv"
    run([python, "-m", "venv", root])
    fresh_python = root / "bin" / "python"
    site = Path(
        run(
            [fresh_python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]
        ).stdout.strip()
    )
    run([fresh_python, "-m", "pip", "install", "-q", "--no-deps", "--no-index", wheel])
    # After the wheel's own files on sys.path: the test venv's packages, for dependencies only.
    (site / "zz-test-venv-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    yield Venv(root, site)


def test_the_wheel_holds_the_package_its_resources_and_migrations(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in (
        "breather/__init__.py",
        "breather/resources/self-help.toml",
        "breather/resources/categories.toml",
        "breather/resources/breather.toml",
        "breather/resources/icons/breather.svg",
        "breather/resources/gnome-shell-extension/legacy/extension.js",
        "breather/resources/gnome-shell-extension/esm/metadata.json",
        "breather/store/migrations/env.py",
        "breather/store/migrations/versions/0001_initial.py",
        "breather/store/migrations/head.sql",  # without it, new databases need alembic
    ):
        assert needed in names, needed
    assert not [n for n in names if n.startswith(("tests/", "packaging/", "bench/"))]
    info = f"breather-{VERSION}.dist-info"
    entry_points = zipfile.ZipFile(wheel).read(f"{info}/entry_points.txt").decode()
    assert "[console_scripts]\nbreather = breather.cli.main:main" in entry_points
    assert f"\nVersion: {VERSION}\n" in zipfile.ZipFile(wheel).read(f"{info}/METADATA").decode()


def test_the_installed_wheel_is_complete(venv: Venv) -> None:
    run([venv.python, "-m", "pip", "check"])  # every requirement of the wheel is met


def test_version_and_doctor_from_the_installed_wheel(venv: Venv, tmp_path: Path) -> None:
    env = headless_env(tmp_path)
    assert run([venv.breather, "--version"], env=env).stdout.strip() == f"breather {VERSION}"
    # Without an X server doctor says so and exits 1: judged by what it prints.
    done = run([venv.breather, "doctor"], env=env, check=False)
    assert done.returncode in (0, 1), done.stderr
    assert "Desktop backends:" in done.stdout and "x11 windows" in done.stdout
    assert f"data   {tmp_path / 'data'}" in done.stdout
    assert "Traceback" not in done.stderr


LOAD_RESOURCES = """
import sys
from pathlib import Path
import breather
from breather.resources import resources_dir
from breather.support.catalogue import default_catalogue
from breather.categories.catalogue import load_catalogue
from breather.ui.icons import app_icon_svg, render_png
from breather.store import open_store, sqlite_url

site = Path(sys.argv[1])
here = Path(breather.__file__).resolve()
assert here.is_relative_to(site), f"breather imported from {here}, not the fresh venv"
assert resources_dir().resolve().is_relative_to(site), resources_dir()
catalogue = default_catalogue()
names = load_catalogue().names
png = render_png(app_icon_svg(), 64)
assert png.startswith(b"\\x89PNG"), "icon not drawn"
store = open_store(sqlite_url(Path(sys.argv[2]) / "t.db"), device_uuid="w", device_name="w")
store.close()
print(f"ok {breather.__version__} categories={len(names)} png={len(png)}")
"""


def test_the_shipped_resources_load_from_the_installed_wheel(venv: Venv, tmp_path: Path) -> None:
    done = run([venv.python, "-c", LOAD_RESOURCES, venv.site, tmp_path], env=headless_env(tmp_path))
    assert done.stdout.startswith(f"ok {VERSION} categories=")


def test_the_app_starts_and_quits_from_the_installed_wheel(venv: Venv, tmp_path: Path) -> None:
    env = {**headless_env(tmp_path), "BREATHER_TEST_EXIT_AFTER_MS": EXIT_AFTER_MS}
    done = run([venv.breather], env=env, timeout=60)
    assert "exit hook: " in done.stdout, done.stdout + done.stderr
    assert f"icon drawn, Version {VERSION}" in done.stdout
    assert "Traceback" not in done.stderr, done.stderr


def test_desktop_entry_and_autostart_point_at_the_installed_command(
    venv: Venv, tmp_path: Path
) -> None:
    env = headless_env(tmp_path)
    run([venv.breather, "install-desktop-entry"], env=env)
    entry = tmp_path / "share" / "applications" / f"{APP_ID}.desktop"
    assert split_exec(read_entry(entry)["Exec"]) == [str(venv.breather)]
    icons = tmp_path / "share" / "icons" / "hicolor"
    assert (icons / "48x48" / "apps" / f"{APP_ID}.png").read_bytes().startswith(b"\x89PNG")
    run([program("desktop-file-validate", "desktop-file-utils"), entry])
    run([venv.breather, "install-desktop-entry", "--remove"], env=env)
    assert not entry.exists()

    assert "on: " in run([venv.breather, "autostart", "on"], env=env).stdout
    autostart = tmp_path / "config" / "autostart" / f"{APP_ID}.desktop"
    assert split_exec(read_entry(autostart)["Exec"]) == [str(venv.breather), "--tray"]
    assert "off" in run([venv.breather, "autostart", "off"], env=env).stdout
    assert not autostart.exists()
