"""Saving one setting changes that setting's line and nothing else the person wrote."""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from breather.settings.model import parse_settings
from breather.settings.writer import ConfigWriteError, LimitEdit, update_config

HAND_WRITTEN = """\
# My Breather settings. I keep notes here.

[tracking]
idle_after = "5m"   # I read a lot
day_starts = "05:00"

# my limits
[[limits]]
category = "Games"  # evenings only
daily = "1h"
weekend = "2h"

[[limits]]
app = "steam"
weekday = "30m"

[breaks.eyes]
every = "20m"  # 20-20-20
duration = "20s"

[privacy]
exclude_apps = ["keepassxc"]
"""

#: The keys the Settings page can save, each with values it may write.
KEYS: dict[tuple[str, ...], st.SearchStrategy[Any]] = {
    ("breaks", "eyes", "enabled"): st.booleans(),
    ("breaks", "eyes", "every"): st.sampled_from(["10m", "25m", "1h"]),
    ("breaks", "eyes", "duration"): st.sampled_from(["10s", "30s", "1m"]),
    ("breaks", "movement", "enabled"): st.booleans(),
    ("breaks", "movement", "every"): st.sampled_from(["30m", "1h"]),
    ("intention", "categories"): st.sampled_from([[], ["Social media"], ["Video", "News"]]),
    ("tracking", "idle_after"): st.sampled_from(["2m", "10m"]),
    ("tracking", "day_starts"): st.sampled_from(["03:00", "06:30"]),
    ("privacy", "exclude_apps"): st.sampled_from([[], ["keepassxc", "signal"]]),
    ("privacy", "titles"): st.booleans(),
    ("privacy", "keep_days"): st.integers(0, 3650),
}

LIMIT_EDITS = st.sampled_from(
    [
        LimitEdit("category:Games", {"daily": "45m"}),
        LimitEdit("category:Games", {"weekend": None}),
        LimitEdit("app:steam", {"weekday": "1h"}),
        LimitEdit("app:steam", None),
        LimitEdit(None, {"category": "Video", "daily": "1h"}),
    ]
)


def changed_lines(before: str, after: str) -> tuple[list[str], list[str]]:
    """The lines taken out of `before` and the lines put into `after`."""
    removed: list[str] = []
    added: list[str] = []
    matcher = difflib.SequenceMatcher(a=before.splitlines(), b=after.splitlines())
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op != "equal":
            removed += before.splitlines()[a0:a1]
            added += after.splitlines()[b0:b1]
    return removed, added


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_saving_one_setting_keeps_every_other_line(tmp_path_factory, data) -> None:
    path = Path(tmp_path_factory.mktemp("config")) / "breather.toml"
    path.write_text(HAND_WRITTEN)
    key = data.draw(st.sampled_from(sorted(KEYS)))
    value = data.draw(KEYS[key])
    update_config(path, {key: value})
    removed, added = changed_lines(HAND_WRITTEN, path.read_text())
    leaf = key[-1]
    # Either that key's own line was rewritten, or the key was added (with its table).
    assert all(line.lstrip().startswith(f"{leaf} ") for line in removed)
    assert len(removed) <= 1
    assert any(line.lstrip().startswith(f"{leaf} ") for line in added) or not removed
    assert all(line.lstrip().startswith((f"{leaf} ", "[")) or not line for line in added)
    _settings, problems = parse_settings(path.read_text(), path)
    assert problems == []


@settings(max_examples=30, deadline=None)
@given(edit=LIMIT_EDITS)
def test_editing_one_limit_keeps_the_others_and_their_comments(tmp_path_factory, edit) -> None:
    path = Path(tmp_path_factory.mktemp("config")) / "breather.toml"
    path.write_text(HAND_WRITTEN)
    update_config(path, {}, [edit])
    text = path.read_text()
    removed, _added = changed_lines(HAND_WRITTEN, text)
    if edit.before != "app:steam":
        assert '[[limits]]\napp = "steam"\nweekday = "30m"\n' in text
    if edit.before != "category:Games":
        assert 'category = "Games"  # evenings only\ndaily = "1h"\nweekend = "2h"\n' in text
    assert "# my limits" in text and text.index("# my limits") < text.index("[breaks.eyes]")
    assert not any(line.startswith("#") for line in removed)


def test_a_save_that_would_not_load_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "breather.toml"
    path.write_text(HAND_WRITTEN)
    with pytest.raises(ConfigWriteError, match="would not load"):
        update_config(path, {}, [LimitEdit(None, {"category": "Games", "daily": "1h"})])
    assert path.read_text() == HAND_WRITTEN
