"""The coordinator between tracking, the rules, the person and the store, with a fake clock."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, time, timedelta

from breather.clock import FakeClock
from breather.data.report import boundary_figures
from breather.monitor.base import Sample, WindowInfo
from breather.notify.fake import RecordingNotifier
from breather.notify.presenter import NotificationPresenter
from breather.rules import BreakRule, Breaks, Intention, Limit, Policy, UsageMeter
from breather.runtime.coordinator import BoundaryCoordinator
from breather.store import Store
from breather.store.boundaries import BoundaryLog, break_counts, events
from breather.tracking.spans import Span, Tracker

START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
EDITOR = WindowInfo("code", "notes.md", "code", "/usr/bin/code")
SOCIAL = WindowInfo("firefox", "Home / X — Mozilla Firefox", "firefox", "/usr/bin/firefox")
QUICK = Policy(
    breaks=Breaks(
        eyes=BreakRule("eyes", 60, 10),
        movement=BreakRule("movement", 3600, 300, enabled=False),
    ),
    tz=UTC,
    day_starts=time(4),
)


def categorize(app: str, title: str) -> str:
    del title
    return "Social media" if app == "firefox" else "Work"


class Desk:
    """A tracker, a coordinator and a notifier, fed one sample a second."""

    def __init__(self, store: Store, policy: Policy = QUICK, *, showing: bool = True) -> None:
        self.clock = FakeClock(START)
        self.tracker = Tracker(idle_after=180, max_gap=5)
        self.notifier = RecordingNotifier()
        self.coordinator = BoundaryCoordinator(
            policy,
            clock=self.clock,
            categorize=categorize,
            log=BoundaryLog(store.db, store.device_id),
            showing=lambda: showing,
        )
        self.coordinator.add_presenter(
            NotificationPresenter(self.notifier, self.coordinator.submit)
        )
        self.last_input = self.clock.monotonic()
        self.window: WindowInfo | None = EDITOR
        #: One of Breather's own windows (a prompt) is in front.
        self.own_window = False

    def run(self, seconds: int, *, typing: bool = True) -> None:
        for _ in range(seconds):
            self.clock.advance(1)
            if typing:
                self.last_input = self.clock.monotonic()
            idle = self.clock.monotonic() - self.last_input
            window = None if self.own_window else self.window
            sample = Sample(self.clock.now(), self.clock.monotonic(), window, idle, self.own_window)
            closed = self.tracker.feed(sample)
            self.coordinator.observe(sample, closed, self.tracker.open_span)


def test_a_postpone_pressed_on_the_notification_is_stored(store: Store) -> None:
    desk = Desk(store)
    desk.run(55)
    assert [n.summary for n in desk.notifier.open] == ["An eye break in 10 seconds"]
    # The notification server calls back on its own thread.
    pressed = threading.Thread(target=desk.notifier.invoke, args=(1, "postpone"))
    pressed.start()
    pressed.join()
    desk.run(1)
    assert desk.notifier.open == []
    counts = break_counts(store.db, START, START + timedelta(hours=1))
    assert (counts["due"], counts["postponed"]) == (1, 1)
    # It comes back after the postpone (15 s of work here) and can now only be skipped.
    desk.run(20)
    assert any(a == "skip" for a, _ in desk.notifier.open[0].actions)


def test_resting_through_a_break_is_stored_as_taken_then_natural(store: Store) -> None:
    desk = Desk(store)
    desk.run(61)  # a minute of work from the first sample
    desk.run(15, typing=False)  # starts at the pause, taken after 10 s of rest
    desk.run(45)
    desk.run(15, typing=False)  # a rest of their own before the next was even announced
    outcomes = [e[2] for e in events(store.db, START, START + timedelta(hours=1))]
    assert outcomes == ["due", "taken", "natural"]


def test_while_nothing_can_be_shown_only_natural_breaks_are_stored(store: Store) -> None:
    desk = Desk(store, showing=False)
    desk.run(110)  # a break came and was worked through, unseen
    desk.run(50)
    desk.run(15, typing=False)
    outcomes = [e[2] for e in events(store.db, START, START + timedelta(hours=1))]
    assert outcomes == ["natural"]


def test_limits_count_todays_use_from_the_tracked_spans(store: Store) -> None:
    policy = Policy(
        breaks=QUICK.breaks.__class__(
            eyes=BreakRule("eyes", 60, 10, enabled=False),
            movement=BreakRule("movement", 3600, 300, enabled=False),
        ),
        limits=(Limit(category="Social media", daily=120),),
        intention=Intention(()),
        tz=UTC,
    )
    desk = Desk(store, policy)
    desk.coordinator.seed_today(date(2026, 11, 23), [("firefox", "earlier", 60.0)])
    desk.window = SOCIAL
    desk.run(37)  # 60 s earlier today and 36 s now: the heads-up 24 s before 2 minutes
    assert desk.notifier.open[-1].summary == "24 seconds left for Social media today"
    desk.run(24)
    assert desk.notifier.open[-1].summary == "That is your 2 minutes of Social media for today"
    desk.notifier.invoke(desk.notifier.shown[-1].id, "ignore")
    desk.run(1)
    limit_events = [e[2] for e in events(store.db, START, START + timedelta(hours=1), "limit")]
    assert limit_events == ["warned", "reached", "ignored_today"]


def test_a_limit_prompt_in_front_is_not_leaving_the_app(store: Store) -> None:
    # A window manager gives the prompt the focus: that must not withdraw it and ask again.
    policy = Policy(
        breaks=Breaks(
            eyes=BreakRule("eyes", 60, 10, enabled=False),
            movement=BreakRule("movement", 3600, 300, enabled=False),
        ),
        limits=(Limit(app="firefox", daily=60),),
        intention=Intention(()),
        tz=UTC,
    )
    desk = Desk(store, policy)
    desk.coordinator.seed_today(date(2026, 11, 23), [("firefox", "earlier", 58.0)])
    desk.window = SOCIAL
    desk.run(3)
    prompt = desk.notifier.open[-1]
    assert prompt.summary == "That is your 1 minute of firefox for today"
    desk.own_window = True
    desk.run(20)
    desk.own_window = False
    desk.run(5)
    assert desk.notifier.open[-1] == prompt  # still there, never withdrawn
    limit_events = [e[2] for e in events(store.db, START, START + timedelta(hours=1), "limit")]
    assert limit_events.count("reached") == 1
    # Time with the prompt in front is not time in the app.
    assert desk.coordinator.meter.usage(None, desk.clock.now()).apps["firefox"] < 60 + 3 + 5


def test_an_intention_prompt_in_front_is_not_leaving_the_category(store: Store) -> None:
    policy = Policy(
        breaks=Breaks(
            eyes=BreakRule("eyes", 60, 10, enabled=False),
            movement=BreakRule("movement", 3600, 300, enabled=False),
        ),
        intention=Intention(("Social media",)),
        tz=UTC,
    )
    desk = Desk(store, policy)
    desk.run(2)
    desk.window = SOCIAL
    desk.run(1)
    assert desk.notifier.open[-1].summary.startswith("What did you come to Social media for")
    desk.own_window = True
    desk.run(10)
    desk.own_window = False
    desk.run(2)
    intention = [e[2] for e in events(store.db, START, START + timedelta(hours=1), "intention")]
    assert intention == ["reached"]
    assert desk.notifier.open != []


def test_report_figures_count_breaks_and_limit_use(store: Store) -> None:
    from breather.categories.catalogue import Categorizer

    desk = Desk(store)
    desk.run(61)
    desk.run(15, typing=False)
    limit = Limit(app="code", daily=30)
    figures = boundary_figures(store.db, [date(2026, 11, 23)], time(0), [limit], Categorizer())
    assert figures.breaks["due"] == 1
    assert figures.breaks["taken"] == 1
    assert figures.limits[0].allowed_seconds == 30
    assert figures.limits[0].days_over == 0  # the spans are not written in this test


def test_the_usage_meter_splits_a_span_at_the_day_boundary() -> None:
    meter = UsageMeter(QUICK, categorize)
    night = datetime(2026, 11, 24, 3, 50, tzinfo=UTC)
    meter.add([Span(night, night + timedelta(minutes=20), SOCIAL)])
    # The day starts at 04:00: only the ten minutes after it count for the 24th.
    usage = meter.usage(None, night + timedelta(minutes=21))
    assert usage.day == date(2026, 11, 24)
    assert usage.apps == {"firefox": 600.0}
    assert usage.categories == {"Social media": 600.0}
    open_span = Span(night + timedelta(minutes=21), night + timedelta(minutes=31), EDITOR)
    assert meter.usage(open_span, night + timedelta(minutes=31)).apps == {
        "firefox": 600.0,
        "code": 600.0,
    }


def test_a_limit_counts_other_devices_time_unless_it_is_for_this_device(store: Store) -> None:
    def policy(devices: str) -> Policy:
        return Policy(
            breaks=QUICK.breaks.__class__(
                eyes=BreakRule("eyes", 60, 10, enabled=False),
                movement=BreakRule("movement", 3600, 300, enabled=False),
            ),
            limits=(Limit(app="firefox", daily=120, devices=devices),),
            intention=Intention(()),
            tz=UTC,
        )

    every = Desk(store, policy("all"))
    this_one = Desk(store, policy("this"))
    for desk in (every, this_one):
        # 100 s of firefox on the other computer, as the last sync round brought it.
        desk.coordinator.seed_others(date(2026, 11, 23), [("firefox", "on the desktop", 100.0)])
        desk.window = SOCIAL
        desk.run(30)
    assert every.notifier.open[-1].summary == "That is your 2 minutes of firefox for today"
    assert not this_one.notifier.open  # 30 s here: far from its 2 minutes
