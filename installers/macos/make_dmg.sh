#!/usr/bin/env bash
# Make a drag-to-Applications disk image of "SRO Desk.app" (macOS only; hdiutil ships with macOS).
#
#     installers/macos/make_dmg.sh "dist/SRO Desk.app" dist/sro-desk-1.2.3-macos-arm64.dmg
#
# installers/build.py runs this after PyInstaller; the version in the file name comes from
# sro_desk.__version__. The app is ad-hoc signed (PyInstaller does that on Apple silicon); a district
# that has an Apple Developer ID can sign and notarize the .app before running this script:
#     codesign --deep --force --options runtime --sign "Developer ID Application: ..." "dist/SRO Desk.app"
set -euo pipefail

app=${1:?usage: make_dmg.sh <path to SRO Desk.app> <output .dmg>}
out=${2:?usage: make_dmg.sh <path to SRO Desk.app> <output .dmg>}
[ -d "$app" ] || { echo "make_dmg.sh: $app is not a folder" >&2; exit 2; }
command -v hdiutil >/dev/null || { echo "make_dmg.sh: hdiutil not found (this script runs on macOS)" >&2; exit 2; }

version=$(/usr/libexec/PlistBuddy -c "Print :CFBundleShortVersionString" "$app/Contents/Info.plist")
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

# The window shows the app beside a link to /Applications: drag one onto the other to install.
ditto "$app" "$stage/$(basename "$app")"
ln -s /Applications "$stage/Applications"
cat > "$stage/Read me.txt" <<TEXT
SRO Desk $version

To install: drag "SRO Desk" onto "Applications".
The first time, open it from Applications with a right-click > Open if macOS asks.

Your data stays in ~/Library/Application Support/SRO Desk; deleting the app does not remove it.
TEXT

rm -f "$out"
hdiutil create -volname "SRO Desk $version" -srcfolder "$stage" -fs HFS+ -format UDZO -ov "$out"
hdiutil verify "$out"
echo "made $out"
