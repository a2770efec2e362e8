"""Personal experiments: stored, applied to the boundaries, compared before against during."""

from __future__ import annotations

import io
import json
import sqlite3
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from breather.categories.catalogue import Categorizer
from breather.cli.main import main
from breather.data.experiment_results import compare, experiment_result
from breather.data.export import write_export
from breather.data.importers import ImportFailed, ImportReport, import_devices, read_jsonl
from breather.monitor.base import WindowInfo
from breather.rules.policy import Limit, Policy
from breather.store import Store, open_store, sqlite_url
from breather.store.checkins import CheckinLog, checkins, new_checkin
from breather.store.experiments import (
    BadExperiment,
    Experiment,
    ExperimentLog,
    experiments,
    new_experiment,
    with_experiments,
)
from breather.store.maintenance import delete_everything, delete_range
from breather.store.queries import iter_spans
from breather.store.schema import to_ms
from breather.tracking.spans import Span

pytestmark = pytest.mark.both_drivers

POLICY = Policy()  # the system's time zone, days from 04:00
START_DAY = date(2026, 11, 16)  # a Monday: the experiment's first day


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute)).astimezone()


def started(days: int = 14) -> Experiment:
    return new_experiment(local(START_DAY, 9), "limit", "category:Social media", 1800.0, days)


def fill_days(store: Store, minutes: dict[date, float], moods: dict[date, int]) -> None:
    """`minutes` of Facebook (Social media) and an hour of work on each day, and a check-in."""
    writer = store.writer()
    spans = []
    for day, social in sorted(minutes.items()):
        at = local(day, 10)
        spans.append(Span(at, at + timedelta(hours=1), WindowInfo("code", "main.py")))
        at += timedelta(hours=1)
        spans.append(Span(at, at + timedelta(minutes=social), WindowInfo("firefox", "Facebook")))
    writer.record(spans)
    writer.flush(None, 0.0)
    log = CheckinLog(store.db, store.device_id)
    for day, mood in moods.items():
        log.record(new_checkin(local(day, 21), mood))


def around(before: list[float], during: list[float]) -> dict[date, float]:
    """Daily values for the days just before START_DAY and from it on."""
    found = {START_DAY - timedelta(days=len(before) - i): v for i, v in enumerate(before)}
    found.update({START_DAY + timedelta(days=i): v for i, v in enumerate(during)})
    return found


# -- the store ---------------------------------------------------------------------------


def test_experiments_are_stored_ended_early_and_read_back(store: Store) -> None:
    log = ExperimentLog(store.db, store.device_id)
    first = started()
    log.start(first)
    log.start(first)  # the same one again is stored once
    assert [item.uuid for item in log.all()] == [first.uuid]
    assert log.all()[0].running(local(START_DAY + timedelta(days=13), 12), POLICY)
    assert not log.all()[0].running(local(START_DAY + timedelta(days=14), 12), POLICY)

    assert log.end(first.uuid, local(START_DAY + timedelta(days=3), 12))
    assert not log.end(first.uuid, local(START_DAY + timedelta(days=4), 12))  # already ended
    ended = log.all()[0]
    assert not ended.running(local(START_DAY + timedelta(days=4), 12), POLICY)
    assert ended.last_day(POLICY) == START_DAY + timedelta(days=3)

    # Repeated: a new experiment of its own.
    again = new_experiment(
        local(START_DAY, 9) + timedelta(days=5), "limit", first.subject, 1800.0, 14
    )
    log.start(again)
    assert [item.uuid for item in experiments(store.db)] == [first.uuid, again.uuid]


@pytest.mark.parametrize(
    ("kind", "subject", "value", "days", "said"),
    [
        ("limit", "Social media", 1800.0, 14, 'on "category:NAME" or "app:NAME"'),
        ("limit", "category:Social media", 10.0, 14, "from 1 min to 24 h, not 0 min"),
        ("limit", "app:slack", 1800.0, 0, "days must be from 1 to 90"),
        ("breaks", "lunch", 1800.0, 7, "for movement or eyes"),
        ("sleep", "movement", 1800.0, 7, 'a "limit" or "breaks"'),
    ],
)
def test_an_experiment_that_cannot_run_is_refused_saying_why(
    kind: str, subject: str, value: float, days: int, said: str
) -> None:
    with pytest.raises(BadExperiment, match=said):
        new_experiment(local(START_DAY, 9), kind, subject, value, days)


def test_forgetting_its_start_forgets_the_experiment(store: Store) -> None:
    log = ExperimentLog(store.db, store.device_id)
    log.start(started())
    delete_range(store.db, to_ms(local(START_DAY, 10)), to_ms(local(START_DAY, 11)))
    assert len(experiments(store.db)) == 1  # it started at 09:00
    delete_range(store.db, to_ms(local(START_DAY, 8)), to_ms(local(START_DAY, 10)))
    assert experiments(store.db) == []
    log.start(started())
    delete_everything(store.db)
    assert experiments(store.db) == []


def test_a_database_from_before_experiments_is_upgraded_in_place(tmp_path: Path) -> None:
    path = tmp_path / "breather.db"
    open_store(sqlite_url(path), device_uuid="a", device_name="a").close()
    with sqlite3.connect(path) as conn:
        conn.execute("DROP TABLE experiment")
        conn.execute("UPDATE alembic_version SET version_num = '0004'")
    reopened = open_store(sqlite_url(path), device_uuid="a", device_name="a")
    try:
        ExperimentLog(reopened.db, reopened.device_id).start(started())
        assert len(experiments(reopened.db)) == 1
    finally:
        reopened.close()


# -- applying it -------------------------------------------------------------------------


def test_a_running_limit_experiment_replaces_the_configured_limit_for_its_days_only() -> None:
    configured = Limit(category="Social media", daily=3600.0, devices="this")
    policy = Policy(limits=(configured, Limit(app="slack", daily=600.0)))
    experiment = started(days=14)
    applied = with_experiments(policy, [experiment], local(START_DAY, 12))
    (social,) = [lim for lim in applied.limits if lim.key == "category:Social media"]
    assert social.devices == "this"  # whose time counts is the person's choice still
    assert social.allowance(START_DAY) == 1800.0
    assert social.allowance(START_DAY + timedelta(days=13)) == 1800.0
    # Once its days are over the person's own limit holds again, with nothing reloaded.
    assert social.allowance(START_DAY + timedelta(days=14)) == 3600.0
    assert social.allowance(START_DAY - timedelta(days=1)) == 3600.0
    assert [lim.key for lim in applied.limits].count("app:slack") == 1

    # With no limit configured on it, it limits only its own days.
    alone = with_experiments(Policy(), [experiment], local(START_DAY, 12))
    assert alone.limits[0].allowance(START_DAY + timedelta(days=1)) == 1800.0
    assert alone.limits[0].allowance(START_DAY + timedelta(days=20)) is None


def test_an_ended_or_finished_experiment_changes_nothing() -> None:
    experiment = started(days=3)
    after = local(START_DAY + timedelta(days=3), 12)
    assert with_experiments(Policy(), [experiment], after) == Policy()
    ended = Experiment(**{**_fields(experiment), "ended": local(START_DAY, 10)})
    assert with_experiments(Policy(), [ended], local(START_DAY, 12)) == Policy()


def test_a_break_experiment_sets_the_cadence_and_turns_the_break_on() -> None:
    from dataclasses import replace

    policy = Policy()
    policy = replace(
        policy,
        breaks=replace(policy.breaks, movement=replace(policy.breaks.movement, enabled=False)),
    )
    experiment = new_experiment(local(START_DAY, 9), "breaks", "movement", 1800.0, 7)
    applied = with_experiments(policy, [experiment], local(START_DAY, 12))
    assert (applied.breaks.movement.every, applied.breaks.movement.enabled) == (1800.0, True)
    assert applied.breaks.eyes == policy.breaks.eyes


def _fields(item: Experiment) -> dict[str, object]:
    return {name: getattr(item, name) for name in Experiment.__slots__}


# -- the comparison ----------------------------------------------------------------------


def test_flat_days_say_no_clear_change(store: Store) -> None:
    flat = [40.0, 50.0, 45.0, 55.0, 42.0, 48.0, 52.0]
    fill_days(store, around(flat, flat[::-1]), {})
    experiment = started(days=7)
    result = experiment_result(
        store.db, experiment, POLICY, Categorizer(), local(START_DAY + timedelta(days=8), 12)
    )
    assert not result.running and result.days_so_far == 7
    assert (len(result.minutes.before), len(result.minutes.during)) == (7, 7)
    assert not result.minutes.clear
    assert (
        "Social media a day: 47 min before (7 days), 47 min during (7 days): no clear change"
        in (result.minutes.sentence())
    )
    assert "too few days" in result.mood.sentence()  # no check-ins at all: nothing claimed
    assert "does not show what caused" in result.sentences()[-1]


def test_days_built_to_differ_show_a_clear_change_in_minutes_and_mood(store: Store) -> None:
    minutes = around([90.0, 80, 100, 95, 85, 88, 92], [30.0, 25, 28, 35, 20, 30, 27])
    moods = around([2, 3, 2, 2, 3, 2, 2], [4, 4, 3, 4, 5, 4, 4])
    fill_days(store, minutes, {day: int(mood) for day, mood in moods.items()})
    experiment = started(days=7)
    result = experiment_result(
        store.db, experiment, POLICY, Categorizer(), local(START_DAY + timedelta(days=9), 12)
    )
    assert result.minutes.clear and result.minutes.change is not None
    assert result.minutes.change < -50
    said = result.minutes.sentence()
    assert "90 min before (7 days), 28 min during (7 days)" in said and "fewer a day" in said
    assert result.mood.clear
    assert "points higher (90% interval)" in result.mood.sentence()


def test_a_running_experiment_compares_the_days_so_far(store: Store) -> None:
    fill_days(store, around([60.0] * 14, [20.0, 25.0, 22.0, 24.0]), {})
    result = experiment_result(
        store.db, started(days=14), POLICY, Categorizer(), local(START_DAY + timedelta(days=3), 12)
    )
    assert result.running and result.days_so_far == 4
    # Today (the fourth day) is not over: the three whole days are compared.
    assert (len(result.minutes.before), len(result.minutes.during)) == (14, 3)


def test_an_app_limit_counts_that_app_and_breaks_count_screen_time(store: Store) -> None:
    fill_days(store, around([30.0] * 3, [10.0] * 3), {})
    on_app = new_experiment(local(START_DAY, 9), "limit", "app:firefox", 1200.0, 3)
    breaks = new_experiment(local(START_DAY, 9), "breaks", "movement", 1800.0, 3)
    later = local(START_DAY + timedelta(days=5), 12)
    app_result = experiment_result(store.db, on_app, POLICY, Categorizer(), later)
    assert app_result.minutes.before == (30.0, 30.0, 30.0)
    assert app_result.minutes.during == (10.0, 10.0, 10.0)
    screen = experiment_result(store.db, breaks, POLICY, Categorizer(), later)
    assert screen.minutes.measure == "Screen time"
    assert screen.minutes.before == (90.0, 90.0, 90.0)


def test_too_few_days_give_no_interval_and_no_claim() -> None:
    few = compare("Mood", [3.0, 4.0], [2.0, 5.0, 4.0], "")
    assert few.interval is None and not few.clear
    assert few.sentence() == (
        "Mood: too few days to compare yet (2 before, 3 during; 3 each are needed)."
    )


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.floats(0, 600, allow_nan=False), min_size=3, max_size=30),
    st.randoms(use_true_random=False),
)
def test_the_same_days_in_another_order_never_show_a_clear_change(
    days: list[float], shuffle
) -> None:
    during = list(days)
    shuffle.shuffle(during)
    result = compare("Screen time", days, during, "min")
    assert result.interval is not None and not result.clear
    assert "no clear change" in result.sentence()


def test_no_days_say_nothing_but_that() -> None:
    for before, during in [([], []), ([], [3.0, 4.0, 5.0]), ([3.0, 4.0, 5.0], [])]:
        result = compare("Mood", before, during, "")
        assert result.change is None or result.interval is None
        assert result.sentence().startswith("Mood: too few days to compare yet")


# -- export and import -------------------------------------------------------------------


def export_jsonl(store: Store) -> str:
    out = io.StringIO()
    rows = iter_spans(store.db, None, None)
    write_export(
        rows,
        out,
        "jsonl",
        Categorizer(),
        checkins(store.db, None, None),
        experiments=experiments(store.db),
    )
    return out.getvalue()


def test_experiments_round_trip_through_export_and_import_byte_for_byte(
    tmp_path: Path, store: Store
) -> None:
    fill_days(store, around([30.0], [10.0]), {START_DAY: 4})
    log = ExperimentLog(store.db, store.device_id)
    log.start(started())
    ended = new_experiment(local(START_DAY, 9, 30), "breaks", "eyes", 900.0, 5)
    log.start(ended)
    log.end(ended.uuid, local(START_DAY + timedelta(days=2), 8) + timedelta(milliseconds=7))
    exported = export_jsonl(store)
    assert exported.count('"record": "experiment"') == 2
    path = tmp_path / "export.jsonl"
    path.write_bytes(exported.encode("utf-8"))

    fresh = open_store(sqlite_url(tmp_path / "fresh.db"), device_uuid="other", device_name="o")
    try:
        report = ImportReport()
        import_devices(fresh.db, read_jsonl(path, report), report)
        assert report.experiments == 2
        assert export_jsonl(fresh).encode("utf-8") == exported.encode("utf-8")
        again = ImportReport()
        import_devices(fresh.db, read_jsonl(path, again), again)
        assert (again.experiments, again.skipped["experiments already recorded"]) == (0, 2)
    finally:
        fresh.close()


def test_a_bad_experiment_record_is_named_and_nothing_is_imported(
    tmp_path: Path, store: Store
) -> None:
    good = {"record": "experiment", "id": "6b3a4a7e-0b9e-4c1e-9f44-2f1d7d0a0c11",
            "started": "2026-11-23T09:00:00+00:00", "days": 14, "kind": "limit",
            "subject": "category:Social media", "value": 1800.0, "ended": None}  # fmt: skip
    path = tmp_path / "bad.jsonl"
    for bad, said in [
        ({**good, "days": 400}, r"bad\.jsonl:2: days must be from 1 to 90"),
        ({**good, "kind": "diet"}, r'bad\.jsonl:2: an experiment is a "limit" or "breaks"'),
        ({k: v for k, v in good.items() if k != "days"}, r"bad\.jsonl:2: an experiment without"),
        ({**good, "ended": 5}, r"bad\.jsonl:2: ended must be text or null"),
    ]:
        path.write_text(json.dumps(good) + "\n" + json.dumps(bad) + "\n", encoding="utf-8")
        with pytest.raises(ImportFailed, match=said):
            read_jsonl(path, ImportReport())
    assert experiments(store.db) == []


# -- the command line --------------------------------------------------------------------


def test_experiments_from_the_command_line(tmp_path: Path, capsys) -> None:
    data = ["--data-dir", str(tmp_path), "--config", str(tmp_path / "breather.toml")]
    assert main([*data, "experiment", "list"]) == 0
    assert "No experiments yet" in capsys.readouterr().out

    assert (
        main([*data, "experiment", "start", "--limit", "social media", "30m", "--days", "14"]) == 0
    )
    assert "Started: a 30 min daily limit on Social media for 14 days" in capsys.readouterr().out
    assert main([*data, "experiment", "start", "--breaks", "movement", "--every", "30m"]) == 1
    assert "is already running; end it first" in capsys.readouterr().err

    assert main([*data, "experiment", "list"]) == 0
    listed = capsys.readouterr().out
    assert "a 30 min daily limit on Social media" in listed and "running, day 1 of 14" in listed
    assert "too few days to compare yet" in listed

    assert main([*data, "experiment", "end"]) == 0
    assert "Ended early" in capsys.readouterr().out
    assert main([*data, "experiment", "end"]) == 1
    assert "no experiment is running" in capsys.readouterr().err

    # Repeated as a new one; a name that is no category is an app.
    assert main([*data, "experiment", "start", "--limit", "Slack", "20m", "--days", "7"]) == 0
    assert "daily limit on Slack" in capsys.readouterr().out
    assert main([*data, "experiment", "list"]) == 0
    listed = capsys.readouterr().out
    assert "ended early after 1 of 14 days" in listed and "running, day 1 of 7" in listed

    assert main([*data, "experiment", "end"]) == 0
    capsys.readouterr()
    assert main([*data, "forget", "--last", "1h"]) == 0  # without --yes: what would go
    assert "and 2 experiments" in capsys.readouterr().out
    assert main([*data, "experiment", "start", "--breaks", "eyes"]) == 1
    assert "--breaks needs --every" in capsys.readouterr().err
    assert main([*data, "experiment", "start", "--limit", "Slack", "soon"]) == 1
    assert "--limit soon:" in capsys.readouterr().err


def test_the_running_limit_experiment_is_in_the_boundaries_the_tracker_applies(
    tmp_path: Path,
) -> None:
    from breather.runtime.coordinator import policy_with_experiments
    from breather.settings.model import Settings

    store = open_store(sqlite_url(tmp_path / "b.db"), device_uuid="a", device_name="a")
    try:
        now = datetime.now(UTC)
        ExperimentLog(store.db, store.device_id).start(
            new_experiment(now, "limit", "app:slack", 1200.0, 7)
        )
        policy = policy_with_experiments(Settings(), store, now)
        (limit,) = [lim for lim in policy.limits if lim.key == "app:slack"]
        assert limit.allowance(policy.day_of(now)) == 1200.0
    finally:
        store.close()


def test_the_tracker_follows_experiments_started_elsewhere_and_a_break_experiment_ending(
    store: Store,
) -> None:
    from breather.clock import FakeClock
    from breather.runtime.coordinator import BoundaryCoordinator, ExperimentWatch
    from breather.settings.model import Settings

    clock = FakeClock(local(START_DAY, 10).astimezone(UTC))
    settings = Settings()
    coordinator = BoundaryCoordinator(settings.policy(), clock=clock)
    watch = ExperimentWatch(coordinator, settings, store, clock, every=60.0)
    configured = settings.policy().breaks.movement.every
    ExperimentLog(store.db, store.device_id).start(
        new_experiment(local(START_DAY, 9), "breaks", "movement", 1800.0, 2)
    )
    watch.poll(clock.monotonic())
    assert coordinator.policy.breaks.movement.every == configured  # not a minute yet
    clock.advance(60)
    watch.poll(clock.monotonic())
    assert coordinator.policy.breaks.movement.every == 1800.0
    clock.advance(2 * 86400)  # its two days are over
    watch.poll(clock.monotonic())
    assert coordinator.policy.breaks.movement.every == configured
