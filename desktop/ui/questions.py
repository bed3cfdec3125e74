"""A yes/no question in a message box, with Dutch button texts (Qt's own say 'Yes' and 'No').

    box = question_box(parent, "Plan verwijderen", "Het plan … verwijderen?", "Verwijderen", "Niet verwijderen")
    box.open()   # or box.exec() == QMessageBox.StandardButton.Yes
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget


def question_box(parent: QWidget | None, title: str, text: str, yes_text: str, no_text: str) -> QMessageBox:
    """The box, not yet shown. The text is plain text (it may quote names from the model or the user); 'no' is
    the default, so that Enter never deletes or overwrites anything."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text,
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setDefaultButton(QMessageBox.StandardButton.No)
    box.button(QMessageBox.StandardButton.Yes).setText(yes_text)
    box.button(QMessageBox.StandardButton.No).setText(no_text)
    return box
