"""PyInstaller runtime hook (frozen application only): a diagnostic report for the bundle checks.

When the environment variable BOUWSTENEN_BUNDLE_REPORT names a file, the application writes a JSON report
there when it exits: `loaded` — every module name in sys.modules after the command ran (the network check
asserts that no PySide6.QtNetwork, ssl, http.client … is among them); `import_failures` — every module of
the `desktop` package that cannot be imported from the bundle (checked after `loaded` was taken, so the
check does not disturb it). Without the variable the hook does nothing.
"""

from __future__ import annotations

import os


def _install() -> None:
    target = os.environ.get("BOUWSTENEN_BUNDLE_REPORT")
    if not target:
        return
    import atexit

    def report() -> None:
        import importlib
        import json
        import pkgutil
        import sys

        loaded = sorted(sys.modules)
        failures: dict[str, str] = {}
        try:
            import desktop

            for info in pkgutil.walk_packages(desktop.__path__, "desktop."):
                if info.name.endswith("__main__"):
                    continue  # running them would start the application
                try:
                    importlib.import_module(info.name)
                except Exception as exc:  # report every failure, whatever it is
                    failures[info.name] = f"{type(exc).__name__}: {exc}"
        except Exception as exc:
            failures["desktop"] = f"{type(exc).__name__}: {exc}"
        with open(target, "w", encoding="utf-8") as handle:
            json.dump({"loaded": loaded, "import_failures": failures, "frozen": bool(getattr(sys, "frozen", False))},
                      handle, indent=1)

    atexit.register(report)


_install()
