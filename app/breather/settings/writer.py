"""Writing settings back to `breather.toml` without losing what the person wrote.

tomlkit keeps comments, order and layout; only the keys being changed are touched. A file
that does not parse is never written: the person's text is worth more than our change.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping, MutableMapping, Sequence
from pathlib import Path
from typing import Any

HEADER = (
    "Breather settings. Every key is optional: what you leave out keeps its default.\n"
    'Durations are written like "20s", "20m" or "1h30m". Check with: breather config check'
)


class ConfigWriteError(Exception):
    """The settings could not be saved; the message says why and that nothing was changed."""


def update_config(
    path: Path,
    values: Mapping[tuple[str, ...], Any],
    tables: Mapping[str, Sequence[Mapping[str, Any]]] | None = None,
) -> None:
    """Set `values` (keyed by path, e.g. ("breaks", "eyes", "every")) and replace the arrays of
    tables in `tables` (e.g. {"limits": [{"category": "Social media", "daily": "30m"}]}).
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
        for name, rows in (tables or {}).items():
            array = tomlkit.aot()
            for row in rows:
                entry = tomlkit.table()
                for key, value in row.items():
                    entry[key] = value
                array.append(entry)
            if name in document:
                del document[name]
            if rows:
                document[name] = array
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
            raise ConfigWriteError(
                f"saving would make the settings wrong ({problem}); nothing was changed"
            )
    _write_private(path, new_text)


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
