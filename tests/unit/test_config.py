"""Settings: bad input is named precisely and costs only itself."""

from __future__ import annotations

from datetime import time
from pathlib import Path

import pytest

from breather.settings.durations import format_duration, parse_duration
from breather.settings.model import Settings, load_settings, parse_settings

FILE = Path("breather.toml")


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("20s", 20),
        ("20m", 1200),
        ("1h30m", 5400),
        ("1.5h", 5400),
        (" 2m 30s ", 150),
        ("500ms", 0.5),
    ],
)
def test_durations_read_as_people_write_them(text: str, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "20", "m20", "20x", "1h-5m", "twenty"])
def test_nonsense_durations_are_refused_with_an_example(text: str) -> None:
    with pytest.raises(ValueError, match="20m"):
        parse_duration(text)


def test_durations_format_short() -> None:
    assert [format_duration(s) for s in (45, 270, 750, 3900)] == ["45s", "4m 30s", "12m", "1h 05m"]


def test_a_missing_file_means_defaults(tmp_path: Path) -> None:
    assert load_settings(tmp_path / "nope.toml") == (Settings(), [])


def test_the_shipped_example_is_valid() -> None:
    shipped = Path(__file__).parents[2] / "resources" / "breather.toml"
    settings, problems = load_settings(shipped)
    assert problems == []
    assert settings == Settings()


def test_values_are_read() -> None:
    settings, problems = parse_settings(
        '[tracking]\ninterval = "2s"\nidle_after = "5m"\nday_starts = "03:30"\n', FILE
    )
    assert problems == []
    assert settings.tracking.interval == 2.0
    assert settings.tracking.idle_after == 300.0
    assert settings.tracking.day_starts == time(3, 30)


def test_a_bad_value_names_file_line_and_key_and_keeps_the_rest() -> None:
    text = '# mine\n[tracking]\ninterval = "2s"\n\nidle_after = "soon"\n'
    settings, problems = parse_settings(text, FILE)
    assert [str(p) for p in problems] == [
        "breather.toml:5: tracking.idle_after: 'soon' is not a duration "
        '(write it like "20s", "20m" or "1h30m")'
    ]
    assert settings.tracking.interval == 2.0
    assert settings.tracking.idle_after == 180.0


def test_unknown_keys_and_sections_are_named() -> None:
    text = '[tracking]\ninterval = "1s"\nidel_after = "3m"\n\n[trackin]\nx = 1\n'
    _, problems = parse_settings(text, FILE)
    assert [(p.line, p.key) for p in problems] == [(3, "tracking.idel_after"), (5, "trackin")]
    assert "known: interval, idle_after, day_starts" in problems[0].message


def test_out_of_range_and_wrong_types() -> None:
    _, problems = parse_settings('[tracking]\ninterval = 5\nidle_after = "1s"\n', FILE)
    assert [(p.line, p.key) for p in problems] == [
        (2, "tracking.interval"),
        (3, "tracking.idle_after"),
    ]
    assert "out of range" in problems[1].message


def test_broken_toml_names_the_line() -> None:
    settings, problems = parse_settings('[tracking]\ninterval = "1s\n', FILE)
    assert settings == Settings()
    assert problems[0].line == 2
    assert str(problems[0]).startswith("breather.toml:2: not valid TOML")


def test_device_name_and_sync_url_are_read_and_bad_ones_named() -> None:
    settings, problems = parse_settings(
        '[device]\nname = "laptop"\n[sync]\nurl = "postgresql+psycopg://me@server/db"\n'
        'every = "10m"\n',
        FILE,
    )
    assert not problems
    assert (settings.device.name, settings.sync.url, settings.sync.every) == (
        "laptop",
        "postgresql+psycopg://me@server/db",
        600.0,
    )
    settings, problems = parse_settings('[device]\nname = ""\n[sync]\nurl = "server"\n', FILE)
    assert [(p.line, p.key) for p in problems] == [(2, "device.name"), (4, "sync.url")]
    assert settings.sync.url == ""  # sync stays off


def test_a_limit_may_count_this_device_alone() -> None:
    settings, problems = parse_settings(
        '[[limits]]\napp = "steam"\ndaily = "1h"\ndevices = "this"\n'
        '[[limits]]\napp = "firefox"\ndaily = "1h"\ndevices = "mine"\n',
        FILE,
    )
    assert [limit.devices for limit in settings.limits] == ["this"]
    assert [(p.line, p.key) for p in problems] == [(8, "limits.1.devices")]
