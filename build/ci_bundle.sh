#!/usr/bin/env bash
# CI, after the test suite: build the portable folder and zip with PyInstaller, build the reference (a bare
# PySide6 window bundled with default settings), then start the FROZEN application from the unzipped zip:
# --smoke (offscreen, and on a real X display when xvfb-run is there), import --dry-run of the published
# workbook and database, a real model update, notes export, portable mode, and no network module loaded
# (tests/test_packaging.py, BOUWSTENEN_TEST_BUNDLE=1). Takes about two minutes.
set -euo pipefail
cd "$(dirname "$0")/.."

python=.venv/bin/python
[ -x "$python" ] || python=.venv/Scripts/python.exe

# The X libraries Qt's xcb plugin links to: present at build time, they are bundled, so the Linux zip also
# starts on desktops without them; xvfb to start the frozen app on a real (virtual) X display.
packages=()
for lib in libxcb-icccm.so.4 libxcb-keysyms.so.1 libxcb-cursor.so.0 libxkbcommon-x11.so.0 libxcb-image.so.0 \
           libxcb-render-util.so.0 libxcb-shape.so.0 libxcb-randr.so.0 libxcb-xkb.so.1; do
  ldconfig -p | grep -q "$lib" || packages+=(libxcb-icccm4 libxcb-keysyms1 libxcb-cursor0 libxkbcommon-x11-0 \
    libxcb-image0 libxcb-render-util0 libxcb-shape0 libxcb-randr0 libxcb-xkb1)
done
command -v xvfb-run >/dev/null || packages+=(xvfb xauth)
if [ ${#packages[@]} -gt 0 ] && [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  readarray -t unique < <(printf '%s\n' "${packages[@]}" | sort -u)
  echo "Installing system packages for the bundle: ${unique[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${unique[@]}" >/dev/null
fi

"$python" -m pip install --quiet -e ".[package]"
"$python" build/package.py --reference
BOUWSTENEN_TEST_BUNDLE=1 BOUWSTENEN_BUNDLE_BUILT=1 QT_QPA_PLATFORM=offscreen \
  "$python" -m pytest tests/test_packaging.py -m slow -p no:cacheprovider -q
