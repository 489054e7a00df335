"""A padlock beside every duty the law sets: drawn in code, so no emoji font is needed."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap

_ICON: dict[str, QIcon] = {}

LOCK_TOOLTIP = "Locked: required by law. No district setting can switch it off."


def lock_icon() -> QIcon:
    """A small padlock drawn in code (no emoji font needed): shown beside statutory requirements."""
    icon = _ICON.get("lock")
    if icon is None:
        pixmap = QPixmap(16, 16)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen = painter.pen()
        pen.setColor(QColor("#333333"))
        pen.setWidthF(1.8)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawArc(QRectF(4.5, 1.5, 7, 8), 0, 180 * 16)
        painter.drawLine(4.5, 5.5, 4.5, 8)
        painter.drawLine(11.5, 5.5, 11.5, 8)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#333333"))
        painter.drawRoundedRect(QRectF(2.5, 7.5, 11, 8), 1.5, 1.5)
        painter.setBrush(QColor("white"))
        painter.drawEllipse(QRectF(7, 10, 2, 2.5))
        painter.end()
        icon = QIcon(pixmap)
        _ICON["lock"] = icon
    return icon
