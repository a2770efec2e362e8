"""Background sync rounds: when they start, and that a failed one is tried again sooner."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from breather.runtime.background_sync import RETRY_AFTER, BackgroundSync


class Child:
    """A `breather sync` child that ends when told to, with an exit status and a last line."""

    def __init__(self) -> None:
        self.code: int | None = None
        self.stderr = io.StringIO()

    def poll(self) -> int | None:
        return self.code

    def end(self, code: int, said: str = "") -> None:
        self.code = code
        self.stderr = io.StringIO(said)


class Starter:
    def __init__(self) -> None:
        self.children: list[Child] = []
        self.calls: list[tuple[list[str], dict[str, Any]]] = []

    def __call__(self, command: list[str], **options: Any) -> Child:
        self.calls.append((command, options))
        self.children.append(Child())
        return self.children[-1]


def test_rounds_start_when_due_one_at_a_time_and_sooner_after_a_failure(tmp_path: Path) -> None:
    url = "postgresql+psycopg://me:s3cret@server/breather"
    background = BackgroundSync(tmp_path, tmp_path / "b.toml", url, 300.0, first_after=30.0)
    start = Starter()
    background.poll(10.0, start=start)  # type: ignore[arg-type]
    assert not start.children  # not before the first is due
    background.poll(30.0, start=start)  # type: ignore[arg-type]
    assert len(start.children) == 1
    command, options = start.calls[0]
    assert command[-2:] == ["sync", "--quiet"]
    assert all("s3cret" not in part for part in command)  # not on a command line others see
    assert options["env"]["BREATHER_DB"] == url
    background.poll(40.0, start=start)  # type: ignore[arg-type]
    assert len(start.children) == 1  # one round at a time
    start.children[0].end(1, "breather: cannot reach the sync server: refused\n")
    background.poll(50.0, start=start)  # type: ignore[arg-type]
    background.poll(50.0 + RETRY_AFTER - 1, start=start)  # type: ignore[arg-type]
    assert len(start.children) == 1
    background.poll(50.0 + RETRY_AFTER, start=start)  # type: ignore[arg-type]
    assert len(start.children) == 2  # the network may be back: soon again
    start.children[1].end(0)
    background.poll(200.0, start=start)  # type: ignore[arg-type]
    background.poll(200.0 + 299, start=start)  # type: ignore[arg-type]
    assert len(start.children) == 2
    background.poll(200.0 + 300, start=start)  # type: ignore[arg-type]
    assert len(start.children) == 3  # a good round waits `every`
