"""Draw the SRO Desk icon (a shield with a check mark) at every size the installers need.

Run once after changing the design: ``python installers/make_icons.py``. Writes PNGs to
resources/icons/ and, with Pillow available, .ico (Windows) and .icns (macOS).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter, QPainterPath, QPen

OUT = Path(__file__).resolve().parent.parent / "resources" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def draw(size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    s = size / 100.0
    shield = QPainterPath()
    shield.moveTo(50 * s, 6 * s)
    shield.lineTo(88 * s, 20 * s)
    shield.cubicTo(88 * s, 60 * s, 72 * s, 82 * s, 50 * s, 95 * s)
    shield.cubicTo(28 * s, 82 * s, 12 * s, 60 * s, 12 * s, 20 * s)
    shield.closeSubpath()
    p.setPen(QPen(QColor("#0d2f4f"), max(1.0, 3 * s)))
    p.setBrush(QColor("#1f4e79"))
    p.drawPath(shield)
    check = QPainterPath(QPointF(30 * s, 50 * s))
    check.lineTo(45 * s, 65 * s)
    check.lineTo(72 * s, 35 * s)
    pen = QPen(QColor("#ffffff"), max(1.5, 9 * s))
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    p.setPen(pen)
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawPath(check)
    p.end()
    return image


def main() -> int:
    QGuiApplication(sys.argv[:1])
    OUT.mkdir(parents=True, exist_ok=True)
    for size in SIZES:
        draw(size).save(str(OUT / f"sro-desk-{size}.png"))
    draw(256).save(str(OUT / "sro-desk.png"))
    try:
        from PIL import Image
    except ImportError:
        print("Pillow not installed: .ico and .icns not written")
        return 0
    big = Image.open(OUT / "sro-desk-512.png")
    big.save(OUT / "sro-desk.ico", sizes=[(s, s) for s in (16, 24, 32, 48, 64, 128, 256)])
    big.save(OUT / "sro-desk.icns")
    return 0


if __name__ == "__main__":
    sys.exit(main())
