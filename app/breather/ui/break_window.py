"""The break window: a calm screen with a countdown, one small exercise and three choices.

It covers every screen while a break runs (so the second monitor is resting too), but only
once the rules have waited for a pause in typing, and never when a fullscreen window or
do-not-disturb held the break back (those come as a quiet notification instead). Enter takes
the break, Esc postpones or skips it (whichever is offered), and every button has a mnemonic.

`BreakScreens` is the presenter the desktop app adds to its `BoundaryCoordinator`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QElapsedTimer, QObject, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QGuiApplication,
    QKeyEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from breather.notify.presenter import spoken
from breather.rules.model import Action, Answer, BreakFinished, BreakPrompt, Choice, Withdraw
from breather.ui.widgets import HELP_KEYS, help_link

ACCENT = "#2a9d8f"
ACCENT_DARK = "#1f7a6f"


@dataclass(frozen=True, slots=True)
class Tones:
    """The calm colours of breaks and prompts, for a light or a dark desktop."""

    page: str
    card: str
    line: str  # borders of cards, fields and secondary buttons
    ink: str
    muted: str
    soft: str  # the countdown's track, chips, hover
    link: str


LIGHT = Tones("#eef4f2", "white", "#c9dcd8", "#1f2d2b", "#5d6f6b", "#d8eeea", ACCENT_DARK)
DARK = Tones("#141c1a", "#1f2a28", "#3a514c", "#e4eeeb", "#a3b6b1", "#24413b", "#7fd1c4")


def tones(widget: QWidget) -> Tones:
    """Light or dark, following the desktop's palette as the rest of the app does."""
    window = widget.palette().color(QPalette.ColorRole.Window)
    return DARK if window.lightness() < 128 else LIGHT


def break_style(c: Tones) -> str:
    return f"""
QWidget#breakPage {{ background: {c.page}; }}
QFrame#breakCard {{
    background: {c.card}; border: 1px solid {c.line}; border-radius: 22px;
}}
QLabel {{ color: {c.ink}; background: transparent; }}
QLabel#kind {{ color: {c.link}; font-weight: 600; letter-spacing: 1px; }}
QLabel#muted {{ color: {c.muted}; }}
QPushButton {{
    border-radius: 10px; padding: 10px 22px; font-size: 11pt; min-height: 22px;
}}
QPushButton#primary {{ background: {ACCENT}; color: white; border: 2px solid {ACCENT}; }}
QPushButton#primary:hover {{ background: {ACCENT_DARK}; border-color: {ACCENT_DARK}; }}
QPushButton#secondary {{
    background: {c.card}; color: {c.link}; border: 2px solid {c.line};
}}
QPushButton#secondary:hover {{ background: {c.soft}; }}
QPushButton:focus, QPushButton#primary:focus, QPushButton#secondary:focus {{
    border: 2px solid {c.ink};
}}
QPushButton#link {{
    background: transparent; border: 2px solid transparent; color: {c.link};
    padding: 4px 8px; text-decoration: underline; font-size: 10pt;
}}
QPushButton#link:focus {{ border: 2px solid {c.ink}; }}
"""


class CountdownRing(QWidget):
    """A ring that empties as the rest goes by, with the time left in its middle."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._fraction = 1.0
        self._text = ""
        self.setMinimumSize(QSize(172, 172))
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Time left")

    def set_left(self, seconds: float, total: float) -> None:
        self._fraction = max(0.0, min(1.0, seconds / total)) if total > 0 else 0.0
        whole = max(0, round(seconds))
        self._text = f"{whole // 60}:{whole % 60:02d}" if whole >= 60 else f"{whole}"
        self.setAccessibleDescription(f"{spoken(whole)} left")
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(172, 172)

    def paintEvent(self, event: QPaintEvent) -> None:
        del event
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        side = min(self.width(), self.height()) - 16
        rect = QRectF((self.width() - side) / 2, (self.height() - side) / 2, side, side)
        track = QPen(QColor(tones(self).soft), 10)
        painter.setPen(track)
        painter.drawEllipse(rect)
        arc = QPen(QColor(ACCENT), 10)
        arc.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(arc)
        painter.drawArc(rect, 90 * 16, round(-360 * 16 * self._fraction))
        font = painter.font()
        font.setPointSizeF(30 if len(self._text) < 4 else 26)
        font.setWeight(font.Weight.DemiBold)
        painter.setFont(font)
        painter.setPen(QColor(tones(self).ink))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, self._text)
        painter.end()


class BreakWindow(QWidget):
    """One screen's break: heading, countdown, an exercise, and (on the main one) the choices.

    Signals:
        answered(Answer): the person chose take, postpone or skip.
        help_requested(): the person asked for someone to talk to (the self-help page).
    """

    answered = Signal(object)
    help_requested = Signal()

    def __init__(self, *, interactive: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.interactive = interactive
        self.prompt: BreakPrompt | None = None
        self._taking = False
        self._clock = QElapsedTimer()
        self._ticker = QTimer(self)
        self._ticker.setInterval(250)
        self._ticker.timeout.connect(self._tick)
        self.setObjectName("breakPage")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(break_style(tones(self)))
        self.setWindowTitle("Breather: break")
        self.setWindowFlags(
            Qt.WindowType.Window
            | Qt.WindowType.FramelessWindowHint
            | Qt.WindowType.WindowStaysOnTopHint
        )

        card = QFrame(self)
        card.setObjectName("breakCard")
        card.setMaximumWidth(600)
        card.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        body = QVBoxLayout(card)
        body.setContentsMargins(48, 40, 48, 36)
        body.setSpacing(14)

        self.kind = QLabel(card)
        self.kind.setObjectName("kind")
        self.kind.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.heading = QLabel(card)
        self.heading.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.heading.setWordWrap(True)
        heading_font = self.heading.font()
        heading_font.setPointSizeF(heading_font.pointSizeF() * 1.9)
        heading_font.setWeight(heading_font.Weight.DemiBold)
        self.heading.setFont(heading_font)
        self.ring = CountdownRing(card)
        self.exercise_title = QLabel(card)
        self.exercise_title.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        title_font = self.exercise_title.font()
        title_font.setPointSizeF(title_font.pointSizeF() * 1.15)
        title_font.setWeight(title_font.Weight.DemiBold)
        self.exercise_title.setFont(title_font)
        self.exercise_text = QLabel(card)
        self.exercise_text.setObjectName("muted")
        self.exercise_text.setWordWrap(True)
        self.exercise_text.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        text_font = self.exercise_text.font()
        text_font.setPointSizeF(text_font.pointSizeF() * 1.1)
        self.exercise_text.setFont(text_font)

        body.addWidget(self.kind)
        body.addWidget(self.heading)
        body.addSpacing(8)
        body.addWidget(self.ring, 0, Qt.AlignmentFlag.AlignHCenter)
        body.addSpacing(8)
        body.addWidget(self.exercise_title)
        body.addWidget(self.exercise_text)
        # Why the countdown went back up, or what happens now that the break is taken.
        self.status = QLabel(card)
        self.status.setObjectName("muted")
        self.status.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.status.setWordWrap(True)
        body.addWidget(self.status)
        body.addSpacing(14)

        self.take = QPushButton(card)
        self.take.setObjectName("primary")
        self.take.setDefault(True)
        self.take.setAutoDefault(True)
        self.take.clicked.connect(lambda: self._answer(Choice.TAKE))
        self.postpone = QPushButton(card)
        self.postpone.setObjectName("secondary")
        self.postpone.clicked.connect(lambda: self._answer(Choice.POSTPONE))
        self.skip = QPushButton("&Skip this one", card)
        self.skip.setObjectName("secondary")
        self.skip.setAccessibleName("Skip this break")
        self.skip.clicked.connect(lambda: self._answer(Choice.SKIP))
        buttons = QHBoxLayout()
        buttons.setSpacing(12)
        buttons.addStretch(1)
        for button in (self.take, self.postpone, self.skip):
            buttons.addWidget(button)
        buttons.addStretch(1)
        body.addLayout(buttons)

        self.keys_hint = QLabel(card)
        self.keys_hint.setObjectName("muted")
        self.keys_hint.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.help = help_link(card, self, self.help_requested.emit)
        body.addWidget(self.keys_hint)
        body.addWidget(self.help, 0, Qt.AlignmentFlag.AlignHCenter)

        for widget in (self.take, self.postpone, self.skip, self.keys_hint, self.help):
            widget.setVisible(interactive)

        page = QVBoxLayout(self)
        page.setContentsMargins(32, 32, 32, 32)
        page.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(card, 3)
        row.addStretch(1)
        page.addLayout(row)
        page.addStretch(1)

    def show_prompt(self, prompt: BreakPrompt) -> None:
        """Show (or update to) this moment of the break."""
        previous, left_before = self.prompt, self.seconds_left()
        self.prompt = prompt
        same_break = previous is not None and previous.prompt_id == prompt.prompt_id
        if not same_break:
            self._taking = False
            self.status.setText("")
        elif prompt.phase == "running" and prompt.remaining > left_before + 0.5:
            self.status.setText(
                "The countdown waits while you type or move the mouse: "
                "the rest counts once you are away from the keys."
            )
        eyes = prompt.kind == "eyes"
        self.kind.setText("EYE BREAK" if eyes else "MOVEMENT BREAK")
        if prompt.phase == "warning":
            self.heading.setText(f"A break in {spoken(prompt.starts_in)}")
            self.take.setText("&Start now")
        else:
            self.heading.setText("Rest your eyes" if eyes else "Time to move")
            self.take.setText("&Take the break")
        self.take.setAccessibleName("Take the break now")
        self.exercise_title.setText(prompt.exercise.title)
        self.exercise_text.setText(prompt.exercise.text)
        can_postpone = Choice.POSTPONE in prompt.choices
        can_skip = Choice.SKIP in prompt.choices
        self.postpone.setText(f"&Postpone {spoken(prompt.postpone_for)}")
        self.postpone.setAccessibleName(f"Postpone the break by {spoken(prompt.postpone_for)}")
        self.postpone.setVisible(self.interactive and can_postpone)
        self.skip.setVisible(self.interactive and can_skip)
        escape = "postpones" if can_postpone else "skips" if can_skip else "hides this"
        self.keys_hint.setText(
            f"Enter takes the break · Esc {escape} · {HELP_KEYS}: someone to talk to"
        )
        self.take.setVisible(True)
        if self._taking:
            self._show_taking()  # an update of a break already taken keeps saying so
        self.setAccessibleName(f"{'Eye' if eyes else 'Movement'} break")
        self.setAccessibleDescription(f"{self.heading.text()}. {prompt.exercise.text}")
        self._clock.start()
        self._tick()
        if not self._ticker.isActive():
            self._ticker.start()

    def seconds_left(self) -> float:
        """The rest still to go, as the countdown shows it."""
        if self.prompt is None:
            return 0.0
        elapsed = self._clock.elapsed() / 1000 if self._clock.isValid() else 0.0
        if self.prompt.phase == "warning":
            return max(0.0, self.prompt.starts_in - elapsed)
        return max(0.0, self.prompt.remaining - elapsed)

    def stop(self) -> None:
        self._ticker.stop()
        self.prompt = None
        self.hide()

    def _tick(self) -> None:
        if self.prompt is None:
            return
        total = self.prompt.starts_in if self.prompt.phase == "warning" else self.prompt.duration
        self.ring.set_left(self.seconds_left(), total)

    def _answer(self, choice: Choice) -> None:
        if self.prompt is not None and self.interactive:
            if choice == Choice.TAKE and self.prompt.phase == "running":
                self._taking = True
                self._show_taking()
            self.answered.emit(Answer(self.prompt.prompt_id, choice))

    def _show_taking(self) -> None:
        """The person said yes: nothing left to choose, only the rest to have."""
        self.take.hide()
        self.postpone.hide()
        self.status.setText("Good. Step away from the screen: the break ends by itself.")

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and self.prompt is not None:
            if Choice.POSTPONE in self.prompt.choices:
                self._answer(Choice.POSTPONE)
            elif Choice.SKIP in self.prompt.choices:
                self._answer(Choice.SKIP)
            else:
                self.hide()  # nothing else to offer: step out of the way, the rest still counts
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.interactive:
            focused = self.focusWidget()
            if isinstance(focused, QPushButton) and focused.isVisible():
                focused.click()
            else:
                self._answer(Choice.TAKE)
            return
        super().keyPressEvent(event)


class BreakScreens(QObject):
    """Shows running breaks on every screen; a presenter for `BoundaryCoordinator`.

    Warnings and quiet breaks are left to notifications. The main screen's window takes the
    keyboard; the others only show the countdown.

    Signals:
        help_requested(): "Need to talk to someone?" was pressed; the break has stepped aside.
    """

    help_requested = Signal()

    def __init__(self, answer: Callable[[Answer], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._answer = answer
        self.windows: list[BreakWindow] = []
        self.prompt_id: int | None = None

    def present(self, action: Action) -> None:
        if isinstance(action, BreakPrompt):
            if action.phase == "running" and not action.quiet:
                self._show(action)
            elif action.prompt_id == self.prompt_id:
                self._show(action)  # a shown break's update
        elif isinstance(action, BreakFinished | Withdraw) and action.prompt_id == self.prompt_id:
            self.close()

    def step_aside(self) -> None:
        """Hide the break at once (it goes on counting) so that what the person asked for,
        someone to talk to, is in front of everything."""
        for window in self.windows:
            window.hide()

    def _help(self) -> None:
        self.step_aside()
        self.help_requested.emit()

    def close(self) -> None:
        for window in self.windows:
            window.stop()
            window.deleteLater()
        self.windows.clear()
        self.prompt_id = None

    @property
    def main(self) -> BreakWindow | None:
        return self.windows[0] if self.windows else None

    def _show(self, prompt: BreakPrompt) -> None:
        if self.prompt_id != prompt.prompt_id or not self.windows:
            self.close()
            self._open()
        self.prompt_id = prompt.prompt_id
        for window in self.windows:
            window.show_prompt(prompt)

    def _open(self) -> None:
        primary = QGuiApplication.primaryScreen()
        screens = [primary, *(s for s in QGuiApplication.screens() if s is not primary)]
        for screen in screens:
            window = BreakWindow(interactive=screen is primary)
            window.answered.connect(self._answer)
            window.help_requested.connect(self._help)
            window.setScreen(screen)
            window.setGeometry(screen.geometry())
            self.windows.append(window)
        for window in reversed(self.windows):
            window.show()
        main = self.windows[0]
        main.raise_()
        main.activateWindow()
        main.take.setFocus()
