"""The UI kit: the form base's keyboard rules, the save loop, typed combos, actions, JobRunner."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QTableView

from sro_desk.domain.errors import RuleViolation
from sro_desk.ui.dialogs import messages
from sro_desk.ui.dialogs.form import FormDialog, line_edit, run_until_saved
from sro_desk.ui.widgets.actions import ActionButton, ActionSet
from sro_desk.ui.widgets.combo import combo_enum, fill_enum_combo, required_enum, select_enum
from sro_desk.ui.workers import JobRunner
from tests.ui.gui_walk import answer_next, press_enter, save, type_into_focus

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


class Colour(StrEnum):
    RED = "Red"
    GREEN = "Green"


class NameForm(FormDialog):
    def __init__(self) -> None:
        super().__init__("Name")
        self.name = line_edit("Name", max_length=20)
        self.colour = QComboBox()
        fill_enum_combo(self.colour, Colour)
        self.form.addRow("&Name:", self.name)
        self.form.addRow("&Colour:", self.colour)
        self.watch(self.name.textChanged)
        self.revalidate()

    def value(self) -> tuple[str, Colour]:
        return self.name.text(), required_enum(self.colour, Colour)

    def problems(self) -> list[str]:
        return [] if self.name.text().strip() else ["Type a name"]


@pytest.fixture
def asked(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[Any]]:
    seen: dict[str, list[Any]] = {"confirm": [], "error": [], "answer": [False]}

    def confirm(_p: object, text: str, *_a: object, **_k: object) -> bool:
        seen["confirm"].append(text)
        return bool(seen["answer"][-1])
    monkeypatch.setattr(messages, "confirm", confirm)
    monkeypatch.setattr(messages, "show_error", lambda _p, e, *a: seen["error"].append(e))
    return seen


def test_enter_saves_only_a_valid_form(qtbot: Any, asked: dict[str, list[Any]]) -> None:
    saved: list[Any] = []

    def act(d: NameForm) -> None:
        assert d.focusWidget() is d.name  # the first field, not a button
        press_enter(d.name)  # invalid: nothing happens, the form stays open
        assert d.isVisible() and not saved
        type_into_focus(d, "Pine Ridge High School and a name far too long")
        assert d.name.text() == "Pine Ridge High Scho"  # the field's maximum length
        press_enter(d.name)
    opened = answer_next(NameForm, act)
    result = run_until_saved(NameForm(), lambda v: saved.append(v) or v)
    assert not opened.errors, opened.errors
    assert result == ("Pine Ridge High Scho", Colour.RED) and len(saved) == 1
    assert asked["confirm"] == []


def test_escape_asks_before_discarding_typed_input(qtbot: Any,
                                                   asked: dict[str, list[Any]]) -> None:
    dialog = NameForm()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # nothing typed: closes without a question
    assert not dialog.isVisible() and asked["confirm"] == []
    dialog = NameForm()
    qtbot.addWidget(dialog)
    dialog.show()
    type_into_focus(dialog, "Erin")
    qtbot.keyClick(dialog.name, Qt.Key.Key_Escape)
    assert asked["confirm"] == [FormDialog.DISCARD_QUESTION]
    assert dialog.isVisible() and dialog.name.text() == "Erin"  # answered Cancel: kept
    asked["answer"].append(True)
    dialog.buttons.rejected.emit()  # Cancel, answered Discard
    assert not dialog.isVisible()


def test_a_refusal_keeps_the_dialog_and_its_input(qtbot: Any,
                                                  asked: dict[str, list[Any]]) -> None:
    tries: list[str] = []

    def refuse_first(value: tuple[str, Colour]) -> str:
        tries.append(value[0])
        if len(tries) == 1:
            raise RuleViolation("That name is taken.")
        return value[0]

    def act(d: NameForm) -> None:
        type_into_focus(d, "Erin")
        choose_green(d)
        save(d)
        assert d.isVisible() and d.name.text() == "Erin"
        assert str(asked["error"][-1]) == "That name is taken."
        save(d)

    def choose_green(d: NameForm) -> None:
        select_enum(d.colour, Colour.GREEN)
    opened = answer_next(NameForm, act)
    assert run_until_saved(NameForm(), refuse_first) == "Erin"
    assert not opened.errors, opened.errors
    assert tries == ["Erin", "Erin"]


def test_enum_combos_hand_back_the_enum(qtbot: Any) -> None:
    combo = QComboBox()
    qtbot.addWidget(combo)
    fill_enum_combo(combo, Colour, none_label="All colours")
    assert combo_enum(combo, Colour) is None
    assert select_enum(combo, Colour.GREEN)
    assert type(combo.currentData()) is str  # what PySide6 does: the reason for the helper
    assert combo_enum(combo, Colour) is Colour.GREEN
    assert required_enum(combo, Colour) is Colour.GREEN


def test_actions_follow_the_selection(qtbot: Any) -> None:
    from PySide6.QtGui import QStandardItem, QStandardItemModel

    model = QStandardItemModel(2, 1)
    for row in range(2):
        model.setItem(row, 0, QStandardItem(f"row {row}"))
    view = QTableView()
    view.setModel(model)
    qtbot.addWidget(view)
    acts = ActionSet(view)
    clicked: list[int] = []
    edit = acts.add("Edit…", "Edit the selected row", lambda: clicked.append(1),
                    when=lambda: bool(view.selectionModel().selectedRows()))
    view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    acts.follow(view)
    acts.update()
    button = ActionButton(edit)
    qtbot.addWidget(button)
    assert not edit.isEnabled() and not button.isEnabled()
    view.selectRow(1)
    assert edit.isEnabled() and button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert clicked == [1]
    assert button.accessibleName() == "Edit"


def test_job_runner_calls_back_for_its_own_job(qtbot: Any) -> None:
    runner = JobRunner()
    done: list[Any] = []
    with qtbot.waitSignal(runner.finished, timeout=10_000):
        runner.start(lambda _p, _c: 41 + 1, on_done=done.append)
    assert done == [42]
    failed: list[BaseException] = []
    with qtbot.waitSignal(runner.failed, timeout=10_000):
        runner.start(lambda _p, _c: 1 / 0, on_done=done.append, on_error=failed.append)
    assert done == [42] and isinstance(failed[0], ZeroDivisionError)
