"""One app id, one version, one command and one icon name across pyproject, Qt and packaging.

Nothing here needs a tool: it reads the files every package is built from.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator

import pytest
import yaml
from PySide6.QtGui import QGuiApplication

from breather import APP_ID, APP_NAME, __version__
from breather.desktop.entry import COMMAND, WINDOW_CLASS, launcher_entry, read_entry
from tests.packaging.conftest import PACKAGING, PYPROJECT, ROOT, VERSION

pytestmark = pytest.mark.packaging

DESKTOP = PACKAGING / "linux" / f"{APP_ID}.desktop"
METAINFO = PACKAGING / "linux" / f"{APP_ID}.metainfo.xml"
FLATPAK = PACKAGING / "flatpak" / f"{APP_ID}.yml"
SPEC = PACKAGING / "pyinstaller" / "breather.spec"
INNO = PACKAGING / "windows" / "breather.iss"


def metainfo() -> ET.Element:
    return ET.parse(METAINFO).getroot()


def flatpak() -> dict[str, object]:
    manifest = yaml.safe_load(FLATPAK.read_text(encoding="utf-8"))
    assert isinstance(manifest, dict)
    return manifest


def test_the_app_id_is_the_same_everywhere() -> None:
    root = metainfo()
    assert root.findtext("id") == APP_ID
    assert root.findtext("launchable[@type='desktop-id']") == DESKTOP.name == f"{APP_ID}.desktop"
    assert read_entry(DESKTOP)["Icon"] == APP_ID
    assert flatpak()["id"] == APP_ID
    assert f'APP_ID = "{APP_ID}"' in SPEC.read_text()  # the macOS bundle identifier
    assert f'#define AppId "{APP_ID}"' in INNO.read_text()
    assert METAINFO.name == f"{APP_ID}.metainfo.xml"


def test_the_shipped_launcher_is_what_the_app_writes_for_itself() -> None:
    # `breather install-desktop-entry` writes launcher_entry with an absolute path; a package
    # ships it with the bare command. packaging/README.md says how to regenerate it.
    assert DESKTOP.read_text(encoding="utf-8") == launcher_entry([COMMAND])


def test_the_command_is_the_same_everywhere() -> None:
    scripts = PYPROJECT["project"]["scripts"]
    assert scripts == {COMMAND: "breather.cli.main:main"}
    assert read_entry(DESKTOP)["Exec"] == COMMAND
    assert metainfo().findtext("provides/binary") == COMMAND
    assert flatpak()["command"] == COMMAND
    assert f'NAME = "{COMMAND}"' in SPEC.read_text()
    assert f'#define AppExe "{COMMAND}.exe"' in INNO.read_text()


@pytest.fixture
def named_qt_app(qapp) -> Iterator[QGuiApplication]:
    saved = (qapp.applicationName(), qapp.applicationDisplayName(), qapp.applicationVersion())
    saved_file = QGuiApplication.desktopFileName()
    yield qapp
    qapp.setApplicationName(saved[0])
    qapp.setApplicationDisplayName(saved[1])
    qapp.setApplicationVersion(saved[2])
    QGuiApplication.setDesktopFileName(saved_file)


def test_qt_names_the_app_as_the_desktop_file_does(named_qt_app: QGuiApplication) -> None:
    from breather.ui.app import identify

    identify(named_qt_app)
    # Wayland: the app_id is the desktop file name. X11: WM_CLASS's class is the application
    # name, which StartupWMClass must match (tests/packaging/test_bundle.py reads it for real).
    assert QGuiApplication.desktopFileName() == APP_ID
    assert named_qt_app.applicationName() == WINDOW_CLASS == read_entry(DESKTOP)["StartupWMClass"]
    assert named_qt_app.applicationDisplayName() == APP_NAME == read_entry(DESKTOP)["Name"]
    assert named_qt_app.applicationVersion() == VERSION


def test_the_version_is_written_once() -> None:
    from importlib.metadata import version

    assert __version__ == VERSION  # what --version and About show
    # The build reads it from the package: the installed metadata carries the same.
    assert PYPROJECT["project"]["dynamic"] == ["version"]
    assert PYPROJECT["tool"]["hatch"]["version"]["path"] == "app/breather/__init__.py"
    assert version("breather") == VERSION
    releases = metainfo().findall("releases/release")
    assert releases, "the metainfo lists no release"
    assert releases[0].get("version") == VERSION, "the newest <release> comes first"
    for release in releases:
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", release.get("date", "")), release.attrib
    # The bundle and the installer read it, never repeat it.
    assert "from breather import __version__ as VERSION" in SPEC.read_text()
    assert "GetStringFileInfo" in INNO.read_text()


def test_metainfo_has_what_the_debian_12_validator_only_hints_at() -> None:
    # appstreamcli 0.16 reports these only as infos; Flathub and software centres need them.
    root = metainfo()
    assert root.get("type") == "desktop-application"
    assert root.find("content_rating[@type='oars-1.1']") is not None
    assert root.findtext("developer/name")
    assert root.findtext("metadata_license") == "CC0-1.0"
    assert root.findtext("project_license") == PYPROJECT["project"]["license"]
    summary = root.findtext("summary") or ""
    assert summary and not summary.endswith(".")
    assert root.find("screenshots/screenshot[@type='default']") is not None
    for image in root.findall("screenshots/screenshot/image"):
        # Served from the repository: the picture must be committed where the URL points.
        path = (image.text or "").partition("/main/")[2]
        assert path.startswith("packaging/screenshots/") and (ROOT / path).is_file(), image.text


def test_icons_are_drawn_from_the_one_svg_under_the_app_id() -> None:
    assert (ROOT / "resources" / "icons" / "breather.svg").exists()
    stage = (PACKAGING / "linux" / "stage_tree.py").read_text()
    assert "hicolor(" in stage  # packaging/icons.py names them <APP_ID>.svg / .png
    icons = (PACKAGING / "icons.py").read_text()
    assert 'f"{APP_ID}.svg"' in icons and 'f"{APP_ID}.png"' in icons
    build = " ".join(str(module) for module in flatpak()["modules"])  # type: ignore[attr-defined]
    assert "stage_tree.py" in build


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~;\[ ]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def _on_linux(requirement: str) -> bool:
    from packaging.requirements import Requirement

    marker = Requirement(requirement).marker
    return marker is None or marker.evaluate({"sys_platform": "linux"})


def test_the_flatpak_brings_every_dependency_the_base_app_does_not() -> None:
    # The Flatpak runs on Linux only: macOS' pyobjc and the like are not wanted there.
    wanted = {_name(r) for r in PYPROJECT["project"]["dependencies"] if _on_linux(r)}
    wanted -= {"pyside6-essentials", "numpy"}  # both come with io.qt.PySide.BaseApp
    wanted |= {_name(r) for r in PYPROJECT["build-system"]["requires"]}  # built in the sandbox
    listed = (PACKAGING / "flatpak" / "requirements.txt").read_text().splitlines()
    assert {_name(line) for line in listed if line and not line.startswith("#")} == wanted


def test_the_flatpak_keeps_breathers_promises() -> None:
    args = flatpak()["finish-args"]
    assert isinstance(args, list)
    assert "--share=network" not in args  # nothing leaves the machine
    assert not [a for a in args if a.startswith("--filesystem")]  # only its own data
    assert "--talk-name=org.kde.StatusNotifierWatcher" in args  # the tray


def test_the_flatpak_can_reach_every_desktop_backend() -> None:
    # fallback-x11 alone gives no X11 at all on a Wayland session, and no backend there.
    args = flatpak()["finish-args"]
    assert isinstance(args, list)
    assert "--socket=fallback-x11" not in args
    for needed in (
        "--socket=wayland",  # wlroots window list, Wayland idle protocols
        "--socket=x11",  # X11 sessions
        "--talk-name=org.gnome.Shell",  # Breather's GNOME Shell extension
        "--talk-name=org.gnome.Mutter.IdleMonitor",
        "--talk-name=org.kde.KWin",  # the KWin script
    ):
        assert needed in args
