"""Rule actions as desktop notifications, and the buttons pressed on them as answers.

One notification follows one break from its warning to its end: it is replaced as the break
progresses (warning, rest, postpone turning into skip) and closed or thanked when it is over.
Limit, downtime and intention prompts get a notification each, closed once answered or once
the person has moved on.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import replace

from breather.notify.base import (
    DEFAULT_ACTION,
    Notification,
    Notifier,
    NotifierUnavailable,
    Urgency,
)
from breather.rules.model import (
    INTENTIONS,
    Action,
    Answer,
    BreakFinished,
    BreakPrompt,
    Choice,
    DowntimePrompt,
    IntentionPrompt,
    LimitPrompt,
    Outcome,
    Withdraw,
)

log = logging.getLogger(__name__)

#: Action keys for the quick intentions: "continue:0" is INTENTIONS[0].
INTENTION_KEY = "continue:"
THANKS_MS = 4000
HEADS_UP_MS = 10_000


def spoken(seconds: float) -> str:
    """A duration as people say it: "20 seconds", "5 minutes", "1 minute 30 seconds"."""
    whole = round(seconds)
    minutes, secs = divmod(whole, 60)
    hours, minutes = divmod(minutes, 60)
    parts = []
    for amount, unit in ((hours, "hour"), (minutes, "minute"), (secs, "second")):
        if amount:
            parts.append(f"{amount} {unit}{'s' if amount != 1 else ''}")
    return " ".join(parts) or "a moment"


def break_notification(prompt: BreakPrompt) -> Notification:
    """What a break says at its phase."""
    what = "eye break" if prompt.kind == "eyes" else "movement break"
    actions: list[tuple[str, str]] = []
    if prompt.phase == "warning":
        summary = f"An {what} in {spoken(prompt.starts_in)}"
        if prompt.kind == "movement":
            summary = f"A {what} in {spoken(prompt.starts_in)}"
        body = "Finish what you are writing: it starts when you pause."
        actions.append((Choice.TAKE.value, "Start now"))
    else:
        if prompt.kind == "eyes":
            summary = f"Rest your eyes for {spoken(prompt.duration)}"
        else:
            summary = f"Time to move for {spoken(prompt.duration)}"
        body = f"{prompt.exercise.title}. {prompt.exercise.text}"
        actions.append((DEFAULT_ACTION, "Take the break"))
    if Choice.POSTPONE in prompt.choices:
        actions.append((Choice.POSTPONE.value, f"Postpone {spoken(prompt.postpone_for)}"))
    if Choice.SKIP in prompt.choices:
        actions.append((Choice.SKIP.value, "Skip this one"))
    return Notification(
        summary,
        body,
        tuple(actions),
        urgency=Urgency.LOW if prompt.quiet else Urgency.NORMAL,
        timeout_ms=0,
        category="presence",
    )


def limit_notification(prompt: LimitPrompt) -> Notification:
    if prompt.phase == "warning":
        left = max(0.0, prompt.allowed - prompt.used)
        return Notification(
            f"{spoken(left)} left for {prompt.label} today",
            f"You chose {spoken(prompt.allowed)} a day. Breather will ask when it is up.",
            timeout_ms=HEADS_UP_MS,
        )
    return Notification(
        f"That is your {spoken(prompt.allowed)} of {prompt.label} for today",
        "How would you like to go on?",
        (
            (Choice.CLOSE.value, "Close it"),
            (Choice.MORE.value, "15 more minutes"),
            (Choice.IGNORE.value, "Ignore for today"),
        ),
        timeout_ms=0,
    )


def downtime_notification(prompt: DowntimePrompt) -> Notification:
    where = f" ({prompt.app})" if prompt.app else ""
    return Notification(
        f"It is downtime until {prompt.until}",
        f"You opened {prompt.category}{where}. Time to wind down?",
        (
            (Choice.CLOSE.value, "Close it"),
            (Choice.MORE.value, "15 more minutes"),
            (Choice.IGNORE.value, "Not tonight"),
        ),
        timeout_ms=0,
    )


def intention_notification(prompt: IntentionPrompt) -> Notification:
    actions = [(f"{INTENTION_KEY}{index}", text) for index, text in enumerate(INTENTIONS)]
    actions.append((Choice.CLOSE.value, "Close it"))
    return Notification(
        f"What did you come to {prompt.category} for?",
        "A breath before you dive in. If it is nothing in particular, closing it is fine.",
        tuple(actions),
        timeout_ms=0,
    )


class NotificationPresenter:
    """Shows rule actions through a `Notifier` and turns pressed buttons into `Answer`s.

    `answer` receives them on the notifier's thread: hand it something thread-safe, such as
    `BoundaryCoordinator.submit`. With `windows` (the desktop app, whose break window and
    prompt windows ask the questions) it shows only what needs no window: break warnings,
    quiet breaks, limit heads-ups and thanks.
    """

    def __init__(
        self, notifier: Notifier, answer: Callable[[Answer], None], *, windows: bool = False
    ) -> None:
        self._notifier = notifier
        self._answer = answer
        self._windows = windows
        self._lock = threading.Lock()
        self._by_prompt: dict[int, int] = {}
        self._by_notification: dict[int, tuple[int, str]] = {}
        self._failed = False
        notifier.listen(self._action, self._closed)

    def present(self, action: Action) -> None:
        """Show, update or take away the notification for `action`."""
        in_window = self._windows
        if isinstance(action, BreakPrompt):
            if in_window and action.phase == "running" and not action.quiet:
                self._take_away(action.prompt_id)  # the break window has it now
            else:
                self._show(action.prompt_id, "break", break_notification(action))
        elif isinstance(action, BreakFinished):
            self._finish_break(action)
        elif isinstance(action, LimitPrompt):
            if not (in_window and action.choices):
                kind = "limit" if action.choices else "heads-up"
                self._show(action.prompt_id, kind, limit_notification(action))
        elif isinstance(action, DowntimePrompt):
            if not in_window:
                self._show(action.prompt_id, "downtime", downtime_notification(action))
        elif isinstance(action, IntentionPrompt):
            if not in_window:
                self._show(action.prompt_id, "intention", intention_notification(action))
        elif isinstance(action, Withdraw):
            self._take_away(action.prompt_id)

    # -- showing ---------------------------------------------------------------------------

    def _show(self, prompt_id: int, kind: str, notification: Notification) -> None:
        with self._lock:
            replaces = self._by_prompt.get(prompt_id, 0)
        try:
            shown = self._notifier.notify(replace(notification, replaces=replaces))
        except NotifierUnavailable as why:
            if not self._failed:
                log.warning("cannot show notifications any more: %s", why)
                self._failed = True
            return
        self._failed = False
        with self._lock:
            if replaces and replaces != shown:
                self._by_notification.pop(replaces, None)
            self._by_prompt[prompt_id] = shown
            self._by_notification[shown] = (prompt_id, kind)

    def _finish_break(self, finished: BreakFinished) -> None:
        if finished.outcome is Outcome.TAKEN:
            with self._lock:
                replaces = self._by_prompt.pop(finished.prompt_id, 0)
                self._by_notification.pop(replaces, None)
            thanks = Notification(
                "Break done. Welcome back.",
                timeout_ms=THANKS_MS,
                urgency=Urgency.LOW,
                replaces=replaces,
            )
            try:
                self._notifier.notify(thanks)
            except NotifierUnavailable:
                log.debug("could not say thanks", exc_info=True)
            return
        self._take_away(finished.prompt_id)

    def _take_away(self, prompt_id: int) -> None:
        with self._lock:
            shown = self._by_prompt.pop(prompt_id, None)
            if shown is not None:
                self._by_notification.pop(shown, None)
        if shown is not None:
            self._notifier.close(shown)

    # -- answers (on the notifier's thread) ------------------------------------------------

    def _action(self, notification_id: int, key: str) -> None:
        with self._lock:
            found = self._by_notification.get(notification_id)
        if found is None:
            return  # not ours, or already over
        prompt_id, kind = found
        answer = _answer_for(prompt_id, kind, key)
        if answer is not None:
            self._answer(answer)

    def _closed(self, notification_id: int, reason: int) -> None:
        del reason  # dismissed or expired: the prompt stays open in the rules until it passes
        with self._lock:
            found = self._by_notification.pop(notification_id, None)
            if found is not None and self._by_prompt.get(found[0]) == notification_id:
                del self._by_prompt[found[0]]


def _answer_for(prompt_id: int, kind: str, key: str) -> Answer | None:
    if key.startswith(INTENTION_KEY) and kind == "intention":
        try:
            detail = INTENTIONS[int(key.removeprefix(INTENTION_KEY))]
        except (ValueError, IndexError):
            return None
        return Answer(prompt_id, Choice.CONTINUE, detail)
    if key == DEFAULT_ACTION:
        return Answer(prompt_id, Choice.TAKE) if kind == "break" else None
    try:
        return Answer(prompt_id, Choice(key))
    except ValueError:
        return None
