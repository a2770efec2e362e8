"""Writing settings back to `breather.toml` without losing what the person wrote.

tomlkit keeps comments, order and layout; only the keys being changed are touched. A file
that does not parse is never written: the person's text is worth more than our change.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping, MutableMapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HEADER = (
    "Breather settings. Every key is optional: what you leave out keeps its default.\n"
    'Durations are written like "20s", "20m" or "1h30m". Check with: breather config check'
)


class ConfigWriteError(Exception):
    """The settings could not be saved; the message says why and that nothing was changed."""


@dataclass(frozen=True, slots=True)
class LimitEdit:
    """One `[[limits]]` entry changed: `before` names the entry as written ("category:Games" or
    "app:firefox"; None adds a new one), `after` holds only the keys that change, a value of
    None removing that key (`after` None removes the whole entry). Keys not named, and every
    comment, stay exactly as written."""

    before: str | None
    after: Mapping[str, Any] | None


def update_config(
    path: Path,
    values: Mapping[tuple[str, ...], Any],
    limits: Sequence[LimitEdit] = (),
) -> None:
    """Set `values` (keyed by path, e.g. ("breaks", "eyes", "every")) and apply `limits`.

    Only those keys change; every other byte of the file stays as written. Raises
    ConfigWriteError, changing nothing, when the file cannot be read or parsed, or when the
    result would not load as the person's settings.
    """
    # Imported here: only saving settings needs it, and the tray app that never does is ~2 MB
    # smaller without it (settings are read with the standard library's tomllib).
    import tomlkit
    from tomlkit.exceptions import TOMLKitError

    from breather.settings.model import parse_settings, read_config_text

    try:
        text = read_config_text(path)
    except FileNotFoundError:
        text = ""
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise ConfigWriteError(f"cannot read {path}: {error}; nothing was changed") from error
    try:
        document = tomlkit.parse(text)
    except (TOMLKitError, RecursionError) as error:
        raise ConfigWriteError(
            f"{path} has a mistake ({error}); fix it or check it with `breather config check`."
            " Nothing was changed."
        ) from error
    if not text.strip():
        for line in HEADER.splitlines():
            document.add(tomlkit.comment(line))
        document.add(tomlkit.nl())

    for key_path, value in values.items():
        *parents, leaf = key_path
        table: Any = document
        for depth, name in enumerate(parents, start=1):
            if name not in table:
                table[name] = tomlkit.table(is_super_table=len(parents) > 1 and name == parents[0])
            table = table[name]
            if not isinstance(table, MutableMapping):
                # `breaks = 5` where [breaks] belongs: the person's value is not ours to drop.
                key = ".".join(parents[:depth])
                raise ConfigWriteError(
                    f"{path}: {key} should be a table of settings, but it is {table!r}; fix or "
                    "remove that line (`breather config check` shows it). Nothing was changed."
                )
        try:
            table[leaf] = value
        except (TOMLKitError, TypeError, ValueError) as error:  # None, an object, ...
            raise ConfigWriteError(
                f"{'.'.join(key_path)} cannot be saved as {value!r} ({error}); nothing was changed"
            ) from None
    try:
        for edit in limits:
            _edit_limit(document, edit)
    except (TOMLKitError, TypeError, ValueError) as error:
        raise ConfigWriteError(
            f"the settings cannot be saved ({error}); nothing was changed"
        ) from None
    try:
        new_text = tomlkit.dumps(document)
        new_text.encode("utf-8")  # a lone surrogate cannot be written
    except (TOMLKitError, TypeError, ValueError) as error:
        raise ConfigWriteError(
            f"the settings cannot be saved ({error}); nothing was changed"
        ) from None
    # Never save what will not load: the new text must bring no problem the old one lacked.
    had = {(problem.key, problem.message) for problem in parse_settings(text, path)[1]}
    for problem in parse_settings(new_text, path)[1]:
        if (problem.key, problem.message) not in had:
            raise ConfigWriteError(f"that would not load ({problem}); nothing was changed")
    _write_private(path, new_text)


def _limit_key(entry: Mapping[str, Any]) -> str | None:
    if "app" in entry:
        return f"app:{entry['app']}"
    if "category" in entry:
        return f"category:{entry['category']}"
    return None


def _edit_limit(document: Any, edit: LimitEdit) -> None:
    import tomlkit

    array = document.get("limits")
    index = next(
        (i for i, entry in enumerate(array or []) if _limit_key(entry) == edit.before), None
    )
    if edit.before is not None and index is None:
        raise ConfigWriteError(
            f"the limit for {edit.before.split(':', 1)[1]!r} is no longer in the file (was it "
            "edited meanwhile?); nothing was changed"
        )
    if edit.after is None:
        if index is not None:
            del array[index]
            if not len(array):
                del document["limits"]
        return
    entry = tomlkit.table() if index is None else array[index]
    for key, value in edit.after.items():
        if value is None:
            entry.pop(key, None)
        else:
            entry[key] = value
    if index is None:
        if array is None:
            if document.body:
                document.add(tomlkit.nl())  # a blank line before the first limit, as people write
            document["limits"] = tomlkit.aot()
            array = document["limits"]
        array.append(entry)


def _write_private(path: Path, text: str) -> None:
    """Replace `path` atomically with an owner-only file."""
    from breather.files import private_dir

    if not path.parent.exists():
        private_dir(path.parent)  # and its missing parents, owner-only
    fd, temporary = tempfile.mkstemp(prefix=".breather-", suffix=".toml", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        Path(temporary).chmod(0o600)
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
