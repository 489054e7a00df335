"""Fast checks of the installers (issue 8). PyInstaller itself is not run here: `make dist-check` does.

The spec's rules live in installers/bundle.py, so they are checked in milliseconds: the data files the
frozen program reads are declared where the code looks for them, the Qt trimming keeps what the app
uses, the desktop entry is valid, the version has one source, and the smoke run's exports work on a
fresh database.
"""

from __future__ import annotations

import ast
import configparser
import importlib
import importlib.util
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import peewee
import pytest

import sro_desk
from sro_desk.services import smoke

ROOT = Path(__file__).resolve().parent.parent
INSTALLERS = ROOT / "installers"


def _load(name: str, path: Path) -> ModuleType:
    """installers/*.py by path, under a name no installed package has (PyPA's is called build)."""
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


build = _load("sro_desk_installers_build", INSTALLERS / "build.py")  # puts installers/ on sys.path
bundle = sys.modules["bundle"]

SPEC = INSTALLERS / "sro_desk.spec"


# ---------------------------------------------------------------------------------------------
# The spec
# ---------------------------------------------------------------------------------------------
def test_spec_is_python_and_uses_the_shared_rules() -> None:
    text = SPEC.read_text(encoding="utf-8")
    tree = ast.parse(text, filename=str(SPEC))
    calls = {node.func.id for node in ast.walk(tree) if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)}
    assert {"Analysis", "PYZ", "EXE", "COLLECT", "BUNDLE", "collect_submodules"} <= calls
    assert 'collect_submodules("sro_desk")' in text
    assert "datas=bundle.data_files(ROOT)" in text
    assert "excludes=list(bundle.EXCLUDED_MODULES)" in text
    assert "bundle.split_toc" in text and "bundle.orphans" in text
    assert "installers\" / \"launcher.py" in text


def test_launcher_runs_the_cli() -> None:
    tree = ast.parse((INSTALLERS / "launcher.py").read_text(encoding="utf-8"))
    imported = {(n.module, a.name) for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) for a in n.names}
    assert ("sro_desk.cli", "main") in imported


def _declared() -> dict[str, str]:
    """Bundle path of each declared data file -> its source."""
    return {f"{dest}/{Path(source).name}": source for source, dest in bundle.data_files()}


def test_every_resource_ships_in_the_resources_package() -> None:
    declared = _declared()
    resources = ROOT / "resources"
    expected = {
        "sro_desk/resources/" + p.relative_to(resources).as_posix()
        for p in resources.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.name != "__init__.py"
    }
    assert expected, "resources/ is empty?"
    assert expected <= set(declared)
    for name in ("catalogs/training_requirements.json", "icons/sro-desk.png", "templates/family_handout.md"):
        assert f"sro_desk/resources/{name}" in declared
    # The package itself is compiled into the archive by the spec (importlib.resources needs it).
    assert bundle.RESOURCES_PACKAGE == "sro_desk.resources"
    assert "a.pure.append((bundle.RESOURCES_PACKAGE" in SPEC.read_text(encoding="utf-8")


def test_migrations_ship_as_data_where_the_runner_globs() -> None:
    from sro_desk.store import database

    declared = _declared()
    folder = Path(database.MIGRATIONS_DIR).relative_to(Path(sro_desk.__file__).parent.parent).as_posix()
    assert folder == "sro_desk/store/migrations"
    known = database.migration_names()
    assert known
    for name in known:
        assert f"{folder}/{name}.py" in declared


def test_user_guide_ships_where_docs_dir_looks() -> None:
    declared = _declared()
    assert "sro_desk/docs/user-guide.md" in declared
    # paths.docs_dir() tries <package>/docs when the checkout's docs/ is not beside the package.
    source = (ROOT / "sro_desk" / "paths.py").read_text(encoding="utf-8")
    assert 'here / "docs"' in source
    for path in sorted((ROOT / "docs" / "images").glob("*")):
        if path.is_file():
            assert f"sro_desk/docs/images/{path.name}" in declared


def test_missing_guide_images_are_found(tmp_path: Path) -> None:
    (tmp_path / "docs" / "images").mkdir(parents=True)
    (tmp_path / "docs" / "user-guide.md").write_text("![a](images/a.png)\n![b](images/b.png)\n", encoding="utf-8")
    (tmp_path / "docs" / "images" / "a.png").write_bytes(b"png")
    assert bundle.missing_guide_images(tmp_path) == ["images/b.png"]


def test_icons_for_each_os_exist() -> None:
    for kind in ("ico", "icns", "png"):
        assert Path(bundle.icon(kind)).stat().st_size > 0
    for size in (16, 24, 32, 48, 64, 128, 256, 512):  # the .deb's hicolor icons
        assert (ROOT / "resources" / "icons" / f"sro-desk-{size}.png").is_file()


# ---------------------------------------------------------------------------------------------
# What the bundle leaves out
# ---------------------------------------------------------------------------------------------
def _qt_modules_imported() -> set[str]:
    found: set[str] = set()
    for path in (ROOT / "sro_desk").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            found.update(n.split(".")[1] for n in names if n.startswith("PySide6."))
    return found


def test_app_uses_only_the_qt_modules_the_bundle_keeps() -> None:
    used = _qt_modules_imported()
    assert used <= set(bundle.QT_MODULES_USED), (
        f"the app now imports {sorted(used - set(bundle.QT_MODULES_USED))}: "
        "add them to QT_MODULES_USED in installers/bundle.py (and out of QT_MODULES_UNUSED)"
    )
    assert not set(bundle.QT_MODULES_USED) & set(bundle.QT_MODULES_UNUSED)


def test_runtime_dependencies_are_not_excluded() -> None:
    excluded = set(bundle.EXCLUDED_MODULES)
    for needed in ("sro_desk", "peewee", "playhouse", "openpyxl", "reportlab", "PIL", "platformdirs",
                   "dateutil", "icalendar", "sqlite3", "PySide6.QtCore", "PySide6.QtGui", "PySide6.QtWidgets"):
        assert needed not in excluded


@pytest.mark.parametrize("dest", [
    "PySide6/Qt/plugins/platforms/libqxcb.so",
    "PySide6/Qt/plugins/platforms/libqwayland.so",
    "PySide6/Qt/plugins/platforms/libqoffscreen.so",
    "PySide6/plugins/platforms/qwindows.dll",
    "PySide6/Qt/plugins/platforms/libqcocoa.dylib",
    "PySide6/plugins/styles/qmodernwindowsstyle.dll",
    "PySide6/Qt/plugins/styles/libqmacstyle.dylib",
    "PySide6/Qt/plugins/platforminputcontexts/libcomposeplatforminputcontextplugin.so",
    "PySide6/Qt/plugins/platformthemes/libqxdgdesktopportal.so",
    "PySide6/Qt/plugins/xcbglintegrations/libqxcb-glx-integration.so",
    "PySide6/Qt/plugins/wayland-shell-integration/libxdg-shell.so",
    "PySide6/Qt/plugins/wayland-decoration-client/libadwaita.so",
    "PySide6/Qt/lib/libQt6Core.so.6",
    "PySide6/Qt/lib/libQt6Gui.so.6",
    "PySide6/Qt/lib/libQt6Widgets.so.6",
    "PySide6/Qt/lib/libQt6DBus.so.6",
    "PySide6/Qt/lib/libQt6XcbQpa.so.6",
    "PySide6/Qt/lib/libQt6WaylandClient.so.6",
    "PySide6/Qt/lib/libQt6Svg.so.6",  # the adwaita title bars draw SVG
    "PySide6/Qt/lib/libicudata.so.73",
    "PySide6/Qt6Core.dll",
    "PySide6/Qt/lib/QtWidgets.framework/Versions/A/QtWidgets",
    "libpython3.11.so.1.0",
    "sro_desk/resources/icons/sro-desk.png",
    "sro_desk/store/migrations/0001_foundation.py",
])
def test_what_the_app_needs_is_kept(dest: str) -> None:
    typecode = "DATA" if dest.startswith("sro_desk/") else "BINARY"
    assert bundle.why_dropped(dest, typecode) is None


@pytest.mark.parametrize(("dest", "typecode"), [
    ("PySide6/Qt/translations/qtbase_de.qm", "DATA"),
    ("PySide6/translations/qtbase_fr.qm", "DATA"),
    ("PySide6/Qt/plugins/imageformats/libqjpeg.so", "BINARY"),
    ("PySide6/plugins/imageformats/qsvg.dll", "BINARY"),
    ("PySide6/Qt/plugins/iconengines/libqsvgicon.so", "BINARY"),
    ("PySide6/Qt/plugins/platforms/libqvnc.so", "BINARY"),
    ("PySide6/Qt/plugins/platforms/libqeglfs.so", "BINARY"),
    ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", "BINARY"),
    ("PySide6/Qt/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so", "BINARY"),
    ("PySide6/Qt/plugins/generic/libqevdevmouseplugin.so", "BINARY"),
    ("PySide6/Qt/plugins/wayland-shell-integration/libivi-shell.so", "BINARY"),
    ("PySide6/Qt/plugins/tls/libqopensslbackend.so", "BINARY"),
    ("PySide6/Qt/lib/libQt6Quick.so.6", "BINARY"),
    ("PySide6/Qt/lib/libQt6Network.so.6", "BINARY"),
    ("PySide6/Qt/lib/libQt6EglFSDeviceIntegration.so.6", "BINARY"),
    ("libQt6Quick.so.6", "SYMLINK"),
    ("PySide6/Qt6Pdf.dll", "BINARY"),
    ("PySide6/Qt/lib/QtQuick.framework/Resources/Info.plist", "DATA"),
    ("PySide6/Qt/qml/QtQuick/qmldir", "DATA"),
])
def test_what_the_app_does_not_use_is_dropped(dest: str, typecode: str) -> None:
    assert bundle.why_dropped(dest, typecode)


def test_split_toc_keeps_order_and_gives_reasons() -> None:
    toc = [("a/PySide6/Qt/translations/x.qm", "/src/x.qm", "DATA"), ("sro_desk/x.json", "/src/x.json", "DATA")]
    kept, dropped = bundle.split_toc(toc)
    assert kept == [toc[1]]
    assert dropped[0][0] == toc[0] and "translations" in dropped[0][1]


def test_orphans_are_libraries_only_dropped_binaries_needed() -> None:
    links = {
        "/s/plugin_gtk.so": ["/s/libgtk.so", "/s/libglib.so"],
        "/s/libgtk.so": ["/s/libpango.so", "/s/libglib.so"],
        "/s/libpango.so": [],
        "/s/qxcb.so": ["/s/libQt6Gui.so", "/s/libglib.so"],
        "/s/libQt6Gui.so": [],
        "/s/libglib.so": [],
    }
    kept = [
        ("libgtk.so", "/s/libgtk.so", "BINARY"),
        ("libpango.so", "/s/libpango.so", "BINARY"),
        ("libglib.so", "/s/libglib.so", "BINARY"),
        ("qxcb.so", "/s/qxcb.so", "BINARY"),
        ("libQt6Gui.so", "/s/libQt6Gui.so", "BINARY"),
        ("libpango.so.1", "libpango.so", "SYMLINK"),
    ]
    dropped = [("plugin_gtk.so", "/s/plugin_gtk.so", "BINARY")]
    gone = bundle.orphans(kept, dropped, lambda source: links.get(source, []))
    assert sorted(entry[0] for entry in gone) == ["libgtk.so", "libpango.so", "libpango.so.1"]


def test_size_helpers(tmp_path: Path) -> None:
    (tmp_path / "a").write_bytes(b"x" * 10)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b").write_bytes(b"x" * 5)
    assert bundle.size_of(tmp_path) == 15
    assert bundle.size_of(tmp_path / "a") == 10
    assert bundle.megabytes(141_234_567) == "141.2 MB"


# ---------------------------------------------------------------------------------------------
# One version, everywhere
# ---------------------------------------------------------------------------------------------
def test_version_has_one_source() -> None:
    assert bundle.read_version() == sro_desk.__version__
    main_window = (ROOT / "sro_desk" / "ui" / "main_window.py").read_text(encoding="utf-8")
    assert "__version__" in main_window  # the About box
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'version = { attr = "sro_desk.__version__" }' in pyproject


def test_no_installer_file_writes_the_version_itself() -> None:
    version = sro_desk.__version__
    files = [p for p in INSTALLERS.rglob("*") if p.is_file() and p.suffix not in (".png", ".ico", ".icns", ".pyc")]
    files.append(ROOT / ".github" / "workflows" / "installers.yml")
    for path in files:
        assert version not in path.read_text(encoding="utf-8", errors="replace"), path


def test_cli_reports_the_version(capsys: pytest.CaptureFixture[str]) -> None:
    from sro_desk.cli import main

    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == f"SRO Desk {sro_desk.__version__}"


@pytest.mark.parametrize(("version", "numbers"), [
    ("0.1.0", (0, 1, 0, 0)), ("2.10.3rc1", (2, 10, 3, 0)), ("1.0.0.post2", (1, 0, 0, 0)),
])
def test_windows_version_numbers(version: str, numbers: tuple[int, ...]) -> None:
    assert bundle.windows_version(version) == numbers


def test_read_version_refuses_a_non_release(tmp_path: Path) -> None:
    (tmp_path / "sro_desk").mkdir()
    (tmp_path / "sro_desk" / "__init__.py").write_text('__version__ = "soon"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="not a release version"):
        bundle.read_version(tmp_path)


# ---------------------------------------------------------------------------------------------
# Linux desktop entry and .deb control file; Windows and macOS scripts; CI
# ---------------------------------------------------------------------------------------------
DESKTOP_KEYS = {
    "Type", "Version", "Name", "GenericName", "NoDisplay", "Comment", "Icon", "Hidden", "OnlyShowIn",
    "NotShowIn", "DBusActivatable", "TryExec", "Exec", "Path", "Terminal", "Actions", "MimeType",
    "Categories", "Implements", "Keywords", "StartupNotify", "StartupWMClass", "URL", "PrefersNonDefaultGPU",
    "SingleMainWindow",
}


def _desktop(text: str) -> dict[str, str]:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read_string(text)
    assert parser.sections() == ["Desktop Entry"]
    return dict(parser["Desktop Entry"])


def test_desktop_entry_has_valid_keys() -> None:
    entry = _desktop(build.desktop_entry("sro-desk", "sro-desk"))
    assert entry["Type"] == "Application"
    assert entry["Name"] == "SRO Desk"
    assert entry["Exec"] == "sro-desk"
    assert entry["Icon"] == "sro-desk"
    assert entry["Terminal"] == "false"
    assert entry["Version"] in ("1.0", "1.1", "1.2", "1.3", "1.4", "1.5")
    assert entry["Categories"].endswith(";") and entry["Keywords"].endswith(";")
    assert entry["X-SRO-Desk-Version"] == sro_desk.__version__
    unknown = {key for key in entry if key not in DESKTOP_KEYS and not key.startswith("X-")}
    assert unknown == set()


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None, reason="desktop-file-utils not installed")
def test_desktop_entry_passes_desktop_file_validate(tmp_path: Path) -> None:
    path = tmp_path / "sro-desk.desktop"
    path.write_text(build.desktop_entry("sro-desk", "sro-desk"), encoding="utf-8")
    result = subprocess.run(["desktop-file-validate", str(path)], capture_output=True, text=True, check=False)
    assert result.returncode == 0 and result.stdout == "", result.stdout


def test_menu_entry_script_for_the_tarball(tmp_path: Path) -> None:
    if shutil.which("sh") is None:
        pytest.skip("no POSIX shell")
    folder = tmp_path / "unpacked here" / "sro-desk-x"
    folder.mkdir(parents=True)
    shutil.copy2(INSTALLERS / "linux" / "install-menu-entry.sh", folder)
    (folder / "sro-desk.desktop").write_text(build.desktop_entry("sro-desk", "sro-desk"), encoding="utf-8")
    (folder / "sro-desk.png").write_bytes(b"png")
    data = tmp_path / "data"
    env = {"HOME": str(tmp_path), "XDG_DATA_HOME": str(data), "PATH": "/usr/bin:/bin"}
    subprocess.run(["sh", str(folder / "install-menu-entry.sh")], check=True, env=env, capture_output=True)
    entry = _desktop((data / "applications" / "sro-desk.desktop").read_text(encoding="utf-8"))
    assert entry["Exec"] == f'"{folder}/sro-desk"'
    assert entry["Icon"] == str(data / "icons" / "hicolor" / "256x256" / "apps" / "sro-desk.png")
    subprocess.run(["sh", str(folder / "install-menu-entry.sh"), "--remove"], check=True, env=env, capture_output=True)
    assert not (data / "applications" / "sro-desk.desktop").exists()


def test_debian_control_template() -> None:
    text = (INSTALLERS / "linux" / "control").read_text(encoding="utf-8")
    fields = dict(line.split(": ", 1) for line in text.splitlines() if line and not line.startswith(" "))
    assert fields["Package"] == bundle.EXE_NAME
    assert {fields["Version"], fields["Architecture"], fields["Installed-Size"], fields["Depends"]} == {
        "@VERSION@", "@ARCH@", "@SIZE@", "@DEPENDS@"}
    assert "Description" in fields and "Maintainer" in fields


def test_inno_setup_script_is_per_user_and_keeps_data() -> None:
    text = (INSTALLERS / "windows" / "sro_desk.iss").read_text(encoding="utf-8")
    assert re.search(r"^PrivilegesRequired=lowest$", text, re.MULTILINE)
    assert "PrivilegesRequiredOverridesAllowed" not in text
    assert re.search(r"^DefaultDirName=\{autopf\}", text, re.MULTILINE)
    assert re.search(r'^Name: "\{autoprograms\}\\\{#AppName\}"; Filename: "\{app\}\\\{#AppExe\}"', text, re.MULTILINE)
    assert '#define AppExe "SRO Desk.exe"' in text  # the windowed executable the spec makes on Windows
    assert "[UninstallDelete]" not in text.replace("No [UninstallDelete]", "")
    assert "{#AppVersion}" in text and "#error" in text
    base = re.search(r"^OutputBaseFilename=(.+)$", text, re.MULTILINE)
    assert base is not None
    assert base[1].replace("{#AppVersion}", "9.8.7") + ".exe" == bundle.installer_names("9.8.7", "x86_64", "amd64")["windows"]


def test_installer_names_carry_the_version() -> None:
    names = bundle.installer_names("9.8.7", "x86_64", "amd64")
    assert names == {
        "tarball": "sro-desk-9.8.7-linux-x86_64.tar.gz",
        "deb": "sro-desk_9.8.7_amd64.deb",
        "windows": "sro-desk-9.8.7-windows-x64-setup.exe",
        "dmg": "sro-desk-9.8.7-macos-x86_64.dmg",
    }


def test_macos_script_and_workflow() -> None:
    dmg = (INSTALLERS / "macos" / "make_dmg.sh").read_text(encoding="utf-8")
    assert dmg.startswith("#!/usr/bin/env bash") and "hdiutil create" in dmg and "/Applications" in dmg
    workflow = (ROOT / ".github" / "workflows" / "installers.yml").read_text(encoding="utf-8")
    for runner in ("ubuntu-", "windows-", "macos-"):
        assert f"runs-on: {runner}" in workflow
    assert workflow.count("run: python installers/build.py --check") == 3
    assert "--deb-install-test" in workflow


# ---------------------------------------------------------------------------------------------
# dist-check's judgement of stderr
# ---------------------------------------------------------------------------------------------
def test_only_known_qt_noise_is_allowed_on_stderr() -> None:
    assert build.unexpected_stderr("This plugin does not support propagateSizeHints()\n\n") == []
    assert build.unexpected_stderr("Traceback (most recent call last):\n") == ["Traceback (most recent call last):"]
    assert build.unexpected_stderr("qt.qpa.plugin: Could not load the Qt platform plugin") != []


# ---------------------------------------------------------------------------------------------
# The smoke run's exports
# ---------------------------------------------------------------------------------------------
def test_smoke_exports_on_a_fresh_database(db: peewee.SqliteDatabase, tmp_path: Path) -> None:
    results = smoke.smoke_exports(tmp_path / "out")
    ran = {r.name: r for r in results if r.ran}
    assert {"roster.xlsx", "roster.pdf"} <= set(ran)
    assert {r.kind for r in ran.values()} == set(smoke.KINDS)
    for result in ran.values():
        assert result.path is not None and result.path.parent == tmp_path / "out"
        smoke.check_file(result.path, result.kind)
    line = smoke.describe(results)
    assert line.startswith(f"smoke exports: {len(ran)} written: roster.xlsx, roster.pdf")


def test_smoke_exports_read_back(db: peewee.SqliteDatabase, tmp_path: Path) -> None:
    from openpyxl import load_workbook
    from pypdf import PdfReader

    smoke.smoke_exports(tmp_path)
    workbook = load_workbook(tmp_path / "roster.xlsx", read_only=True)
    assert workbook.sheetnames
    workbook.close()
    assert len(PdfReader(str(tmp_path / "roster.pdf")).pages) >= 1


def test_run_smoke_exports_cleans_up(db: peewee.SqliteDatabase) -> None:
    line = smoke.run_smoke_exports()
    assert "roster.xlsx" in line and "json" in line


def test_a_feature_not_in_the_build_is_skipped_not_fatal(db: peewee.SqliteDatabase, tmp_path: Path) -> None:
    absent = smoke._Source("sro_desk.services.no_such_feature", "export", (("x.json", "json"),),
                           lambda fn, paths: fn())
    results = smoke.smoke_exports(tmp_path, (*smoke.SOURCES, absent))
    skipped = [r for r in results if not r.ran]
    assert [r.name for r in skipped] == ["x.json"]
    assert "not in this build" in skipped[0].skipped
    assert "skipped: x.json" in smoke.describe(results)


def test_a_kind_nobody_wrote_fails(db: peewee.SqliteDatabase, tmp_path: Path) -> None:
    roster_only = tuple(s for s in smoke.SOURCES if s.module.endswith("roster_export"))
    with pytest.raises(smoke.SmokeExportError, match="json"):
        smoke.smoke_exports(tmp_path, roster_only)


def test_a_missing_dependency_inside_a_feature_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(name: str) -> object:
        raise ModuleNotFoundError("No module named 'openpyxl'", name="openpyxl")

    monkeypatch.setattr(importlib, "import_module", broken)
    with pytest.raises(ModuleNotFoundError):
        smoke._lookup("sro_desk.services.roster_export", "export_roster")


@pytest.mark.parametrize(("kind", "data"), [
    ("xlsx", b"not a zip"), ("pdf", b"%PDF-1.4 truncated"), ("json", b"{nope"), ("xlsx", b""),
])
def test_broken_files_are_caught(tmp_path: Path, kind: str, data: bytes) -> None:
    path = tmp_path / f"file.{kind}"
    path.write_bytes(data)
    with pytest.raises(smoke.SmokeExportError):
        smoke.check_file(path, kind)


# ---------------------------------------------------------------------------------------------
# Linux packaging on a stand-in folder (the real one is built by `make dist`)
# ---------------------------------------------------------------------------------------------
def _fake_build(tmp_path: Path) -> Path:
    folder = tmp_path / "sro-desk"
    (folder / "_internal" / "sro_desk").mkdir(parents=True)
    program = folder / "sro-desk"
    program.write_text("#!/bin/sh\necho frozen\n", encoding="utf-8")
    program.chmod(0o755)
    (folder / "_internal" / "sro_desk" / "data.json").write_text("{}", encoding="utf-8")
    (folder / "_internal" / "libfoo.so.1").symlink_to("sro_desk/data.json")
    return folder


def test_tarball_holds_the_folder_desktop_file_icon_and_script(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tarfile

    monkeypatch.setattr(build, "DIST", tmp_path / "dist")
    (tmp_path / "dist").mkdir()
    out = build.make_tarball(_fake_build(tmp_path), "9.8.7")
    assert out.name.startswith("sro-desk-9.8.7-linux-") and out.name.endswith(".tar.gz")
    with tarfile.open(out) as archive:
        members = {m.name: m for m in archive.getmembers()}
    top = "sro-desk-9.8.7"
    for name in ("sro-desk", "sro-desk.desktop", "sro-desk.png", "install-menu-entry.sh", "_internal/libfoo.so.1"):
        assert f"{top}/{name}" in members
    assert members[f"{top}/sro-desk"].mode & 0o111
    assert members[f"{top}/install-menu-entry.sh"].mode & 0o111
    assert members[f"{top}/_internal/libfoo.so.1"].issym()
    assert {m.uname for m in members.values()} == {"root"}


@pytest.mark.skipif(shutil.which("dpkg-deb") is None, reason="dpkg-deb not installed")
def test_deb_installs_to_opt_with_launcher_menu_entry_and_icons(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(build, "DIST", tmp_path / "dist")
    (tmp_path / "dist").mkdir()
    deb = build.make_deb(_fake_build(tmp_path), "9.8.7")
    assert deb.name == f"sro-desk_9.8.7_{build.debian_architecture()}.deb"
    info = subprocess.run(["dpkg-deb", "--field", str(deb)], capture_output=True, text=True, check=True).stdout
    fields = dict(line.split(": ", 1) for line in info.splitlines() if ": " in line)
    assert fields["Package"] == "sro-desk" and fields["Version"] == "9.8.7"
    assert fields["Depends"].startswith("libc6 (>= ")
    assert int(fields["Installed-Size"]) >= 1
    listing = subprocess.run(["dpkg-deb", "--contents", str(deb)], capture_output=True, text=True, check=True).stdout
    entries = {line.split()[-1] if " -> " not in line else line.split()[-3]: line for line in listing.splitlines()}
    assert entries["./usr/bin/sro-desk"].startswith("-rwxr-xr-x root/root")
    assert entries["./opt/sro-desk/sro-desk"].startswith("-rwxr-xr-x root/root")
    assert entries["./opt/sro-desk/_internal/sro_desk/data.json"].startswith("-rw-r--r-- root/root")
    assert "./usr/share/applications/sro-desk.desktop" in entries
    for size in (16, 48, 256, 512):
        assert f"./usr/share/icons/hicolor/{size}x{size}/apps/sro-desk.png" in entries
    unpacked = tmp_path / "unpacked"
    subprocess.run(["dpkg-deb", "--extract", str(deb), str(unpacked)], check=True)
    launcher = (unpacked / "usr" / "bin" / "sro-desk").read_text(encoding="utf-8")
    assert launcher == '#!/bin/sh\nexec /opt/sro-desk/sro-desk "$@"\n'
    entry = _desktop((unpacked / "usr" / "share" / "applications" / "sro-desk.desktop").read_text(encoding="utf-8"))
    assert entry["Exec"] == "sro-desk" and entry["Icon"] == "sro-desk"
