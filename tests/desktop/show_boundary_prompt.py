"""Show one boundary window on the test desktop and save what it looks like.

    python show_boundary_prompt.py break|limit|intention|downtime OUT.png

Prints `shown` once the window is on screen and its picture saved, and `answered CHOICE` for
each answer given to it (so a test can press keys for real), until stdin closes.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QSocketNotifier, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from breather.rules import (
    Answer,
    BreakPrompt,
    Choice,
    DowntimePrompt,
    IntentionPrompt,
    LimitPrompt,
)
from breather.rules.exercises import suggest
from breather.ui.break_window import BreakScreens
from breather.ui.prompts import DowntimePromptWindow, IntentionPromptWindow, LimitPromptWindow


def say(answer: Answer) -> None:
    print(f"answered {answer.choice.value} {answer.detail}".strip(), flush=True)


def build(which: str) -> tuple[QWidget, object]:
    if which == "break":
        screens = BreakScreens(say)
        screens.present(
            BreakPrompt(
                prompt_id=1,
                kind="eyes",
                phase="running",
                duration=20,
                starts_in=0,
                remaining=14,
                choices=(Choice.TAKE, Choice.POSTPONE),
                exercise=suggest("eyes", 0),
                postpone_for=120,
            )
        )
        assert screens.main is not None
        return screens.main, screens
    if which == "limit":
        choices = (Choice.CLOSE, Choice.MORE, Choice.IGNORE)
        prompt = LimitPrompt(
            2, "category:Social media", "Social media", "reached", 1800, 1800, choices
        )
        window = LimitPromptWindow.ask(prompt)
        window.answered.connect(say)
        return window, window
    if which == "downtime":
        choices = (Choice.CLOSE, Choice.MORE, Choice.IGNORE)
        window = DowntimePromptWindow.ask(DowntimePrompt(3, "Video", "mpv", "07:00", choices))
        window.answered.connect(say)
        return window, window
    prompt = IntentionPrompt(4, "Social media", "firefox", (Choice.CONTINUE, Choice.CLOSE))
    window = IntentionPromptWindow.ask(prompt)
    window.answered.connect(say)
    return window, window


def main(argv: list[str]) -> int:
    app = QApplication(argv[:1])
    widget, keep = build(argv[1])

    def save() -> None:
        widget.grab().save(argv[2])
        print("shown", flush=True)

    QTimer.singleShot(700, save)  # mapped, managed and painted by then
    stdin = QSocketNotifier(sys.stdin.fileno(), QSocketNotifier.Type.Read)
    stdin.activated.connect(lambda: app.quit() if not sys.stdin.readline() else None)
    code = app.exec()
    del keep
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv))
