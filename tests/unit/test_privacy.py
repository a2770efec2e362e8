"""Privacy: what is excluded never reaches the file, pauses record nothing, old data goes."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from breather.clock import FakeClock
from breather.monitor.base import WindowInfo
from breather.monitor.fake import ScriptedDesktop, Step
from breather.runtime.recorder import OwnWindow, Recorder, windows_of
from breather.settings.model import parse_settings
from breather.store import Store, open_store, sqlite_url
from breather.store.maintenance import apply_retention, delete_everything, delete_range
from breather.store.queries import iter_spans, summarize
from breather.store.schema import to_ms
from breather.tracking.privacy import (
    PauseSwitch,
    PrivacyFilter,
    PrivacySettings,
    pause_until,
    read_pause,
    resume,
)
from breather.tracking.spans import Span, Tracker

# Every test that takes `store` runs through sqlite3 and through SQLAlchemy.
pytestmark = pytest.mark.both_drivers

FILE = Path("breather.toml")
T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)

EDITOR = WindowInfo("Code", "plan.md - notes - Visual Studio Code", "code", "/usr/bin/code")
VAULT = WindowInfo("KeePassXC", "Tax-secrets.kdbx - KeePassXC", "keepassxc", "/usr/bin/keepassxc")
BANK = WindowInfo(
    "firefox", "Accounts overview | Grimsby Savings Bank — Mozilla Firefox", "firefox", ""
)
PRIVATE = WindowInfo(
    "firefox", "Symptoms of burnout — Mozilla Firefox Private Browsing", "firefox", ""
)
NEWS = WindowInfo("firefox", "Heatwave warning issued - BBC News — Mozilla Firefox", "firefox", "")


def settings_from(toml: str) -> PrivacySettings:
    settings, problems = parse_settings(toml, FILE)
    assert problems == []
    return settings.privacy


def record(
    store: Store,
    steps: list[Step],
    seconds: int,
    *,
    privacy: PrivacySettings | None = None,
    data_dir: Path | None = None,
    clock: FakeClock | None = None,
    during: dict[int, object] | None = None,
    own_window: OwnWindow | None = None,
) -> FakeClock:
    """Run the real recorder over a scripted desktop for `seconds` of fake time."""
    clock = clock or FakeClock(T0)
    desktop = ScriptedDesktop(clock, steps, sleep=clock.advance)
    recorder = Recorder(
        clock=clock,
        windows=desktop,
        idle=desktop,
        tracker=Tracker(idle_after=180, max_gap=5),
        writer=store.writer(),
        interval=1.0,
        sleep=clock.advance,
        privacy=PrivacyFilter(privacy or PrivacySettings()),
        pause=PauseSwitch(data_dir) if data_dir else None,
        own_window=own_window,
    )
    for second in range(seconds):
        action = (during or {}).get(second)
        if callable(action):
            action()
        recorder.step()
        clock.advance(1)
    recorder.finish()
    return clock


def file_bytes(path: Path) -> bytes:
    """The database file and its write-ahead log, as anyone reading the disk would see them."""
    data = b""
    for suffix in ("", "-wal", "-shm"):
        part = path.with_name(path.name + suffix)
        if part.exists():
            data += part.read_bytes()
    return data


def open_at(path: Path) -> Store:
    return open_store(sqlite_url(path), device_uuid="test", device_name="t")


# -- settings -----------------------------------------------------------------------------


def test_privacy_settings_are_read_and_default_to_a_year() -> None:
    assert PrivacySettings().keep_days == 365
    assert PrivacySettings().titles is True
    privacy = settings_from(
        '[privacy]\nexclude_apps = ["keepassxc", "re:^signal"]\n'
        'exclude_titles = ["*bank*"]\ntitles = false\nkeep_days = 30\n'
    )
    assert [p.text for p in privacy.exclude_apps] == ["keepassxc", "re:^signal"]
    assert [p.text for p in privacy.exclude_titles] == ["*bank*"]
    assert (privacy.titles, privacy.keep_days) == (False, 30)


@pytest.mark.parametrize(
    ("toml", "where", "message"),
    [
        (
            '[privacy]\ntitles = true\nexclude_titles = ["re:(unclosed"]\n',
            "breather.toml:3: privacy.exclude_titles",
            "'re:(unclosed' is not a valid regular expression",
        ),
        ("[privacy]\nkeep_days = -1\n", "breather.toml:2: privacy.keep_days", "out of range"),
        ('[privacy]\nexclude_apps = "slack"\n', "breather.toml:2: privacy.exclude_apps", "list"),
        (
            '[[categories]]\ncategory = "Work"\napps = ["code"]\n\n'
            '[[categories]]\ncategory = "Learning"\ntitles = ["re:[a-"]\n',
            "breather.toml:7: categories.1.titles",
            "not a valid regular expression: unterminated character set at position 0 "
            "[rule 2 (Learning)]",
        ),
        (
            '[[categories]]\ncategory = "Socail media"\napps = ["mastodon"]\n',
            "breather.toml:2: categories.0.category",
            "did you mean 'Social media'? [rule 1]",
        ),
        (
            '[[categories]]\ncategory = "Work"\napp = ["code"]\n',
            "breather.toml:3: categories.0.app",
            "unknown key (known: category, apps, titles) [rule 1 (Work)]",
        ),
        (
            '[[categories]]\ncategory = "Work"\n',
            "breather.toml:1: categories.0",
            "needs apps = [...] or titles = [...] [rule 1 (Work)]",
        ),
        (
            '[categories]\nWork = ["code"]\n',
            "breather.toml:1: categories",
            "[[categories]]",
        ),
    ],
)
def test_a_bad_privacy_or_category_setting_names_the_rule_and_line(
    toml: str, where: str, message: str
) -> None:
    settings, problems = parse_settings(toml, FILE)
    assert len(problems) == 1, problems
    assert str(problems[0]).startswith(where + ": ")
    assert message in str(problems[0])
    # A rule with a mistake is left out whole; the good ones stay.
    assert [r.category for r in settings.categories] == (["Work"] if "Learning" in toml else [])


# -- filtering ----------------------------------------------------------------------------


def test_the_filter_drops_excluded_apps_and_titles_and_keeps_the_rest() -> None:
    privacy = PrivacyFilter(
        settings_from(
            '[privacy]\nexclude_apps = ["keepassxc"]\n'
            'exclude_titles = ["*Private Browsing*", "bank"]\n'
        )
    )
    assert privacy.apply(VAULT) is None
    assert privacy.apply(BANK) == WindowInfo("firefox", "", "firefox", "")
    assert privacy.apply(PRIVATE) == WindowInfo("firefox", "", "firefox", "")
    assert privacy.apply(EDITOR) is EDITOR
    assert privacy.apply(None) is None
    titles_off = PrivacyFilter(settings_from("[privacy]\ntitles = false\n"))
    assert titles_off.apply(EDITOR) == WindowInfo("Code", "", "code", "/usr/bin/code")


@pytest.mark.parametrize(
    "patterns",
    [
        '"re:(sec)ret \\\\1", "bank"',  # a group, and a back-reference to it
        '"re:(?x) bank \\\\b", "*Private Browsing*"',  # a flag for the whole expression
    ],
)
def test_title_patterns_of_every_form_are_judged_together_as_alone(patterns: str) -> None:
    privacy = PrivacyFilter(settings_from(f"[privacy]\nexclude_titles = [{patterns}]\n"))
    hidden = WindowInfo("firefox", "", "firefox", "")
    assert privacy.apply(BANK) == hidden
    assert privacy.apply(EDITOR) is EDITOR
    secret = WindowInfo("firefox", "secret sec", "firefox", "")
    assert privacy.apply(secret) == (hidden if "(sec)" in patterns else secret)


def test_excluded_apps_and_titles_never_reach_the_database_file(tmp_path: Path) -> None:
    path = tmp_path / "breather.db"
    store = open_at(path)
    privacy = settings_from(
        '[privacy]\nexclude_apps = ["keepassxc"]\nexclude_titles = ["*bank*"]\n'
    )
    steps = [Step(0, EDITOR), Step(60, VAULT), Step(120, BANK), Step(180, PRIVATE), Step(240, NEWS)]
    record(store, steps, 300, privacy=privacy)
    summary = summarize(store.db, T0, T0 + timedelta(hours=1), "title")
    store.close()

    data = file_bytes(path)
    for secret in (b"KeePassXC", b"keepassxc", b"Tax-secrets", b"Savings Bank", b"burnout"):
        assert secret not in data, secret
    assert b"Heatwave warning issued" in data  # what is allowed is stored as it was
    assert b"plan.md - notes" in data
    # The vault's minute is not app time; the bank and private minutes count for the browser.
    assert summary.active_seconds == pytest.approx(240, abs=1)
    keys = {(total.app, total.key): round(total.seconds) for total in summary.totals}
    assert keys[("firefox", "")] == pytest.approx(120, abs=1)


def test_titles_off_stores_no_titles(tmp_path: Path) -> None:
    path = tmp_path / "breather.db"
    store = open_at(path)
    steps = [Step(0, EDITOR), Step(60, NEWS), Step(120, BANK)]
    record(store, steps, 180, privacy=settings_from("[privacy]\ntitles = false\n"))
    assert store.db.value("SELECT COUNT(*) FROM title") == 0
    assert store.db.value("SELECT COUNT(*) FROM span WHERE title_id IS NOT NULL") == 0
    store.close()
    data = file_bytes(path)
    assert b"Code" in data and b"firefox" in data
    for title in (b"plan.md", b"Heatwave", b"Savings Bank", b"Mozilla Firefox"):
        assert title not in data


# -- pausing ------------------------------------------------------------------------------


def test_a_pause_records_nothing_until_it_ends_or_is_switched_off(tmp_path: Path) -> None:
    store = open_at(tmp_path / "breather.db")
    clock = FakeClock(T0)

    def pause_ten_minutes() -> None:
        pause_until(tmp_path, clock.now() + timedelta(minutes=10))

    def pause_for_good() -> None:
        pause_until(tmp_path, None)

    # Minute 0-2 tracked; paused at 2 for ten minutes (to 12); tracked 12-15; paused at 15
    # with no end; switched off at 20; tracked to 25.
    during = {
        120: pause_ten_minutes,
        900: pause_for_good,
        1200: lambda: resume(tmp_path),
    }
    record(store, [Step(0, EDITOR)], 1500, data_dir=tmp_path, clock=clock, during=during)
    spans = [(row.start - T0, row.end - T0) for row in iter_spans(store.db, None, None)]
    store.close()
    minutes = [
        (round(a.total_seconds() / 60, 1), round(b.total_seconds() / 60, 1)) for a, b in spans
    ]
    assert minutes == [(0.0, 2.0), (12.0, 15.0), (20.0, 25.0)]
    assert read_pause(tmp_path) == (False, None)  # the ended pause tidied itself away


def test_the_pause_file_is_owner_only_and_read_at_most_once_a_second(tmp_path: Path) -> None:
    until = T0 + timedelta(minutes=30)
    pause_until(tmp_path, until)
    assert (tmp_path / "paused-until").stat().st_mode & 0o777 == 0o600
    assert read_pause(tmp_path) == (True, until)
    switch = PauseSwitch(tmp_path)
    assert switch.paused(T0, 0.0)
    resume(tmp_path)
    assert switch.paused(T0, 0.5)  # not looked at again within the second
    assert not switch.paused(T0, 1.0)


# -- deleting -----------------------------------------------------------------------------


def write_spans(store: Store, spans: list[tuple[datetime, datetime, WindowInfo | None]]) -> None:
    writer = store.writer()
    writer.record(Span(start, end, window) for start, end, window in spans)
    writer.flush(None, 0.0)


def rollup_equals_spans(store: Store) -> None:
    from_spans = dict(
        store.db.rows(
            "SELECT (start_ms / 3600000) || ':' || COALESCE(app_id, 0), "
            "SUM(end_ms - start_ms) FROM span GROUP BY 1"
        )
    )
    rollup = dict(store.db.rows("SELECT hour || ':' || app_id, ms FROM app_hour WHERE ms != 0"))
    assert rollup == from_spans


def window(title: str) -> WindowInfo:
    return WindowInfo("firefox", f"{title} — Mozilla Firefox", "firefox", "")


def test_retention_deletes_what_is_older_and_nothing_else(tmp_path: Path) -> None:
    path = tmp_path / "breather.db"
    store = open_at(path)
    now = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
    cutoff = now - timedelta(days=365)
    old = cutoff - timedelta(days=30)
    write_spans(
        store,
        [
            (old, old + timedelta(minutes=30), window("Ancient history page")),
            (old + timedelta(hours=1), old + timedelta(hours=2), None),  # away
            # Crosses the cutoff: the part before goes, the part after stays.
            (cutoff - timedelta(minutes=20), cutoff + timedelta(minutes=40), window("Edge page")),
            (cutoff + timedelta(days=1), cutoff + timedelta(days=1, hours=3), window("Recent")),
            (now - timedelta(hours=1), now, EDITOR),
        ],
    )
    before = list(iter_spans(store.db, cutoff, None))

    deleted = apply_retention(store.db, 365, now)

    assert deleted.seconds == pytest.approx((30 + 60 + 20) * 60)
    assert list(iter_spans(store.db, cutoff, None)) == before
    assert list(iter_spans(store.db, None, cutoff)) == []
    first = next(iter(iter_spans(store.db, None, None)))
    assert (first.start, first.end, first.title) == (
        cutoff.replace(microsecond=0),
        cutoff + timedelta(minutes=40),
        "Edge page — Mozilla Firefox",
    )
    rollup_equals_spans(store)
    assert apply_retention(store.db, 365, now).spans == 0  # nothing more to do
    assert apply_retention(store.db, 0, now + timedelta(days=3000)).spans == 0  # 0: keep
    store.close()
    assert b"Ancient history page" not in file_bytes(path)  # its title row went with it


def test_forgetting_a_range_cuts_at_its_edges_and_keeps_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "breather.db"
    store = open_at(path)
    write_spans(
        store,
        [
            (T0, T0 + timedelta(hours=2), window("Long read")),
            (T0 + timedelta(hours=2), T0 + timedelta(hours=3), window("Embarrassing search")),
            (T0 + timedelta(hours=3), T0 + timedelta(hours=5), EDITOR),
        ],
    )
    lo, hi = T0 + timedelta(minutes=90), T0 + timedelta(hours=3, minutes=30)
    deleted = delete_range(store.db, to_ms(lo), to_ms(hi))
    assert deleted.seconds == pytest.approx(2 * 3600)
    rows = [(r.start - T0, r.end - T0, r.title) for r in iter_spans(store.db, None, None)]
    assert rows == [
        (timedelta(0), timedelta(minutes=90), "Long read — Mozilla Firefox"),
        (timedelta(hours=3, minutes=30), timedelta(hours=5), EDITOR.title),
    ]
    rollup_equals_spans(store)
    summary = summarize(store.db, T0, T0 + timedelta(hours=6))
    assert summary.active_seconds == pytest.approx(3 * 3600)
    store.close()
    assert b"Embarrassing search" not in file_bytes(path)


def test_forgetting_everything_leaves_no_usage_in_the_file(tmp_path: Path) -> None:
    path = tmp_path / "breather.db"
    store = open_at(path)
    write_spans(store, [(T0, T0 + timedelta(hours=1), window("Something personal"))])
    deleted = delete_everything(store.db)
    assert deleted.seconds == 3600
    assert list(iter_spans(store.db, None, None)) == []
    store.close()
    data = file_bytes(path)
    assert b"Something personal" not in data and b"firefox" not in data
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT COUNT(*) FROM app_hour").fetchone() == (0,)


def test_time_in_breathers_own_windows_is_neither_app_use_nor_away(store: Store) -> None:
    # Tk-less stand-ins for the break window: the app's own process, as X11 reports it.
    break_window = WindowInfo("Breather", "Breather", "breather", "/usr/bin/python3", pid=4242)
    record(
        store,
        [Step(0, EDITOR), Step(10, break_window), Step(30, EDITOR)],
        40,
        own_window=windows_of(4242, ("Breather",)),
    )
    apps = {row.key: row.seconds for row in summarize(store.db, T0, T0 + timedelta(hours=1)).totals}
    assert apps == {"Code": pytest.approx(20, abs=1.5)}  # 10 s before the break, 10 s after


def test_another_process_is_not_breather_even_under_the_same_name() -> None:
    own = windows_of(4242, ("Breather",))
    assert own(WindowInfo("Breather", "", pid=4242))
    assert not own(WindowInfo("Breather", "", pid=7))  # someone else's app called Breather
    assert own(WindowInfo("io.github.breather.Breather", "")) is False
    assert own(WindowInfo("Breather", ""))  # a desktop that tells no pid: by name
