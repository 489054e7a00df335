#!/bin/sh
# Add SRO Desk to your applications menu from wherever this folder was unpacked (no root needed).
#     ./install-menu-entry.sh            add the menu entry and icon for you
#     ./install-menu-entry.sh --remove   take them away again (your data is not touched)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
apps="${XDG_DATA_HOME:-$HOME/.local/share}/applications"
icons="${XDG_DATA_HOME:-$HOME/.local/share}/icons/hicolor/256x256/apps"
if [ "${1:-}" = "--remove" ]; then
    rm -f "$apps/sro-desk.desktop" "$icons/sro-desk.png"
    echo "SRO Desk menu entry removed. Your data in ~/.local/share/SRO Desk is untouched."
    exit 0
fi
mkdir -p "$apps" "$icons"
cp "$here/sro-desk.png" "$icons/sro-desk.png"
# Quote the path as the Desktop Entry spec asks: \ " ` $ escaped inside double quotes, then every
# backslash doubled (string escaping), and % written as %%. A folder name may contain spaces.
quoted=$(printf '%s' "$here/sro-desk" | sed -e 's/[\\"`$]/\\&/g' -e 's/\\/\\\\/g' -e 's/%/%%/g')
{
    grep -v -e '^Exec=' -e '^Icon=' "$here/sro-desk.desktop"
    printf 'Exec="%s"\n' "$quoted"
    printf 'Icon=%s\n' "$icons/sro-desk.png"
} > "$apps/sro-desk.desktop"
if command -v update-desktop-database >/dev/null 2>&1; then
    update-desktop-database "$apps" >/dev/null 2>&1 || true  # only a cache; menus work without it
fi
echo "SRO Desk added to your applications menu ($apps/sro-desk.desktop)."
