"""The evidence behind each default: present, sourced, linked safely and kept current."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from breather.support.evidence import DEFAULTS, load_evidence


def test_every_default_has_its_evidence_with_sources_and_a_recent_review() -> None:
    entries = load_evidence()
    assert set(DEFAULTS) <= set(entries)
    for key in DEFAULTS:
        entry = entries[key]
        assert entry.title and len(entry.summary) > 100
        assert entry.sources
        for source in entry.sources:
            assert source.url.startswith("https://") and "utm_" not in source.url
        # Re-read the sources at least once a year (see the file's header).
        assert entry.reviewed >= date.today() - timedelta(days=365), key


def test_a_malformed_entry_names_itself(tmp_path: Path) -> None:
    broken = tmp_path / "evidence.toml"
    broken.write_text('[defaults.eyes]\ntitle = "x"\nsummary = "y"\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"evidence\.toml: defaults\.eyes: 'sources'"):
        load_evidence(broken)
