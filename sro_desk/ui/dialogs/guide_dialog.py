"""The user guide (docs/user-guide.md) with its screenshots, shown from Help."""

from __future__ import annotations

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QDialog, QTextBrowser, QVBoxLayout, QWidget


class GuideDialog(QDialog):
    """The user guide (docs/user-guide.md) with its screenshots."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from sro_desk.paths import docs_dir

        self.setWindowTitle("SRO Desk — User guide")
        self.resize(900, 700)
        browser = QTextBrowser()
        browser.setOpenExternalLinks(False)
        browser.anchorClicked.connect(lambda url: QDesktopServices.openUrl(url) if url.scheme() in ("http", "https") else None)
        guide = docs_dir() / "user-guide.md"
        browser.setSearchPaths([str(guide.parent)])
        if guide.exists():
            browser.document().setBaseUrl(QUrl.fromLocalFile(str(guide)))
            browser.setMarkdown(guide.read_text(encoding="utf-8"))
        else:
            browser.setPlainText("The user guide was not found next to the program.")
        browser.setAccessibleName("User guide")
        layout = QVBoxLayout(self)
        layout.addWidget(browser)
        self.setWindowFlag(Qt.WindowType.WindowContextHelpButtonHint, False)
