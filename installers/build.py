"""Build SRO Desk's installer for this OS, and check the frozen program works (`make dist[-check]`).

    python installers/build.py            # make dist: PyInstaller one-folder build, then package it
    python installers/build.py --check    # make dist-check: build, then smoke-test and measure it

Packaging by OS (file names carry ``sro_desk.__version__``; everything lands in dist/):
  Linux    sro-desk-<v>-linux-<arch>.tar.gz (folder + .desktop + icon) and sro-desk_<v>_<arch>.deb
  Windows  sro-desk-<v>-windows-x64-setup.exe (Inno Setup's ISCC must be on PATH)
  macOS    "SRO Desk.app" and sro-desk-<v>-macos-<arch>.dmg (installers/macos/make_dmg.sh)

``--check`` runs the frozen program offscreen with ``--smoke --db <fresh temp file>`` (migrations,
every tab, one export of each kind) and fails on a non-zero exit or anything unexpected on stderr;
then reports the folder size (target < 150 MB) and the frozen start-up against the same program run
from source, measured in one run (target <= 1.5x, the approach of benchmarks/startup.py).

``--deb-install-test`` (Linux, root) installs the .deb with dpkg, runs /usr/bin/sro-desk --smoke
from it, and removes the package again.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bundle

ROOT = bundle.ROOT
SPEC = ROOT / "installers" / "sro_desk.spec"
BUILD = ROOT / "build"
DIST = ROOT / "dist"
LINUX_DIR = ROOT / "installers" / "linux"
SIZE_TARGET_MB = 150
STARTUP_TARGET = 1.5

# Lines the offscreen platform prints on stderr that are Qt's, not ours (pyproject's qt_log_ignore).
ALLOWED_STDERR = (re.compile(r"^This plugin does not support propagateSizeHints\(\)$"),)

IS_LINUX = sys.platform.startswith("linux")
IS_WINDOWS = sys.platform == "win32"
IS_MACOS = sys.platform == "darwin"


class CheckFailed(Exception):
    """A release check failed; the message says which and why."""


def say(text: str = "") -> None:
    print(text, flush=True)


def machine() -> str:
    """x86_64 / arm64 as in file names (Debian architectures are worked out separately)."""
    name = platform.machine().lower()
    return {"amd64": "x86_64", "aarch64": "arm64"}.get(name, name)


# ---------------------------------------------------------------------------------------------
# PyInstaller
# ---------------------------------------------------------------------------------------------
def pyinstaller(dist: Path = DIST, work: Path = BUILD, trim: bool = True) -> Path:
    """Run PyInstaller on the spec; the one-folder program (dist/sro-desk)."""
    env = dict(os.environ, SRO_DESK_TRIM="1" if trim else "0")
    command = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
               "--distpath", str(dist), "--workpath", str(work), str(SPEC)]
    say(f"$ {' '.join(command)}")
    started = time.perf_counter()
    subprocess.run(command, check=True, cwd=ROOT, env=env)
    say(f"PyInstaller finished in {time.perf_counter() - started:.0f} s")
    return dist / bundle.EXE_NAME


def executable(folder: Path) -> Path:
    """The command-line executable inside a one-folder build (or inside the .app on macOS)."""
    app = folder.parent / f"{bundle.APP_NAME}.app"
    if IS_MACOS and app.is_dir():
        return app / "Contents" / "MacOS" / bundle.EXE_NAME
    return folder / (bundle.EXE_NAME + (".exe" if IS_WINDOWS else ""))


def trim_summary(work: Path = BUILD) -> list[str]:
    """What the spec left out, by reason, from build/<spec>/trim-report.json."""
    report_path = work / SPEC.stem / "trim-report.json"
    if not report_path.is_file():
        return []
    report = json.loads(report_path.read_text(encoding="utf-8"))
    if not report.get("trimmed"):
        return ["nothing left out (SRO_DESK_TRIM=0)"]
    by_reason: Counter[str] = Counter()
    counts: Counter[str] = Counter()
    for item in report["dropped"]:
        reason = re.sub(r" plugin \S+", " plugins", item["reason"])
        reason = re.sub(r" library \S+", " libraries", reason)
        reason = re.sub(r"plugin type \S+", "plugin types", reason)
        by_reason[reason] += item["bytes"]
        counts[reason] += 1
    return [f"{bundle.megabytes(size):>9}  {counts[reason]:4d} files  {reason}"
            for reason, size in by_reason.most_common()]


# ---------------------------------------------------------------------------------------------
# Linux: .tar.gz and .deb
# ---------------------------------------------------------------------------------------------
def desktop_entry(exec_command: str, icon: str) -> str:
    """installers/linux/sro-desk.desktop with Exec and Icon filled in."""
    text = (LINUX_DIR / "sro-desk.desktop").read_text(encoding="utf-8")
    text = re.sub(r"^Exec=.*$", f"Exec={exec_command}", text, flags=re.MULTILINE)
    text = re.sub(r"^Icon=.*$", f"Icon={icon}", text, flags=re.MULTILINE)
    return text.replace("@VERSION@", bundle.read_version())


def make_tarball(folder: Path, version: str) -> Path:
    """sro-desk-<v>-linux-<arch>.tar.gz: the folder, a .desktop file, the icon and a menu installer."""
    top = f"{bundle.EXE_NAME}-{version}"
    out = DIST / bundle.installer_names(version, machine(), debian_architecture())["tarball"]
    with tempfile.TemporaryDirectory() as temp:
        stage = Path(temp) / top
        shutil.copytree(folder, stage, symlinks=True)
        shutil.copy2(ROOT / "resources" / "icons" / "sro-desk-256.png", stage / "sro-desk.png")
        # Exec/Icon are rewritten to absolute paths by install-menu-entry.sh where it is unpacked.
        (stage / "sro-desk.desktop").write_text(desktop_entry("sro-desk", "sro-desk"), encoding="utf-8")
        script = stage / "install-menu-entry.sh"
        shutil.copy2(LINUX_DIR / "install-menu-entry.sh", script)
        script.chmod(0o755)
        with tarfile.open(out, "w:gz") as archive:
            archive.add(stage, arcname=top, filter=_tar_owner)
    return out


def _tar_owner(info: tarfile.TarInfo) -> tarfile.TarInfo:
    info.uid = info.gid = 0
    info.uname = info.gname = "root"
    return info


def _elf_files(folder: Path) -> list[Path]:
    found = []
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as fh:
                if fh.read(4) == b"\x7fELF":
                    found.append(path)
    return found


def glibc_needed(folder: Path) -> str:
    """The newest GLIBC_x.y symbol version any binary in the folder asks for."""
    versions: set[tuple[int, ...]] = set()
    for path in _elf_files(folder):
        for match in re.finditer(rb"GLIBC_(\d+)\.(\d+)(?:\.(\d+))?", path.read_bytes()):
            versions.add(tuple(int(g) for g in match.groups() if g is not None))
    return ".".join(str(n) for n in max(versions)) if versions else "2.17"


def system_libraries(folder: Path) -> tuple[set[str], set[str]]:
    """(libraries resolved outside the folder, libraries not found) for every ELF file, by ldd.

    ldd runs with the library path the bootloader sets at run time (the bundle's own folders), so a
    library the bundle carries resolves to the bundled copy, not to this machine's.
    """
    outside: set[str] = set()
    missing: set[str] = set()
    inside = str(folder.resolve())
    internal = folder / "_internal"
    lib_dirs = [internal, internal / "PySide6" / "Qt" / "lib"]
    env = dict(os.environ, LD_LIBRARY_PATH=os.pathsep.join(str(d) for d in lib_dirs if d.is_dir()))
    for path in _elf_files(folder):
        result = subprocess.run(["ldd", str(path)], capture_output=True, text=True, check=False, env=env)
        for line in result.stdout.splitlines():
            line = line.strip()
            if "=> not found" in line:
                missing.add(line.split()[0])
            elif "=>" in line:
                target = line.split("=>", 1)[1].split("(")[0].strip()
                if target and not str(Path(target).resolve()).startswith(inside):
                    outside.add(target)
    return outside, missing


def check_linked_libraries(folder: Path) -> list[str]:
    """Fail when a binary in the bundle needs a library the bundle should carry but does not."""
    _outside, missing = system_libraries(folder)
    ours = sorted(m for m in missing if re.match(r"lib(Qt6|pyside6|shiboken6|python3)", m))
    if ours:
        raise CheckFailed("bundled binaries need libraries the bundle left out: " + ", ".join(ours))
    return sorted(missing)


def debian_architecture() -> str:
    try:
        return subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return {"x86_64": "amd64", "arm64": "arm64"}.get(machine(), machine())


def debian_depends(folder: Path) -> list[str]:
    """Depends: glibc at the version the binaries need, plus the packages owning system libraries."""
    depends = [f"libc6 (>= {glibc_needed(folder)})"]
    outside, _missing = system_libraries(folder)
    packages: set[str] = set()
    for lib in sorted(outside):
        result = subprocess.run(["dpkg", "-S", str(Path(lib).resolve())], capture_output=True,
                                text=True, check=False)
        if result.returncode != 0:
            result = subprocess.run(["dpkg", "-S", lib], capture_output=True, text=True, check=False)
        if result.returncode == 0:
            packages.add(result.stdout.split(":", 1)[0].strip())
    packages.discard("libc6")
    return depends + sorted(packages)


def make_deb(folder: Path, version: str) -> Path:
    """sro-desk_<v>_<arch>.deb: /opt/sro-desk, /usr/bin/sro-desk, a menu entry and icons."""
    arch = debian_architecture()
    out = DIST / bundle.installer_names(version, machine(), arch)["deb"]
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp) / "pkg"
        opt = root / "opt" / bundle.EXE_NAME
        shutil.copytree(folder, opt, symlinks=True)
        launcher = root / "usr" / "bin" / bundle.EXE_NAME
        launcher.parent.mkdir(parents=True)
        launcher.write_text(f'#!/bin/sh\nexec /opt/{bundle.EXE_NAME}/{bundle.EXE_NAME} "$@"\n', encoding="utf-8")
        launcher.chmod(0o755)
        apps = root / "usr" / "share" / "applications"
        apps.mkdir(parents=True)
        (apps / "sro-desk.desktop").write_text(desktop_entry("sro-desk", "sro-desk"), encoding="utf-8")
        for size in (16, 24, 32, 48, 64, 128, 256, 512):
            icon_dir = root / "usr" / "share" / "icons" / "hicolor" / f"{size}x{size}" / "apps"
            icon_dir.mkdir(parents=True)
            shutil.copy2(ROOT / "resources" / "icons" / f"sro-desk-{size}.png", icon_dir / "sro-desk.png")
        doc = root / "usr" / "share" / "doc" / bundle.EXE_NAME
        doc.mkdir(parents=True)
        (doc / "copyright").write_text(
            "SRO Desk\nLicense: MIT\n\nThe program bundles Python, Qt (LGPLv3, via PySide6) and other "
            "libraries under their own licences; see /opt/sro-desk/_internal.\n", encoding="utf-8")
        for path in root.rglob("*"):
            if path.is_symlink():
                continue
            if path.is_dir():
                path.chmod(0o755)
            else:
                path.chmod(0o755 if os.access(path, os.X_OK) else 0o644)
        installed_kb = (bundle.size_of(root) + 1023) // 1024
        control_dir = root / "DEBIAN"
        control_dir.mkdir()
        control = (LINUX_DIR / "control").read_text(encoding="utf-8")
        control = (control.replace("@VERSION@", version).replace("@ARCH@", arch)
                   .replace("@SIZE@", str(installed_kb))
                   .replace("@DEPENDS@", ", ".join(debian_depends(folder))))
        (control_dir / "control").write_text(control, encoding="utf-8")
        subprocess.run(["dpkg-deb", "--root-owner-group", "-Zxz", "--build", str(root), str(out)],
                       check=True, stdout=subprocess.DEVNULL)
    return out


def deb_install_test(deb: Path) -> None:
    """Install the .deb on this machine, smoke-test /usr/bin/sro-desk, remove the package."""
    if os.geteuid() != 0:
        raise CheckFailed("--deb-install-test needs root (dpkg -i)")
    say(f"$ dpkg -i {deb.name}")
    subprocess.run(["dpkg", "-i", str(deb)], check=True)
    try:
        for path in ("/usr/bin/sro-desk", "/opt/sro-desk/sro-desk", "/usr/share/applications/sro-desk.desktop",
                     "/usr/share/icons/hicolor/256x256/apps/sro-desk.png"):
            if not Path(path).exists():
                raise CheckFailed(f"the package did not install {path}")
        if shutil.which("desktop-file-validate"):
            subprocess.run(["desktop-file-validate", "/usr/share/applications/sro-desk.desktop"], check=True)
        say(smoke(Path("/usr/bin/sro-desk")))
    finally:
        say(f"$ dpkg -r {bundle.EXE_NAME}")
        subprocess.run(["dpkg", "-r", bundle.EXE_NAME], check=True)
    if Path("/opt/sro-desk").exists() or Path("/usr/bin/sro-desk").exists():
        raise CheckFailed("dpkg -r left /opt/sro-desk or /usr/bin/sro-desk behind")


# ---------------------------------------------------------------------------------------------
# Windows and macOS
# ---------------------------------------------------------------------------------------------
def make_windows_setup(folder: Path, version: str) -> Path | None:
    places = (Path(os.environ.get("PROGRAMFILES(X86)", "C:/Program Files (x86)")) / "Inno Setup 6" / "ISCC.exe",
              Path(os.environ.get("LOCALAPPDATA", "C:/")) / "Programs" / "Inno Setup 6" / "ISCC.exe")
    iscc = shutil.which("iscc") or next((str(p) for p in places if p.is_file()), None)
    if iscc is None:
        say("Inno Setup (ISCC.exe) not found: skipping the Windows installer")
        return None
    script = ROOT / "installers" / "windows" / "sro_desk.iss"
    numeric = ".".join(str(n) for n in bundle.windows_version(version))
    subprocess.run([iscc, f"/DAppVersion={version}", f"/DAppVersionNumeric={numeric}", f"/DDistDir={folder}",
                    f"/O{DIST}", str(script)], check=True)
    return DIST / bundle.installer_names(version, machine(), "")["windows"]


def make_dmg(version: str) -> Path:
    app = DIST / f"{bundle.APP_NAME}.app"
    out = DIST / bundle.installer_names(version, machine(), "")["dmg"]
    subprocess.run(["bash", str(ROOT / "installers" / "macos" / "make_dmg.sh"), str(app), str(out)], check=True)
    return out


def package(folder: Path, version: str) -> list[Path]:
    made: list[Path] = []
    if IS_LINUX:
        made.append(make_tarball(folder, version))
        if shutil.which("dpkg-deb"):
            made.append(make_deb(folder, version))
        else:
            say("dpkg-deb not found: skipping the .deb")
    elif IS_WINDOWS:
        setup = make_windows_setup(folder, version)
        if setup is not None:
            made.append(setup)
    elif IS_MACOS:
        made.append(make_dmg(version))
    return made


# ---------------------------------------------------------------------------------------------
# Checks
# ---------------------------------------------------------------------------------------------
def isolated_env(home: Path, qpa: str = "offscreen") -> dict[str, str]:
    """Offscreen (or ``qpa``), with preferences and data folders of its own (never the user's)."""
    return dict(os.environ, QT_QPA_PLATFORM=qpa, SRO_DESK_CONFIG_DIR=str(home / "config"),
                SRO_DESK_DATA_DIR=str(home / "data"))


def unexpected_stderr(text: str) -> list[str]:
    return [line for line in text.splitlines()
            if line.strip() and not any(p.match(line.strip()) for p in ALLOWED_STDERR)]


def smoke(program: Path, qpa: str = "offscreen", wrapper: Sequence[str] = (), database: Path | None = None) -> str:
    """Run ``program --smoke --db <fresh temp file>``; the stdout, or CheckFailed.

    ``qpa`` picks the Qt platform plugin; ``wrapper`` runs the program inside another, e.g.
    ``xvfb-run -a`` for a real X display; ``database`` is copied and used instead of a fresh file.
    """
    command = [*wrapper, str(program)]
    with tempfile.TemporaryDirectory(prefix="sro-desk-check-") as temp:
        db = Path(temp) / "fresh.db"
        if database is not None:
            shutil.copy2(database, db)
        result = subprocess.run([*command, "--smoke", "--db", str(db)], capture_output=True, text=True,
                                env=isolated_env(Path(temp), qpa), timeout=300, check=False)
        problems = []
        if result.returncode != 0:
            problems.append(f"exit status {result.returncode}")
        extra = unexpected_stderr(result.stderr)
        if extra:
            problems.append("unexpected output on stderr:\n    " + "\n    ".join(extra))
        for needed in ("smoke exports:", "smoke ok:"):
            if needed not in result.stdout:
                problems.append(f"no '{needed}' line on stdout")
        if not db.is_file():
            problems.append("the database was not created")
        if problems:
            raise CheckFailed(f"smoke test of {program} ({qpa}) failed: " + "; ".join(problems)
                              + f"\n--- stdout ---\n{result.stdout}")
    return result.stdout.strip()


def real_start(program: Path, database: Path) -> None:
    """Start ``program --db <copy of database>`` the way a coordinator does (no ``--smoke``): it
    paints the roster from the start-up snapshot, opens the store, and (``SRO_DESK_EXIT_WHEN_READY``)
    says so and closes. CheckFailed unless it says both and exits 0 with a clean stderr."""
    with tempfile.TemporaryDirectory(prefix="sro-desk-start-") as temp:
        db = Path(temp) / "district.db"
        shutil.copy2(database, db)
        env = dict(isolated_env(Path(temp)), SRO_DESK_EXIT_WHEN_READY="1")
        result = subprocess.run([str(program), "--db", str(db)], capture_output=True, text=True, env=env,
                                timeout=300, check=False)
        said = result.stdout.splitlines()
        problems = [] if result.returncode == 0 else [f"exit status {result.returncode}"]
        problems += [f"no '{line}' line" for line in ("sro-desk: ready", "sro-desk: interactive") if line not in said]
        problems += unexpected_stderr(result.stderr)
        if problems:
            raise CheckFailed(f"start of {program} on a copy of {database.name} failed: " + "; ".join(problems))


def smoke_on_wayland(program: Path) -> bool:
    """``--smoke`` on a headless Weston compositor (the wayland plugin, xdg-shell); False without Weston."""
    weston = shutil.which("weston")
    if weston is None:
        return False
    with tempfile.TemporaryDirectory(prefix="sro-desk-wayland-") as runtime:
        os.chmod(runtime, 0o700)
        env = dict(os.environ, XDG_RUNTIME_DIR=runtime)
        compositor = subprocess.Popen([weston, "--backend=headless-backend.so", "--socket=sro-desk-check",
                                       "--idle-time=0"], env=env, stdout=subprocess.DEVNULL,
                                      stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 20
            while not (Path(runtime) / "sro-desk-check").exists():
                if compositor.poll() is not None or time.monotonic() > deadline:
                    raise CheckFailed("weston --backend=headless-backend.so did not start")
                time.sleep(0.1)
            saved = {k: os.environ.get(k) for k in ("XDG_RUNTIME_DIR", "WAYLAND_DISPLAY")}
            os.environ.update(XDG_RUNTIME_DIR=runtime, WAYLAND_DISPLAY="sro-desk-check")
            try:
                smoke(program, "wayland")
            finally:
                for key, value in saved.items():
                    if value is None:
                        os.environ.pop(key, None)
                    else:
                        os.environ[key] = value
        finally:
            compositor.terminate()
            compositor.wait(timeout=20)
    return True


def check_version(program: Path, version: str) -> None:
    result = subprocess.run([str(program), "--version"], capture_output=True, text=True, timeout=60, check=False)
    if result.stdout.strip() != f"{bundle.APP_NAME} {version}":
        raise CheckFailed(f"{program.name} --version says {result.stdout.strip()!r}, expected {bundle.APP_NAME} {version}")


def startup_ratio(frozen: Path, runs: int, db: Path) -> tuple[float, float, float, float]:
    """Median seconds (frozen, from source) of ``--smoke`` on ``db`` and of ``--version``, interleaved.

    As benchmarks/startup.py: fresh processes, a warm-up of each, then alternating samples so
    drift hits both alike.
    """
    source = [sys.executable, "-m", "sro_desk"]
    with tempfile.TemporaryDirectory(prefix="sro-desk-bench-") as temp:
        env = isolated_env(Path(temp))

        def sample(label: str, command: Sequence[str], *args: str) -> float:
            started = time.perf_counter()
            result = subprocess.run([*command, *args], env=env, cwd=temp, stdout=subprocess.DEVNULL,
                                    stderr=subprocess.PIPE, text=True, check=False)
            elapsed = time.perf_counter() - started
            if result.returncode != 0:
                tail = "\n    ".join(result.stderr.strip().splitlines()[-8:])
                raise CheckFailed(f"the program {label} failed ({' '.join(args)}): exit status "
                                  f"{result.returncode}\n    {tail}")
            return elapsed

        smoke_args = ("--smoke", "--db", str(db))
        sample("frozen", [str(frozen)], *smoke_args)  # warm the file cache for both
        sample("from source", source, *smoke_args)
        timings: dict[str, list[float]] = {"frozen": [], "source": [], "frozen_v": [], "source_v": []}
        for _ in range(runs):
            timings["frozen"].append(sample("frozen", [str(frozen)], *smoke_args))
            timings["source"].append(sample("from source", source, *smoke_args))
            timings["frozen_v"].append(sample("frozen", [str(frozen)], "--version"))
            timings["source_v"].append(sample("from source", source, "--version"))
    return tuple(statistics.median(timings[k]) for k in ("frozen", "source", "frozen_v", "source_v"))  # type: ignore[return-value]


def make_demo(program: Path, dest: Path) -> None:
    """The demo district, written by the frozen program (its demo parts are imported by name)."""
    with tempfile.TemporaryDirectory(prefix="sro-desk-demo-") as temp:
        result = subprocess.run([str(program), "demo", str(dest)], capture_output=True, text=True,
                                env=isolated_env(Path(temp)), timeout=300, check=False)
    extra = unexpected_stderr(result.stderr)
    if result.returncode != 0 or extra or not dest.is_file():
        raise CheckFailed(f"{program.name} demo failed (exit status {result.returncode}):\n    "
                          + "\n    ".join(extra[-8:]))


class _Lines(list[str]):
    """Report lines that are also printed as they come, so a failure shows what passed before it."""

    def append(self, line: str) -> None:
        say(line)
        super().append(line)

    def extend(self, lines: Iterable[str]) -> None:
        for line in lines:
            self.append(line)


def check_layout(folder: Path) -> int:
    """Every declared data file is in the bundle where the code looks for it; how many."""
    app = folder.parent / f"{bundle.APP_NAME}.app"
    base = app / "Contents" / "Resources" if IS_MACOS and app.is_dir() else folder / "_internal"
    missing = [f"{dest}/{Path(source).name}" for source, dest in bundle.data_files()
               if not (base / dest / Path(source).name).is_file()]
    if missing:
        raise CheckFailed(f"the bundle lacks {len(missing)} data files: " + ", ".join(missing[:10]))
    return len(bundle.data_files())


def check(folder: Path, version: str, runs: int, made: Sequence[Path]) -> list[str]:
    """Every release check; the report lines. Raises CheckFailed on the first hard failure."""
    program = executable(folder)
    lines = _Lines()
    count = check_layout(folder)
    lines.append(f"layout: all {count} data files (resources, migrations, user guide) are in place")
    check_version(program, version)
    lines.append(f"version: {program.name} --version says {bundle.APP_NAME} {version}")
    out = smoke(program)
    lines.append("smoke (frozen, offscreen, fresh database): passed")
    lines.extend("  " + line for line in out.splitlines())
    for tarball in (p for p in made if p.name.endswith(".tar.gz")):
        with tempfile.TemporaryDirectory(prefix="sro-desk-tar-") as temp:
            with tarfile.open(tarball) as archive:
                archive.extractall(temp, filter="tar")
            unpacked = Path(temp) / f"{bundle.EXE_NAME}-{version}"
            smoke(unpacked / bundle.EXE_NAME)
            for name in ("sro-desk.desktop", "sro-desk.png", "install-menu-entry.sh"):
                if not (unpacked / name).is_file():
                    raise CheckFailed(f"{tarball.name} has no {name}")
        lines.append(f"smoke (unpacked from {tarball.name}): passed")
    if IS_LINUX and shutil.which("xvfb-run"):
        smoke(program, "xcb", ["xvfb-run", "-a"])
        lines.append("smoke (frozen, on an X display by xvfb-run, the xcb plugin): passed")
    if IS_LINUX and smoke_on_wayland(program):
        lines.append("smoke (frozen, on a headless Weston compositor, the wayland plugin): passed")
    if IS_LINUX:
        missing = check_linked_libraries(folder)
        lines.append("linked libraries: every Qt/Python library the bundle needs is in it"
                     + (f" (system libraries not on this machine: {', '.join(missing)})" if missing else ""))
    size = bundle.size_of(folder.parent / f"{bundle.APP_NAME}.app") if IS_MACOS else bundle.size_of(folder)
    if IS_LINUX:  # the target is for the Linux folder; other OSes report their size
        size_ok = size < SIZE_TARGET_MB * 1_000_000
        lines.append(f"folder size: {bundle.megabytes(size)} (target < {SIZE_TARGET_MB} MB): "
                     + ("OK" if size_ok else "OVER TARGET"))
    else:
        size_ok = True
        lines.append(f"folder size: {bundle.megabytes(size)} (the {SIZE_TARGET_MB} MB target is for Linux)")
    for path in made:
        lines.append(f"  {path.name}: {bundle.megabytes(path.stat().st_size)}")
    with tempfile.TemporaryDirectory(prefix="sro-desk-demo-db-") as temp:
        demo = Path(temp) / "demo.db"
        make_demo(program, demo)
        smoke(program, database=demo)
        lines.append("smoke (frozen, on the demo district the frozen program wrote): passed")
        real_start(program, demo)
        lines.append("start (frozen, on the demo district, as a coordinator starts it: roster painted from "
                     "the start-up snapshot, then the store opened): passed")
        frozen_s, source_s, frozen_v, source_v = startup_ratio(program, runs, demo)
    ratio = frozen_s / source_s
    ratio_ok = ratio <= STARTUP_TARGET
    lines.append(f"start-up, median of {runs} interleaved runs of --smoke (start, open the demo district, "
                 f"build every tab, write the exports, exit): frozen {frozen_s * 1000:.0f} ms, from source "
                 f"{source_s * 1000:.0f} ms, ratio {ratio:.2f} (target <= {STARTUP_TARGET}): "
                 + ("OK" if ratio_ok else "OVER TARGET"))
    lines.append(f"  --version alone: frozen {frozen_v * 1000:.0f} ms, from source {source_v * 1000:.0f} ms")
    failures = [name for name, ok in (("size", size_ok), ("start-up", ratio_ok)) if not ok]
    if failures:
        raise CheckFailed("over target: " + ", ".join(failures))
    return list(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="after building, smoke-test and measure")
    parser.add_argument("--skip-build", action="store_true", help="check/package the existing dist/ folder")
    parser.add_argument("--no-package", action="store_true", help="only the PyInstaller folder")
    parser.add_argument("--runs", type=int, default=5, help="start-up samples of each (default 5)")
    parser.add_argument("--compare-untrimmed", action="store_true",
                        help="also build without trimming (build/untrimmed) and report both sizes")
    parser.add_argument("--deb-install-test", action="store_true",
                        help="Linux, as root: dpkg -i the .deb, run /usr/bin/sro-desk --smoke, dpkg -r")
    args = parser.parse_args(argv)

    version = bundle.read_version()
    say(f"SRO Desk {version} for {sys.platform} ({machine()}), Python {platform.python_version()}")
    missing_images = bundle.missing_guide_images()
    if missing_images:
        say(f"warning: the user guide shows {len(missing_images)} pictures docs/images does not have "
            f"(run `make screenshots`): {', '.join(missing_images)}")
    folder = DIST / bundle.EXE_NAME
    try:
        if not args.skip_build:
            folder = pyinstaller()
        elif not folder.is_dir():
            raise CheckFailed(f"{folder} does not exist: build first")
        report = [f"built {folder.relative_to(ROOT)}: {bundle.megabytes(bundle.size_of(folder))}"]
        trimmed = trim_summary()
        if trimmed:
            report.append("left out of the bundle:")
            report.extend("  " + line for line in trimmed)
        if args.compare_untrimmed:
            untrimmed = pyinstaller(BUILD / "untrimmed" / "dist", BUILD / "untrimmed" / "work", trim=False)
            report.append(f"without trimming: {bundle.megabytes(bundle.size_of(untrimmed))} "
                          f"(trimmed: {bundle.megabytes(bundle.size_of(folder))})")
        made = [] if args.no_package else package(folder, version)
        report.extend(f"made {path.relative_to(ROOT)} ({bundle.megabytes(path.stat().st_size)})" for path in made)
        for line in report:
            say(line)
        if args.check:
            say("checking…")
            check(folder, version, args.runs, made)
        if args.deb_install_test:
            debs = [p for p in made if p.suffix == ".deb"] or sorted(DIST.glob(f"{bundle.EXE_NAME}_{version}_*.deb"))
            if not debs:
                raise CheckFailed("no .deb to install")
            deb_install_test(debs[0])
            say(f"{debs[0].name}: installed, /usr/bin/sro-desk --smoke passed, removed")
    except CheckFailed as error:
        say(f"FAILED: {error}")
        return 1
    except subprocess.CalledProcessError as error:
        say(f"FAILED: {' '.join(map(str, error.cmd))} exited with {error.returncode}")
        return 1
    if args.check:
        say("dist-check passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
