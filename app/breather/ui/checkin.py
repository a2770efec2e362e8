"""The mood check-in: one small window, one tap or one key, at most once a day.

Keys 1 to 5 answer (when the note field does not have the focus), Esc skips. A low answer
offers Support with one click, never opens it by itself; the third skip in a row asks
whether to stop asking. `CheckinPrompter` decides when to ask and stores the answers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import time

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from breather.clock import Clock
from breather.rules.checkin import CheckinPolicy, Moment, asks_to_stop, next_evening, should_ask
from breather.rules.model import Outcome, Record
from breather.store.boundaries import BoundaryLog
from breather.store.checkins import (
    LOW_MOOD,
    MOOD_WORDS,
    NOTE_LIMIT,
    PROMPT_KIND,
    CheckinLog,
    last_asked,
    new_checkin,
    skips_in_a_row,
)
from breather.store.sql import Database
from breather.ui.prompts import dress_as_prompt

#: Started after the evening moment without a check-in today: ask this many seconds later.
CATCH_UP_AFTER = 10.0

_MOOD_KEYS = {getattr(Qt.Key, f"Key_{mood}"): mood for mood in MOOD_WORDS}


class CheckinWindow(QDialog):
    """How are you feeling? Five answers, an optional word, and Skip.

    Signals:
        answered(int, str): a mood and the note (maybe empty).
        skipped(): Skip or Esc on the question.
        support_requested(): "Open Support" after a low answer.
        stop_asking(): "Stop asking" after the third skip in a row.
    """

    answered = Signal(int, str)
    skipped = Signal()
    support_requested = Signal()
    stop_asking = Signal()

    def __init__(self, *, skips_before: int = 0, parent: QWidget | None = None) -> None:
        """`skips_before`: skips in a row before this prompt, so a skip here knows whether it
        is the one after which to ask about stopping."""
        super().__init__(parent)
        self._skips_before = skips_before
        outer = dress_as_prompt(self, "How are you?")
        self.pages = QStackedWidget(self)
        outer.addWidget(self.pages)
        self.ask_page = self._ask_page()
        self.support_page, self.open_support, self.close_support = self._follow_up(
            "Thank you for saying so",
            "Some days are hard. If talking to someone would help, Support lists people "
            "you can reach, for your region.",
            ("Open &Support", "Open Support", self._open_support),
            ("&Close", "Close", self.accept),
        )
        self.stop_page, self.stop_button, self.keep_button = self._follow_up(
            "Keep asking how you feel?",
            "You skipped the last few check-ins. That is fine. Should Breather stop asking? "
            "You can turn it on again in Settings, and `breather checkin` works any time.",
            ("S&top asking", "Stop asking", self._stop),
            ("&Keep asking", "Keep asking", self.accept),
        )
        for page in (self.ask_page, self.support_page, self.stop_page):
            self.pages.addWidget(page)
        self.setAccessibleName("How are you feeling?")

    def _card(self) -> tuple[QFrame, QVBoxLayout]:
        card = QFrame(self)
        card.setObjectName("promptCard")
        body = QVBoxLayout(card)
        body.setContentsMargins(36, 30, 36, 22)
        body.setSpacing(12)
        return card, body

    def _heading(self, text: str, card: QWidget) -> QLabel:
        heading = QLabel(text, card)
        heading.setWordWrap(True)
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setWeight(font.Weight.DemiBold)
        heading.setFont(font)
        return heading

    def _ask_page(self) -> QFrame:
        card, body = self._card()
        body.addWidget(self._heading("How are you feeling?", card))
        hint = QLabel("One tap, or a key from 1 to 5. Esc skips: that is always fine.", card)
        hint.setObjectName("muted")
        hint.setWordWrap(True)
        body.addWidget(hint)
        row = QHBoxLayout()
        row.setSpacing(8)
        self.mood_buttons: list[QPushButton] = []
        for mood, word in MOOD_WORDS.items():
            button = QPushButton(f"{mood}\n{word}", card)
            button.setObjectName("chip")
            button.setAccessibleName(f"Mood {mood} of 5: {word}")
            button.setAutoDefault(False)
            button.setMinimumWidth(84)
            button.clicked.connect(lambda _=False, m=mood: self.answer(m))
            row.addWidget(button)
            self.mood_buttons.append(button)
        row.addStretch(1)
        body.addLayout(row)
        label = QLabel("&A word, if you like (optional)", card)
        label.setObjectName("field")
        self.note = QLineEdit(card)
        self.note.setMaxLength(NOTE_LIMIT)
        self.note.setPlaceholderText("tired, proud, a good walk…")
        self.note.setAccessibleName("A word about how you feel (optional)")
        label.setBuddy(self.note)
        body.addWidget(label)
        body.addWidget(self.note)
        buttons = QHBoxLayout()
        self.skip_button = QPushButton("S&kip", card)
        self.skip_button.setObjectName("secondary")
        self.skip_button.setAccessibleName("Skip this check-in")
        self.skip_button.clicked.connect(self.skip)
        buttons.addWidget(self.skip_button)
        buttons.addStretch(1)
        body.addSpacing(6)
        body.addLayout(buttons)
        return card

    def _follow_up(
        self,
        heading: str,
        text: str,
        first: tuple[str, str, Callable[[], None]],
        second: tuple[str, str, Callable[[], None]],
    ) -> tuple[QFrame, QPushButton, QPushButton]:
        card, body = self._card()
        body.addWidget(self._heading(heading, card))
        said = QLabel(text, card)
        said.setObjectName("muted")
        said.setWordWrap(True)
        body.addWidget(said)
        row = QHBoxLayout()
        made = []
        for index, (label, accessible, slot) in enumerate((first, second)):
            button = QPushButton(label, card)
            button.setObjectName("primary" if index == 0 else "secondary")
            button.setAccessibleName(accessible)
            button.setAutoDefault(True)
            button.clicked.connect(slot)
            row.addWidget(button)
            made.append(button)
        row.addStretch(1)
        body.addSpacing(6)
        body.addLayout(row)
        return card, made[0], made[1]

    @classmethod
    def ask(cls, *, skips_before: int = 0) -> CheckinWindow:
        window = cls(skips_before=skips_before)
        window.show()
        window.raise_()
        window.activateWindow()
        window.setFocus()
        return window

    def answer(self, mood: int, note: str | None = None) -> None:
        """The person chose `mood`: stored by whoever listens; a low one offers Support."""
        if self.pages.currentWidget() is not self.ask_page:
            return
        self.answered.emit(mood, (self.note.text() if note is None else note).strip())
        if mood <= LOW_MOOD:
            self._show(self.support_page)
        else:
            self.accept()

    def skip(self) -> None:
        """No answer today; after the third skip in a row, ask whether to stop asking."""
        if self.pages.currentWidget() is not self.ask_page:
            return
        self.skipped.emit()
        if asks_to_stop(self._skips_before + 1):
            self._show(self.stop_page)
        else:
            self.reject()

    def _show(self, page: QWidget) -> None:
        self.pages.setCurrentWidget(page)
        first = self.open_support if page is self.support_page else self.keep_button
        first.setFocus()

    def _open_support(self) -> None:
        self.support_requested.emit()
        self.accept()

    def _stop(self) -> None:
        self.stop_asking.emit()
        self.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        on_question = self.pages.currentWidget() is self.ask_page
        if event.key() == Qt.Key.Key_Escape:
            if on_question:
                self.skip()
            else:
                self.accept()  # after an answer: Esc just closes, nothing more is done
            return
        mood = _MOOD_KEYS.get(Qt.Key(event.key()))
        if on_question and mood is not None and self.focusWidget() is not self.note:
            self.answer(mood)
            return
        super().keyPressEvent(event)


class RecordTee:
    """A record sink that passes records on and tells `watch` about them too (the check-in
    prompter hears of movement breaks taken this way)."""

    def __init__(self, inner: BoundaryLog, watch: CheckinPrompter) -> None:
        self._inner = inner
        self._watch = watch

    def record(self, records: Sequence[Record]) -> None:
        self._inner.record(records)
        if any(
            item.kind == "movement" and item.outcome in (Outcome.TAKEN, Outcome.NATURAL)
            for item in records
        ):
            self._watch.moment_arrived("after-movement")


class CheckinPrompter(QObject):
    """Asks for a check-in at the person's moment, once a day at most, and stores the answer.

    Signals:
        support_requested(): the person chose "Open Support" after a low answer.
        stop_requested(): the person chose "Stop asking".
    """

    support_requested = Signal()
    stop_requested = Signal()

    def __init__(
        self,
        db: Database,
        device_id: int,
        clock: Clock,
        *,
        policy: CheckinPolicy,
        day_starts: time,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._db = db
        self._log = CheckinLog(db, device_id)
        self._events = BoundaryLog(db, device_id)
        self._clock = clock
        self._policy = policy
        self._day_starts = day_starts
        self.window: CheckinWindow | None = None
        self._evening = QTimer(self)
        self._evening.setSingleShot(True)
        self._evening.timeout.connect(lambda: self.moment_arrived("evening"))
        self._arm()

    def set_policy(self, policy: CheckinPolicy, day_starts: time) -> None:
        self._policy, self._day_starts = policy, day_starts
        self._arm()

    def moment_arrived(self, trigger: Moment) -> CheckinWindow | None:
        """The evening time came, or a movement break was taken: ask if it is the moment."""
        now = self._clock.now()
        if trigger == "evening":
            self._arm()
        if self.window is not None or not should_ask(
            self._policy, now, self._day_starts, last_asked=last_asked(self._db), trigger=trigger
        ):
            return None
        return self.ask_now()

    def ask_now(self) -> CheckinWindow:
        """Show the check-in now (the tray's "How are you?", or the moment came)."""
        if self.window is not None:
            self.window.raise_()
            return self.window
        window = CheckinWindow.ask(skips_before=skips_in_a_row(self._db))
        window.answered.connect(self._answered)
        window.skipped.connect(self._skipped)
        window.support_requested.connect(self.support_requested.emit)
        window.stop_asking.connect(self.stop_requested.emit)
        window.finished.connect(lambda _result: self._closed(window))
        self.window = window
        return window

    def close(self) -> None:
        self._evening.stop()
        if self.window is not None:
            self.window.close()

    def _answered(self, mood: int, note: str) -> None:
        now = self._clock.now()
        self._log.record(new_checkin(now, mood, note))
        self._events.record([Record(now, PROMPT_KIND, Outcome.ANSWERED)])

    def _skipped(self) -> None:
        self._events.record([Record(self._clock.now(), PROMPT_KIND, Outcome.SKIPPED)])

    def _closed(self, window: CheckinWindow) -> None:
        if self.window is window:
            self.window = None
        window.deleteLater()

    def _arm(self) -> None:
        self._evening.stop()
        if not (self._policy.ask and self._policy.moment == "evening"):
            return
        now = self._clock.now()
        wait = (next_evening(self._policy, now) - now).total_seconds()
        if should_ask(
            self._policy, now, self._day_starts, last_asked=last_asked(self._db), trigger="evening"
        ):
            # Started (or back) after the chosen time, not asked yet today: a little later,
            # not in the middle of logging in.
            wait = CATCH_UP_AFTER
        self._evening.start(max(1000, round(wait * 1000)))
