"""Personal experiments on the Trends page: start one, see it run, end it, see how it went.

`ExperimentCard` lists the running experiment (its days so far, with an End early button) and
the finished ones with their before-against-during sentences; `ExperimentDialog` asks what to
try, how much and for how many days, answerable from the keyboard alone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from breather.data.experiment_results import ExperimentResult, experiment_result
from breather.settings.durations import parse_duration
from breather.store.experiments import (
    MAX_DAYS,
    MIN_DAYS,
    BadExperiment,
    Experiment,
    ExperimentLog,
    experiments,
    new_experiment,
    subject_for,
)
from breather.ui.context import AppContext
from breather.ui.widgets import Card

#: The choices in "What" that are break cadences, not limits.
BREAK_CHOICES = {"Movement breaks": "movement", "Eye breaks": "eyes"}
#: How many finished experiments the card shows, newest first.
SHOWN_FINISHED = 5


@dataclass(frozen=True, slots=True)
class Choice:
    """What the person asked to try: `kind`, `subject`, `value` seconds, for `days`."""

    kind: str
    subject: str
    value: float
    days: int


class ExperimentDialog(QDialog):
    """What to try, how much, and for how many days. Enter starts it, Escape cancels."""

    def __init__(self, categories: tuple[str, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Start an experiment")
        # A word-wrapped intro lets Qt shrink the dialog until its title is cut off.
        self.setMinimumWidth(460)
        self._categories = categories
        self.choice: Choice | None = None
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Try a daily limit or a break cadence for some days. Breather compares your daily "
            "minutes and mood with as many days before today. Your settings stay as they are."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.what = QComboBox(self)
        self.what.setEditable(True)  # an app's name may be typed in
        self.what.addItems([*categories, *BREAK_CHOICES])
        if "Social media" in categories:
            self.what.setCurrentText("Social media")
        self.what.setToolTip("A category, an app's name, or a break cadence")
        form.addRow("&What:", self.what)
        self.amount = QLineEdit("30m", self)
        self.amount.setToolTip('A limit a day, or how often a break comes: "30m", "1h"')
        form.addRow("&How much:", self.amount)
        self.days = QSpinBox(self)
        self.days.setRange(MIN_DAYS, MAX_DAYS)
        self.days.setValue(14)
        self.days.setSuffix(" days")
        form.addRow("For how many &days:", self.days)
        layout.addLayout(form)
        self.problem = QLabel("")
        self.problem.setObjectName("muted")
        self.problem.setWordWrap(True)
        layout.addWidget(self.problem)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        start = buttons.button(QDialogButtonBox.StandardButton.Ok)
        start.setText("&Start")
        start.setDefault(True)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.what.setFocus()

    @classmethod
    def ask(cls, categories: tuple[str, ...], parent: QWidget | None = None) -> Choice | None:
        """Ask, modally; None when cancelled. Tests replace this."""
        dialog = cls(categories, parent)
        dialog.exec()
        return dialog.choice

    def _accept(self) -> None:
        what = self.what.currentText().strip()
        if not what:
            self.problem.setText("Say what to try: a category, an app or a break cadence.")
            return
        try:
            value = parse_duration(self.amount.text())
        except ValueError as why:
            self.problem.setText(f"How much: {why}")
            return
        if what in BREAK_CHOICES:
            kind, subject = "breaks", BREAK_CHOICES[what]
        else:
            kind, subject = "limit", subject_for(what, self._categories)
        try:
            new_experiment(datetime.now().astimezone(), kind, subject, value, self.days.value())
        except BadExperiment as why:
            self.problem.setText(str(why).capitalize() + ".")
            return
        self.choice = Choice(kind, subject, value, self.days.value())
        self.accept()


class ExperimentCard(Card):
    """The person's experiments; `results` holds what is shown (for tests and checks)."""

    def __init__(
        self,
        context: AppContext,
        device_id: int,
        on_changed: Callable[[], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Experiments", parent)
        self._context = context
        self._device_id = device_id
        self._on_changed = on_changed
        self.results: list[ExperimentResult] = []
        self.intro = QLabel(
            "Try a limit or a break cadence for some days, and see your days before against "
            "during it."
        )
        self.intro.setObjectName("muted")
        self.intro.setWordWrap(True)
        self.body.addWidget(self.intro)
        row = QHBoxLayout()
        self.start_button = QPushButton("&Start an experiment…", self)
        self.start_button.clicked.connect(self.start)
        row.addWidget(self.start_button)
        row.addStretch(1)
        self.body.addLayout(row)
        self._list = QVBoxLayout()
        self._list.setSpacing(12)
        self.body.addLayout(self._list)
        self.end_button: QPushButton | None = None
        self.texts: list[str] = []

    def refresh(self) -> None:
        context = self._context
        policy = context.settings.policy()
        now = context.clock.now()
        newest_first = list(reversed(experiments(context.db)))
        # Only those shown are compared: each costs a few weeks of day summaries.
        shown = [item for item in newest_first if item.running(now, policy)] + [
            item for item in newest_first if not item.running(now, policy)
        ][:SHOWN_FINISHED]
        self.results = [
            experiment_result(context.db, item, policy, context.categorizer, now) for item in shown
        ]
        running = [result for result in self.results if result.running]
        finished = [result for result in self.results if not result.running]
        self.start_button.setEnabled(not running)
        self._clear()
        self.texts = []
        self.end_button = None
        for result in running:
            item = result.experiment
            self._add(result, f"Running: {item.label}, day {result.days_so_far} of {item.days}.")
            self.end_button = QPushButton("&End early", self)
            uuid = result.experiment.uuid
            self.end_button.clicked.connect(lambda _=False, uuid=uuid: self.end(uuid))
            self._add_button(self.end_button)
        for result in finished:
            item = result.experiment
            how = (
                f"ended early after {result.days_so_far} of {item.days} days"
                if item.ended is not None
                else f"{item.days} days"
            )
            self._add(result, f"{self._title(result)} ({how}).")
            if not running:
                again = QPushButton("Repeat", self)
                again.setToolTip(f"Try {item.label} again for {item.days} days, from today")
                again.clicked.connect(lambda _=False, item=item: self.repeat(item))
                self._add_button(again)

    def start(self) -> None:
        """Ask what to try, then start it and apply it at once."""
        choice = ExperimentDialog.ask(self._context.categorizer.names, self.window())
        if choice is not None:
            self._begin(choice)

    def repeat(self, item: Experiment) -> None:
        self._begin(Choice(item.kind, item.subject, item.value, item.days))

    def end(self, uuid: str) -> None:
        ExperimentLog(self._context.db, self._device_id).end(uuid, self._context.clock.now())
        self._on_changed()
        self.refresh()

    def _begin(self, choice: Choice) -> None:
        experiment = new_experiment(
            self._context.clock.now(), choice.kind, choice.subject, choice.value, choice.days
        )
        ExperimentLog(self._context.db, self._device_id).start(experiment)
        self._on_changed()
        self.refresh()

    def _title(self, result: ExperimentResult) -> str:
        first, last = result.first_day, result.last_day
        label = result.experiment.label
        return f"{label[:1].upper()}{label[1:]}, {first:%a %d %b} to {last:%a %d %b}"

    def _add(self, result: ExperimentResult, heading: str) -> None:
        title = QLabel(heading, self)
        title.setWordWrap(True)
        font = title.font()
        font.setBold(True)
        title.setFont(font)
        self._list.addWidget(title)
        said = QLabel("\n".join(result.sentences()), self)
        said.setWordWrap(True)
        self._list.addWidget(said)
        self.texts.append(f"{heading}\n{said.text()}")

    def _add_button(self, button: QPushButton) -> None:
        """A button at its own width, on the left, under what it acts on."""
        holder = QWidget(self)
        row = QHBoxLayout(holder)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(button)
        row.addStretch(1)
        self._list.addWidget(holder)

    def _clear(self) -> None:
        while self._list.count():
            taken = self._list.takeAt(0)
            widget = taken.widget() if taken is not None else None
            if widget is not None:
                widget.deleteLater()
