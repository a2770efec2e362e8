"""Answering a prompt in the real app, on a real window manager, from the keyboard.

jwm gives a new dialog the focus, as most X11 window managers do. Breather's own prompt in
front must not count as leaving the app it asks about: the prompt is shown once, stays until
the person answers, and the answer is what gets recorded.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.desktop.app_driver import (
    ARTIFACTS,
    QUIET_BREAKS,
    App,
    hold_with_input,
    named,
    prompt_windows,
    records,
    seed_use,
    wait_for_prompt,
    wait_for_window,
    window_size,
    xdotool,
)
from tests.desktop.harness import Desktop, Window, wait_until

pytestmark = pytest.mark.desktop

#: How long the prompt must hold, with the person's input going on, after it first shows.
HOLD = 6.0


def test_a_limit_prompt_holds_until_answered_from_the_keyboard(
    desktop: Desktop,
    open_window: Callable[..., Window],
    start_app: Callable[[str], App],
    tmp_path: Path,
) -> None:
    # Tk names the class "Firefox", as Firefox itself does (WM_CLASS "firefox", "Firefox").
    browser = open_window("firefox", "Weather forecast — Mozilla Firefox")
    desktop.focus(browser)
    # 52 of the 60 seconds were used earlier today: the limit is reached a few seconds in.
    seed_use(tmp_path, "Firefox", "Weather forecast — Mozilla Firefox", 52)
    app = start_app(QUIET_BREAKS + '\n[[limits]]\napp = "Firefox"\ndaily = "1m"\n')
    app.wait_ready()

    prompt = wait_for_prompt(desktop, 40, "the limit prompt")
    hold_with_input(desktop, prompt, HOLD)
    ARTIFACTS.mkdir(exist_ok=True)
    desktop.screenshot(ARTIFACTS / "desktop-limit-prompt.png")
    assert [outcome for outcome, _ in records(app.data, "limit")].count("reached") == 1

    xdotool(desktop, "key", "alt+m")  # "15 more minutes", typed into the window in front
    wait_until(lambda: not prompt_windows(desktop), 10, "the prompt to close")
    wait_until(lambda: "more" in dict(records(app.data, "limit")), 10, "the answer stored")
    outcomes = [outcome for outcome, _ in records(app.data, "limit")]
    assert outcomes.count("reached") == 1
    assert outcomes[-1] == "more"


def test_an_intention_prompt_holds_until_answered_from_the_keyboard(
    desktop: Desktop, open_window: Callable[..., Window], start_app: Callable[[str], App]
) -> None:
    other = open_window("Notes", "Shopping list")
    desktop.focus(other)
    app = start_app(QUIET_BREAKS + '\n[intention]\ncategories = ["Social media"]\n')
    app.wait_ready()
    social = open_window("firefox", "(3) Home / X — Mozilla Firefox")
    desktop.focus(social)

    prompt = wait_for_prompt(desktop, 30, "the intention prompt")
    hold_with_input(desktop, prompt, HOLD)
    assert [outcome for outcome, _ in records(app.data, "intention")] == ["reached"]

    # "Why this question?" (Alt+W) shows the evidence in front of the prompt; Escape goes
    # back to the prompt, still there, still unanswered, and ready to be written in.
    xdotool(desktop, "key", "alt+w")
    evidence = wait_until(lambda: named(desktop, "Why this default"), 10, "the evidence")
    assert desktop.active_window_id() == evidence
    ARTIFACTS.mkdir(exist_ok=True)
    desktop.screenshot(ARTIFACTS / "desktop-intention-why.png")
    xdotool(desktop, "key", "Escape")
    wait_until(lambda: named(desktop, "Why this default") is None, 10, "the evidence to close")
    wait_until(lambda: desktop.active_window_id() == prompt, 10, "the prompt to have the focus")
    assert prompt_windows(desktop) == [prompt]
    assert [outcome for outcome, _ in records(app.data, "intention")] == ["reached"]

    xdotool(desktop, "type", "reply to Sam")  # into the prompt's field, which has the focus
    xdotool(desktop, "key", "Return")
    wait_until(lambda: not prompt_windows(desktop), 10, "the prompt to close")
    wait_until(
        lambda: ("answered", "reply to Sam") in records(app.data, "intention"),
        10,
        "the intention stored",
    )
    assert "left" not in dict(records(app.data, "intention"))


def test_the_crisis_link_steps_a_break_aside_at_once(
    desktop: Desktop, open_window: Callable[..., Window], start_app: Callable[[str], App]
) -> None:
    notes = open_window("Notes", "Shopping list")
    desktop.focus(notes)
    app = start_app(
        '[tracking]\ninterval = "500ms"\n\n[breaks.eyes]\nevery = "40s"\nduration = "30s"\n\n'
        "[breaks.movement]\nenabled = false\n\n[intention]\ncategories = []\n"
    )
    app.wait_ready()
    # Work until the break is due: it starts at a pause in typing, or after a short wait.
    screen = wait_for_window(
        desktop, lambda w: window_size(desktop, w)[0] >= 1280, 120, "the full-screen break"
    )
    xdotool(desktop, "key", "alt+h")  # "Need to talk to someone?"
    wait_until(lambda: screen not in prompt_windows(desktop), 5, "the break to step aside")
    support = wait_until(lambda: prompt_windows(desktop), 5, "the Support page in front")[0]
    assert desktop.active_window_id() == support
    ARTIFACTS.mkdir(exist_ok=True)
    desktop.screenshot(ARTIFACTS / "desktop-break-help.png")
    # Stepping aside answers nothing: the break was due and is not skipped.
    assert "skipped" not in dict(records(app.data, "eyes"))
