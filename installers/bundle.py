"""What goes into the frozen SRO Desk and what is left out: shared by the spec, build.py and tests.

Plain Python with no PyInstaller import, so ``tests/test_installers.py`` can check the rules in
milliseconds. The spec (``installers/sro_desk.spec``) applies them; ``installers/build.py`` drives
PyInstaller and the per-OS packaging.
"""

from __future__ import annotations

import ast
import os
import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path, PurePosixPath

ROOT = Path(__file__).resolve().parent.parent
APP_NAME = "SRO Desk"
EXE_NAME = "sro-desk"  # the executable, the folder in dist/, the Linux package name
BUNDLE_ID = "org.sro-desk.SRODesk"  # macOS CFBundleIdentifier
DESCRIPTION = "Desktop office for a Washington school district's safety and security staff program"

# ---------------------------------------------------------------------------------------------
# Version: sro_desk.__version__ is the one place it is written.
# ---------------------------------------------------------------------------------------------
_VERSION = re.compile(r"^\d+\.\d+\.\d+(?:(?:a|b|rc)\d+)?(?:\.post\d+)?(?:\.dev\d+)?$")


def read_version(root: Path = ROOT) -> str:
    """``sro_desk.__version__`` read from the source without importing the package."""
    tree = ast.parse((root / "sro_desk" / "__init__.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "__version__" for t in node.targets
        ):
            value = ast.literal_eval(node.value)
            if isinstance(value, str) and _VERSION.match(value):
                return value
            raise ValueError(f"sro_desk.__version__ = {value!r} is not a release version like 1.2.3")
    raise ValueError("sro_desk/__init__.py does not set __version__")


def windows_version(version: str) -> tuple[int, int, int, int]:
    """The four numbers Windows wants in a version resource (1.2.3rc1 -> 1.2.3.0)."""
    match = re.match(r"(\d+)\.(\d+)\.(\d+)", version)
    if match is None:
        raise ValueError(f"{version!r} is not a version like 1.2.3")
    major, minor, patch = (int(part) for part in match.groups())
    return (major, minor, patch, 0)


# ---------------------------------------------------------------------------------------------
# Data files: (source file, folder inside the bundle). The bundle mirrors an installed wheel:
# resources/ becomes the package sro_desk.resources, migrations stay beside the store because the
# Runner globs that folder, and the user guide sits in sro_desk/docs where paths.docs_dir() looks.
# ---------------------------------------------------------------------------------------------
RESOURCES_PACKAGE = "sro_desk.resources"


def _files(folder: Path, pattern: str = "**/*") -> list[Path]:
    return sorted(
        p for p in folder.glob(pattern)
        if p.is_file() and "__pycache__" not in p.parts and p.suffix not in (".pyc", ".pyo")
    )


def data_files(root: Path = ROOT) -> list[tuple[str, str]]:
    """Every data file the frozen program reads, as PyInstaller ``datas`` entries."""
    entries: list[tuple[str, str]] = []
    resources = root / "resources"
    for path in _files(resources):
        if path.name == "__init__.py":
            continue  # compiled into the archive as the package sro_desk.resources (see the spec)
        rel = path.parent.relative_to(resources)
        entries.append((str(path), str(PurePosixPath("sro_desk", "resources", *rel.parts))))
    for path in _files(root / "sro_desk" / "store" / "migrations", "*.py"):
        entries.append((str(path), "sro_desk/store/migrations"))
    entries.append((str(root / "docs" / "user-guide.md"), "sro_desk/docs"))
    for path in _files(root / "docs" / "images"):
        entries.append((str(path), "sro_desk/docs/images"))
    return entries


def missing_guide_images(root: Path = ROOT) -> list[str]:
    """Pictures the user guide shows that docs/images does not have (``make screenshots``)."""
    text = (root / "docs" / "user-guide.md").read_text(encoding="utf-8")
    wanted = re.findall(r"!\[[^\]]*\]\((images/[^)\s]+)\)", text)
    return sorted({name for name in wanted if not (root / "docs" / name).is_file()})


def installer_names(version: str, arch: str, deb_arch: str) -> dict[str, str]:
    """The file names of the installers, each carrying the version (``arch``: x86_64/arm64)."""
    return {
        "tarball": f"{EXE_NAME}-{version}-linux-{arch}.tar.gz",
        "deb": f"{EXE_NAME}_{version}_{deb_arch}.deb",
        "windows": f"{EXE_NAME}-{version}-windows-x64-setup.exe",  # OutputBaseFilename in the .iss
        "dmg": f"{EXE_NAME}-{version}-macos-{arch}.dmg",
    }


def icon(kind: str, root: Path = ROOT) -> str:
    """The application icon for an OS: ``ico`` (Windows), ``icns`` (macOS) or ``png`` (Linux)."""
    path = root / "resources" / "icons" / f"sro-desk.{kind}"
    if not path.is_file():
        raise FileNotFoundError(path)
    return str(path)


# ---------------------------------------------------------------------------------------------
# Python modules left out: SRO Desk uses QtCore, QtGui and QtWidgets only (a test keeps it so),
# and nothing from the standard library's GUI, test or dev tooling.
# ---------------------------------------------------------------------------------------------
QT_MODULES_USED = ("QtCore", "QtGui", "QtWidgets")
QT_MODULES_UNUSED = (
    "Qt3DAnimation", "Qt3DCore", "Qt3DExtras", "Qt3DInput", "Qt3DLogic", "Qt3DRender", "QtAxContainer",
    "QtBluetooth", "QtCharts", "QtConcurrent", "QtDataVisualization", "QtDBus", "QtDesigner",
    "QtGraphs", "QtGraphsWidgets", "QtHelp", "QtHttpServer", "QtLabsStyleKit", "QtLocation",
    "QtMultimedia", "QtMultimediaWidgets", "QtNetwork", "QtNetworkAuth", "QtNfc", "QtOpenGL",
    "QtOpenGLWidgets", "QtPdf", "QtPdfWidgets", "QtPositioning", "QtPrintSupport", "QtQml",
    "QtQmlFeatures", "QtQuick", "QtQuick3D", "QtQuickControls2", "QtQuickTest", "QtQuickWidgets",
    "QtRemoteObjects", "QtScxml", "QtSensors", "QtSerialBus", "QtSerialPort", "QtSpatialAudio",
    "QtSql", "QtStateMachine", "QtSvg", "QtSvgWidgets", "QtTest", "QtTextToSpeech", "QtUiTools",
    "QtWebChannel", "QtWebEngineCore", "QtWebEngineQuick", "QtWebEngineWidgets", "QtWebSockets",
    "QtWebView", "QtXml",
)
EXCLUDED_MODULES = (
    *(f"PySide6.{name}" for name in QT_MODULES_UNUSED),
    "tkinter", "_tkinter", "turtle", "turtledemo", "idlelib", "pydoc_data", "lib2to3", "ensurepip",
    "venv", "test", "unittest", "doctest", "pdb",
    # developer and test tooling that may sit in the same virtual environment
    "pytest", "_pytest", "pytestqt", "hypothesis", "pypdf", "mypy", "ruff", "setuptools", "pip",
    "PyInstaller",
    # Pillow (reportlab imports it) without the AVIF and WebP codecs, colour management and its
    # Qt/Tk bridges: no export embeds a picture, and Pillow treats a missing codec as unsupported.
    "PIL._avif", "PIL.AvifImagePlugin", "PIL._webp", "PIL.WebPImagePlugin", "PIL._imagingcms",
    "PIL.ImageCms", "PIL.ImageQt", "PIL.ImageTk", "PIL._imagingtk",
)

# ---------------------------------------------------------------------------------------------
# Qt plugins and libraries left out. Plugins are named by their path inside the bundle
# (.../plugins/<type>/<file>); a type not in KEPT_PLUGIN_TYPES goes, and within a kept type the
# names in DROPPED_PLUGINS go.
# ---------------------------------------------------------------------------------------------
KEPT_PLUGIN_TYPES = {
    "platforms",  # the window system: xcb/wayland, windows, cocoa, and offscreen for --smoke
    "platformthemes",  # native dialogs and colours (xdg portal on Linux)
    "platforminputcontexts",  # compose key and IBus: typing "José" on a Linux laptop
    "styles",  # Windows 11 and macOS styles
    "xcbglintegrations",  # the xcb plugin asks for one at start
    "wayland-shell-integration",  # xdg-shell: how a window appears on a Wayland desktop
    "wayland-decoration-client",  # title bars drawn by the app (GNOME asks clients to)
    "wayland-graphics-integration-client",  # wayland-egl, in case Qt asks for OpenGL
}
DROPPED_PLUGINS = {
    # embedded-device and remote platforms
    "platforms": ("eglfs", "linuxfb", "minimalegl", "vkkhrdisplay", "vnc", "minimal", "direct2d"),
    # gtk3 links the system GTK stack into the bundle; Qt's built-in GNOME theme covers it
    "platformthemes": ("gtk3",),
    # the virtual keyboard needs QtQuick and QML
    "platforminputcontexts": ("qtvirtualkeyboardplugin",),
    # shells of embedded and Qt-made compositors; desktops speak xdg-shell
    "wayland-shell-integration": ("fullscreen-shell-v1", "ivi-shell", "qt-shell", "wl-shell-plugin"),
    # server-side buffer sharing, for clients of a Qt compositor
    "wayland-graphics-integration-client": (
        "dmabuf-server", "drm-egl-server", "shm-emulation-server", "vulkan-server",
    ),
}
# Qt shared libraries only the dropped plugins and modules need (the app's own code and the kept
# plugins never load them). Matched against the file name without "lib" and extension.
DROPPED_QT_LIBRARIES = re.compile(
    r"^(Qt6?(Quick|Qml|VirtualKeyboard|Pdf|Network|Sql|Test|Designer|Help|Multimedia|WlShellIntegration|"
    r"WaylandCompositor|WaylandEgl|EglFs|Vnc|Charts|Graphs|LabsStyleKit|ShaderTools|Xml|Concurrent|"
    r"PrintSupport|UiTools)\w*)",
    re.IGNORECASE,
)


def _plugin_parts(parts: tuple[str, ...]) -> tuple[str, str] | None:
    """(plugin type, file name) for a path like PySide6/Qt/plugins/<type>/<file>."""
    if "plugins" not in parts:
        return None
    index = len(parts) - 1 - parts[::-1].index("plugins")
    if len(parts) != index + 3 or not _under_qt(parts[:index]):
        return None
    return parts[index + 1], parts[index + 2]


def _under_qt(parts: tuple[str, ...]) -> bool:
    return any(p in ("PySide6", "Qt", "Qt6") for p in parts)


def _stem(file_name: str) -> str:
    """libqxcb.so -> qxcb, qwindows.dll -> qwindows, libQt6Quick.so.6 -> Qt6Quick."""
    name = file_name[3:] if file_name.startswith("lib") else file_name
    return name.split(".")[0]


QT_DEVELOPER_FOLDERS = ("qml", "metatypes", "typesystems", "include", "glue")


def why_dropped(dest: str, typecode: str = "BINARY") -> str | None:
    """Why the bundle leaves out the file at ``dest`` (its path inside the bundle), or ``None``."""
    posix = dest.replace("\\", "/")
    parts = PurePosixPath(posix).parts
    if typecode == "DATA" and _under_qt(parts) and "translations" in parts:
        return "Qt translations (the app installs no QTranslator; its text is English)"
    if _under_qt(parts) and any(p in QT_DEVELOPER_FOLDERS for p in parts[:-1]):
        return "QML and Qt developer files"
    plugin = _plugin_parts(parts)
    if plugin is not None:
        kind, file_name = plugin
        if kind not in KEPT_PLUGIN_TYPES:
            return f"Qt plugin type {kind} (not used)"
        stem = _stem(file_name)
        for dropped in DROPPED_PLUGINS.get(kind, ()):
            if stem in (dropped, f"q{dropped}"):
                return f"Qt {kind} plugin {stem} (not used)"
        return None
    # libQt6Quick.so.6, Qt6Quick.dll, or anything inside QtQuick.framework on macOS
    for part in (parts[-1:] + tuple(p for p in parts if p.endswith(".framework"))) if parts else ():
        stem = _stem(part)
        if stem.startswith("Qt") and DROPPED_QT_LIBRARIES.match(stem):
            return f"Qt library {stem} (only dropped modules and plugins use it)"
    return None


def split_toc(entries: Iterable[tuple[str, str, str]]) -> tuple[list[tuple[str, str, str]], list[tuple[tuple[str, str, str], str]]]:
    """(kept, [(dropped entry, reason)]) for a PyInstaller TOC of (dest, source, typecode)."""
    kept: list[tuple[str, str, str]] = []
    dropped: list[tuple[tuple[str, str, str], str]] = []
    for entry in entries:
        reason = why_dropped(entry[0], entry[2])
        if reason is None:
            kept.append(entry)
        else:
            dropped.append((entry, reason))
    return kept, dropped


Entry = tuple[str, str, str]  # a PyInstaller TOC entry: (path in the bundle, source, typecode)


def orphans(kept: Sequence[Entry], dropped: Sequence[Entry], imports: Callable[[str], Iterable[str]]) -> list[Entry]:
    """Entries of ``kept`` that only the ``dropped`` binaries needed (their link-time dependencies).

    ``imports(source)`` lists the libraries a binary links against (full paths). A library stays
    when anything else that stays links against it, directly or through others. Symbolic links
    go with the library they point to.
    """
    by_source = {os.path.realpath(e[1]): e for e in kept if e[2] != "SYMLINK"}

    def closure(start: Iterable[str]) -> set[str]:
        seen: set[str] = set()
        todo = [os.path.realpath(s) for s in start]
        while todo:
            source = todo.pop()
            for lib in imports(source):
                real = os.path.realpath(lib)
                if real in by_source and real not in seen:
                    seen.add(real)
                    todo.append(real)
        return seen

    candidates = closure(e[1] for e in dropped if e[2] != "SYMLINK")
    roots = [source for source in by_source if source not in candidates]
    needed = closure(roots)
    gone = {by_source[s][0] for s in candidates - needed}
    dropped_dests = gone | {e[0] for e in dropped}
    links = [
        e for e in kept if e[2] == "SYMLINK"
        and str(PurePosixPath(e[0]).parent / e[1]).replace("\\", "/") in dropped_dests
    ]
    return [by_source[s] for s in sorted(candidates - needed)] + links


def size_of(path: str | Path) -> int:
    """Bytes in a file (a link: its target) or in a folder tree (links inside it not counted)."""
    path = Path(path)
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"
