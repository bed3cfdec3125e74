"""Build the portable application: the folder `build/out/dist/Bouwstenen` and the zip beside it.

    .venv/bin/python -m pip install -e ".[package]"      (Windows: .venv\\Scripts\\python …)
    .venv/bin/python build/package.py                     folder + zip + smoke test, sizes printed
    .venv/bin/python build/package.py --reference         also the reference: a bare PySide6 window bundled
                                                          with PyInstaller's default settings (build/out/reference)
    .venv/bin/python build/package.py --measure 5         start-up: frozen --smoke vs frozen bare window (medians)

Steps: build the model from data/ (resources/model/model.sqlite), run PyInstaller with build/bouwstenen.spec
(what is left out: build/bundle_rules.py), zip the folder as Bouwstenen-<version>-<platform>.zip (symbolic
links kept as links), start the frozen application with --smoke (offscreen) in a fresh data folder.
The frozen application's further checks (imports, notes export, no network modules, portable mode) are in
tests/test_packaging.py (BOUWSTENEN_TEST_BUNDLE=1) and run in CI by build/ci_bundle.sh.
"""

from __future__ import annotations

import argparse
import os
import stat
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "build" / "out"
DIST = OUT / "dist"
APP_DIR = DIST / "Bouwstenen"
REFERENCE = OUT / "reference"
REFERENCE_APP_DIR = REFERENCE / "dist" / "bare_window"
BARE_WINDOW = ROOT / "bench" / "bare_window.py"

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bundle_rules  # noqa: E402


def version() -> str:
    return str(tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"])


def zip_path() -> Path:
    return OUT / f"Bouwstenen-{version()}-{bundle_rules.platform_tag()}.zip"


def executable(folder: Path = APP_DIR, console: bool = True) -> Path:
    """The executable to run commands with: on Windows the console twin (its output reaches the caller)."""
    if os.name == "nt" and console:
        return folder / bundle_rules.executable_name(console=True)
    return folder / bundle_rules.executable_name()


def reference_executable(folder: Path = REFERENCE_APP_DIR) -> Path:
    return folder / ("bare_window.exe" if os.name == "nt" else "bare_window")


def run(args: list[str]) -> None:
    print("==>", " ".join(args), flush=True)
    subprocess.check_call(args, cwd=ROOT)


def build_model() -> None:
    run([sys.executable, "-m", "desktop.cli", "build-model"])


def build_bundle() -> Path:
    """The model, then PyInstaller with the spec; returns the application folder."""
    build_model()
    run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
         "--distpath", str(DIST), "--workpath", str(OUT / "work"), str(ROOT / "build" / "bouwstenen.spec")])
    return APP_DIR


def build_reference() -> Path:
    """A bare PySide6 window (bench/bare_window.py) bundled with PyInstaller's default settings."""
    run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
         "--distpath", str(REFERENCE / "dist"), "--workpath", str(REFERENCE / "work"),
         "--specpath", str(REFERENCE), str(BARE_WINDOW)])
    return REFERENCE_APP_DIR


def make_zip(folder: Path = APP_DIR, target: Path | None = None) -> Path:
    """Zip the folder under its own name; symbolic links (PyInstaller makes them on Linux/macOS) stay links."""
    target = target or zip_path()
    target.unlink(missing_ok=True)
    partial = target.with_suffix(".partial")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for path in sorted(folder.rglob("*")):
            name = path.relative_to(folder.parent).as_posix()
            if path.is_symlink():
                info = zipfile.ZipInfo(name, date_time=time.localtime(path.lstat().st_mtime)[:6])
                info.create_system = 3  # Unix, so that unzip restores the link
                info.external_attr = (stat.S_IFLNK | 0o777) << 16
                archive.writestr(info, os.readlink(path))
            elif path.is_dir():
                archive.write(path, name + "/")
            else:
                archive.write(path, name)
    partial.replace(target)
    return target


def unzip(archive: Path, into: Path) -> Path:
    """Unpack like a user does (links restored); returns the application folder inside `into`."""
    into.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(archive) as source:
        for info in source.infolist():
            target = into / info.filename
            mode = info.external_attr >> 16
            if stat.S_ISLNK(mode):
                target.parent.mkdir(parents=True, exist_ok=True)
                target.symlink_to(source.read(info).decode())
            elif info.is_dir():
                target.mkdir(parents=True, exist_ok=True)
            else:
                source.extract(info, into)
                if mode & 0o111:
                    target.chmod(mode & 0o777)
        top = {Path(i.filename).parts[0] for i in source.infolist()}
    assert len(top) == 1, top
    return into / top.pop()


def folder_size(folder: Path) -> int:
    """Bytes of the regular files in the folder (links counted as links, as on disk)."""
    return sum(p.lstat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def mib(size: int) -> str:
    return f"{size / 2**20:.1f} MiB"


def smoke(app: Path = APP_DIR) -> bool:
    with tempfile.TemporaryDirectory(prefix="bouwstenen-smoke-") as home:
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", BOUWSTENEN_HOME=home)
        result = subprocess.run([str(executable(app)), "--smoke"], capture_output=True, text=True, env=env,
                                timeout=120)
    print(result.stdout.strip(), result.stderr.strip())
    return result.returncode == 0 and result.stdout.strip().endswith("ok")


def start_times(command: list[str], runs: int, env: dict[str, str]) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
        times.append(time.perf_counter() - started)
        if result.returncode != 0 or not result.stdout.strip().endswith("ok"):
            raise SystemExit(f"{command[0]} faalde: {result.stdout} {result.stderr}")
    return times


def measure(runs: int, app: Path = APP_DIR, reference: Path = REFERENCE_APP_DIR) -> tuple[float, float]:
    """Median wall time of `--smoke` (frozen) and of the frozen bare window, alternating, after a warm-up."""
    with tempfile.TemporaryDirectory(prefix="bouwstenen-measure-") as home:
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", BOUWSTENEN_HOME=home)
        app_cmd, ref_cmd = [str(executable(app)), "--smoke"], [str(reference_executable(reference))]
        start_times(app_cmd, 1, env)
        start_times(ref_cmd, 1, env)
        app_times: list[float] = []
        ref_times: list[float] = []
        for _ in range(runs):
            app_times += start_times(app_cmd, 1, env)
            ref_times += start_times(ref_cmd, 1, env)
    return statistics.median(app_times), statistics.median(ref_times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Bouw de draagbare map en zip van Bouwstenen.")
    parser.add_argument("--reference", action="store_true", help="bouw ook de referentie (kaal PySide6-venster)")
    parser.add_argument("--measure", type=int, metavar="N", default=0,
                        help="meet de opstarttijd: mediaan van N starts, bevroren --smoke tegen het kale venster")
    parser.add_argument("--skip-build", action="store_true", help="bouw niet opnieuw; gebruik build/out")
    args = parser.parse_args(argv)
    if not args.skip_build:
        build_bundle()
        archive = make_zip()
        if args.reference:
            build_reference()
    else:
        archive = zip_path()
    ok = smoke()
    size = folder_size(APP_DIR)
    print(f"Map:  {APP_DIR}  {mib(size)}")
    if archive.exists():
        print(f"Zip:  {archive}  {mib(archive.stat().st_size)}")
    if REFERENCE_APP_DIR.is_dir():
        reference_size = folder_size(REFERENCE_APP_DIR)
        print(f"Referentie (kaal venster, standaardinstellingen): {mib(reference_size)}; "
              f"Bouwstenen is {size / reference_size:.2f}× zo groot")
    if args.measure:
        app_time, ref_time = measure(args.measure)
        print(f"Opstarten (mediaan van {args.measure}): --smoke {app_time:.3f} s, kaal venster {ref_time:.3f} s, "
              f"verhouding {app_time / ref_time:.2f}×")
    if not ok:
        print("De rooktest van de bevroren applicatie faalde.", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

