"""Small windows that ask at a boundary: a daily limit reached, downtime, an intention.

Each is calm and short, with the kind choice first: Enter chooses "Close it" (or, once you
have written what you came for, "Continue"), Esc just takes the window away without an
answer, and every choice has a mnemonic. `PromptPresenter` is the presenter the desktop app
adds to its `BoundaryCoordinator`.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from breather.notify.presenter import spoken
from breather.rules.model import (
    INTENTIONS,
    Action,
    Answer,
    Choice,
    DowntimePrompt,
    IntentionPrompt,
    LimitPrompt,
    Withdraw,
)
from breather.ui.break_window import ACCENT, ACCENT_DARK, Tones, tones
from breather.ui.evidence import why_link
from breather.ui.widgets import help_link

#: A breath before "Continue" works: the delay is what made the one sec prompt effective.
INTENTION_PAUSE = 3.0


def prompt_style(c: Tones) -> str:
    return f"""
QDialog#prompt {{ background: {c.card}; }}
QFrame#promptCard {{ background: {c.card}; border: none; }}
QLabel {{ color: {c.ink}; background: transparent; }}
QLabel#muted {{ color: {c.muted}; font-size: 10.5pt; }}
QPushButton {{ border-radius: 10px; padding: 9px 18px; font-size: 10.5pt; min-height: 20px; }}
QPushButton#primary {{ background: {ACCENT}; color: white; border: 2px solid {ACCENT}; }}
QPushButton#primary:hover {{ background: {ACCENT_DARK}; border-color: {ACCENT_DARK}; }}
QPushButton#primary:disabled {{ background: #9fcfc7; border-color: #9fcfc7; }}
QPushButton#secondary {{ background: {c.card}; color: {c.link}; border: 2px solid {c.line}; }}
QPushButton#secondary:hover {{ background: {c.soft}; }}
QPushButton#secondary:disabled {{ color: #8fa8a3; border-color: #dbe7e4; }}
QPushButton#chip {{
    background: {c.soft}; color: {c.ink}; border: 2px solid {c.soft};
    border-radius: 15px; padding: 5px 14px; font-size: 10pt;
}}
QPushButton#chip:hover {{ border-color: #9fcfc7; }}
QPushButton#chip:focus {{ border-color: {c.ink}; }}
QPushButton:focus, QPushButton#primary:focus, QPushButton#secondary:focus {{
    border: 2px solid {c.ink};
}}
QPushButton#link {{
    background: transparent; border: 2px solid transparent; color: {c.link};
    padding: 2px 0px; text-decoration: underline; font-size: 9.5pt;
}}
QLabel#field {{ font-size: 10.5pt; font-weight: 600; }}
QPushButton#link:focus {{ border: 2px solid {c.ink}; }}
QLineEdit {{
    border: 2px solid {c.line}; border-radius: 10px; padding: 8px 10px; font-size: 11pt;
    background: {c.card}; color: {c.ink};
}}
QLineEdit:focus {{ border-color: {ACCENT}; }}
"""


def dress_as_prompt(window: QDialog, title: str) -> QVBoxLayout:
    """Make `window` one of Breather's prompts: the calm card style in the desktop's light or
    dark tones, above other windows, never modal, wide enough to read; returns its outer
    layout (no margins) for the content."""
    window.setObjectName("prompt")
    window.setStyleSheet(prompt_style(tones(window)))
    window.setWindowTitle(title)
    window.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint, True)
    window.setModal(False)
    window.setMinimumWidth(540)
    outer = QVBoxLayout(window)
    outer.setContentsMargins(0, 0, 0, 0)
    return outer


class BoundaryPrompt(QDialog):
    """The shared shape: a heading, a line of text, choices, and a way to find help.

    Signals:
        answered(Answer): the person chose; the window closes.
        help_requested(): "Need to talk to someone?" was chosen.
    """

    answered = Signal(object)
    help_requested = Signal()

    def __init__(self, prompt_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.prompt_id = prompt_id
        outer = dress_as_prompt(self, "Breather")
        self.card = QFrame(self)
        self.card.setObjectName("promptCard")
        outer.addWidget(self.card)
        self.body = QVBoxLayout(self.card)
        self.body.setContentsMargins(36, 30, 36, 22)
        self.body.setSpacing(12)

        self.heading = QLabel(self.card)
        self.heading.setWordWrap(True)
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setWeight(font.Weight.DemiBold)
        self.heading.setFont(font)
        self.text = QLabel(self.card)
        self.text.setObjectName("muted")
        self.text.setWordWrap(True)
        self.body.addWidget(self.heading)
        self.body.addWidget(self.text)

        self.buttons = QHBoxLayout()
        self.buttons.setSpacing(10)
        self.help = help_link(self.card, self, self.help_requested.emit)

    def _finish_layout(self) -> None:
        self.body.addSpacing(8)
        self.body.addLayout(self.buttons)
        self.body.addSpacing(4)
        self.body.addWidget(self.help, 0, Qt.AlignmentFlag.AlignLeft)
        self.setAccessibleName(self.heading.text())
        self.setAccessibleDescription(self.text.text())

    def _button(self, label: str, accessible: str, *, primary: bool = False) -> QPushButton:
        button = QPushButton(label, self.card)
        button.setObjectName("primary" if primary else "secondary")
        button.setAccessibleName(accessible)
        button.setAutoDefault(True)  # Enter presses the button that has the focus...
        button.setDefault(primary)  # ...or this one when no button has it
        return button

    def _close_more_ignore(
        self, close: tuple[str, str], more: tuple[str, str], ignore: tuple[str, str]
    ) -> None:
        """The three answers of a limit or downtime prompt, as (label, accessible name)."""
        self.close_it = self._button(*close, primary=True)
        self.more = self._button(*more)
        self.ignore = self._button(*ignore)
        self.close_it.clicked.connect(lambda: self._choose(Choice.CLOSE))
        self.more.clicked.connect(lambda: self._choose(Choice.MORE))
        self.ignore.clicked.connect(lambda: self._choose(Choice.IGNORE))
        for button in (self.close_it, self.more, self.ignore):
            self.buttons.addWidget(button)
        self.buttons.addStretch(1)
        self._finish_layout()

    def _choose(self, choice: Choice, detail: str = "") -> None:
        self.answered.emit(Answer(self.prompt_id, choice, detail))
        self.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.reject()  # no answer: the prompt is simply out of the way
            return
        super().keyPressEvent(event)


class LimitPromptWindow(BoundaryPrompt):
    """A daily limit is reached: close it, 15 more minutes, or ignore it for today."""

    def __init__(self, prompt: LimitPrompt, parent: QWidget | None = None) -> None:
        super().__init__(prompt.prompt_id, parent)
        self.heading.setText(f"That is your {spoken(prompt.allowed)} of {prompt.label} for today")
        self.text.setText("You chose this daily limit. Going on is fine; so is stopping here.")
        self._close_more_ignore(
            ("&Close it", f"Close {prompt.label}"),
            ("15 &more minutes", "15 more minutes"),
            ("&Ignore for today", "Ignore this limit for today"),
        )

    @classmethod
    def ask(cls, prompt: LimitPrompt, parent: QWidget | None = None) -> LimitPromptWindow:
        window = cls(prompt, parent)
        _present(window)
        return window


class DowntimePromptWindow(BoundaryPrompt):
    """A listed category was opened during downtime."""

    def __init__(self, prompt: DowntimePrompt, parent: QWidget | None = None) -> None:
        super().__init__(prompt.prompt_id, parent)
        self.heading.setText(f"It is downtime until {prompt.until}")
        where = f" ({prompt.app})" if prompt.app else ""
        self.text.setText(f"You opened {prompt.category}{where}. Time to wind down?")
        self._close_more_ignore(
            ("&Close it", "Close it"),
            ("15 &more minutes", "15 more minutes"),
            ("&Not tonight", "Not tonight: no more downtime questions"),
        )

    @classmethod
    def ask(cls, prompt: DowntimePrompt, parent: QWidget | None = None) -> DowntimePromptWindow:
        window = cls(prompt, parent)
        _present(window)
        return window


class IntentionPromptWindow(BoundaryPrompt):
    """On switching into a listed category: what did you come here for?

    "Close it" is first and the default. "Continue" wakes after a short breath; writing the
    intention (or picking one) and pressing Enter continues with it.
    """

    def __init__(
        self,
        prompt: IntentionPrompt,
        parent: QWidget | None = None,
        *,
        pause: float = INTENTION_PAUSE,
    ) -> None:
        super().__init__(prompt.prompt_id, parent)
        self.heading.setText(f"What did you come to {prompt.category} for?")
        self.text.setText("A breath before you go in. If it is nothing in particular, that is OK.")
        self.label = QLabel("&I came to…", self.card)
        self.label.setObjectName("field")
        self.intention = QLineEdit(self.card)
        self.intention.setPlaceholderText("reply to Sam, check the event time…")
        self.intention.setAccessibleName("What you came for")
        self.intention.setMaxLength(200)
        self.label.setBuddy(self.intention)
        self.body.addWidget(self.label)
        self.body.addWidget(self.intention)
        chips = QHBoxLayout()
        chips.setSpacing(8)
        self.chips: list[QPushButton] = []
        for text in INTENTIONS:
            chip = QPushButton(text, self.card)
            chip.setObjectName("chip")
            chip.setAutoDefault(True)
            chip.setAccessibleName(f"I came to: {text}")
            chip.clicked.connect(lambda _=False, t=text: self._pick(t))
            chips.addWidget(chip)
            self.chips.append(chip)
        chips.addStretch(1)
        self.body.addLayout(chips)

        self.close_it = self._button(
            "&Close it", f"Close {prompt.app or prompt.category}", primary=True
        )
        self.go_on = self._button("C&ontinue", "Continue")
        self.close_it.clicked.connect(lambda: self._choose(Choice.CLOSE))
        self.go_on.clicked.connect(self._continue)
        self.buttons.addWidget(self.close_it)
        self.buttons.addWidget(self.go_on)
        self.buttons.addStretch(1)
        self.why = why_link("intention", self.card, "&Why this question?")
        self.why.setToolTip("What this question rests on (Alt+W)")
        self.buttons.addWidget(self.why)
        self._finish_layout()

        self.go_on.setEnabled(pause <= 0)
        if pause > 0:
            QTimer.singleShot(round(pause * 1000), self, lambda: self.go_on.setEnabled(True))

    @classmethod
    def ask(
        cls,
        prompt: IntentionPrompt,
        parent: QWidget | None = None,
        *,
        pause: float = INTENTION_PAUSE,
    ) -> IntentionPromptWindow:
        window = cls(prompt, parent, pause=pause)
        _present(window)
        window.intention.setFocus()
        return window

    def _pick(self, text: str) -> None:
        self.intention.setText(text)
        self.intention.setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if enter and self.focusWidget() is self.intention and self.intention.text().strip():
            # Enter after writing means "continue" (during the breath it waits): never the
            # default "Close it" for someone who just said why they came.
            self._continue()
            return
        super().keyPressEvent(event)

    def _continue(self) -> None:
        if self.go_on.isEnabled():
            self._choose(Choice.CONTINUE, self.intention.text().strip())


def _present(window: QDialog) -> None:
    window.show()
    window.raise_()
    window.activateWindow()


class PromptPresenter(QObject):
    """Shows limit, downtime and intention prompts as windows; a presenter for
    `BoundaryCoordinator`. Heads-up warnings (no choices) are left to notifications.

    Signals:
        help_requested(): forwarded from a prompt's "Need to talk to someone?".
    """

    help_requested = Signal()

    def __init__(
        self,
        answer: Callable[[Answer], None],
        parent: QObject | None = None,
        *,
        intention_pause: float = INTENTION_PAUSE,
    ) -> None:
        super().__init__(parent)
        self._answer = answer
        self._intention_pause = intention_pause
        self.windows: dict[int, BoundaryPrompt] = {}

    def present(self, action: Action) -> None:
        """Open a window for a prompt that needs an answer, or close one that passed."""
        window: BoundaryPrompt | None = None
        if isinstance(action, LimitPrompt) and action.choices:
            window = LimitPromptWindow.ask(action)
        elif isinstance(action, DowntimePrompt):
            window = DowntimePromptWindow.ask(action)
        elif isinstance(action, IntentionPrompt):
            window = IntentionPromptWindow.ask(action, pause=self._intention_pause)
        elif isinstance(action, Withdraw):
            shown = self.windows.pop(action.prompt_id, None)
            if shown is not None:
                shown.close()
                shown.deleteLater()
        if window is not None:
            self.windows[window.prompt_id] = window
            window.answered.connect(self._answer)
            window.help_requested.connect(self.help_requested.emit)
            window.finished.connect(lambda _r, w=window: self._forget(w))

    def _forget(self, window: BoundaryPrompt) -> None:
        if self.windows.get(window.prompt_id) is window:
            del self.windows[window.prompt_id]
        window.deleteLater()

    def close_all(self) -> None:
        """Close every open prompt (the app is quitting)."""
        for window in list(self.windows.values()):
            window.close()
            window.deleteLater()
        self.windows.clear()
