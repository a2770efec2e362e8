"""Realistic desktop usage, seeded and streamed: what `breather track` would see over a year.

`generate(days, seed, start)` yields 1 Hz `Sample`s, one session of machine-on time after another,
without building anything that grows with the number of samples. The model:

- Days: on weekdays a morning and an afternoon work session (lunch either suspends the machine
  or leaves it on and idle), and on about half the evenings a leisure session; weekends have one
  or two leisure sessions adding up to 2-4 hours; about 3% of days the computer stays off.
- Away periods inside a session (the machine stays on, input stops, idle grows): short breaks of
  1-10 minutes every 40-100 minutes, lunch when the machine is left on, 0-2 in-person meetings on
  weekdays, and sometimes a tail before the machine suspends itself. On long ones the screen may
  lock and the focused window go away.
- Between sessions the machine is suspended: no samples, the wall clock jumps by hours while the
  monotonic clock moves a few seconds (Linux CLOCK_MONOTONIC stops in suspend).
- About 40 apps with real WM_CLASS classes, process names and executables, Zipf popularity
  weighted by the kind of session (games and video in the evening, editors at work).
- The window changes every 5-120 s (log-uniform, skewed toward short): back to the previous app
  (alt-tab), another app, or another title in the same app. Games, video players and calls tend
  to keep the focus much longer.
- Titles come in the apps' real formats ("(3) Home / X — Mozilla Firefox", "<video> - YouTube -
  Chromium", "tracking.py - breather - Visual Studio Code"). Each app draws them from its own pool
  with Zipf-like reuse: new titles keep appearing but most draws revisit old ones, and returning
  to an app usually finds the window as it was left.
- Idle is the time since the last simulated input: inputs come every few seconds while working,
  with rare long pauses (reading, watching, listening) that can pass the 3-minute away threshold.

The session plan of a day depends only on (seed, day), so `plan` and `tracked_seconds` are cheap
and agree with `generate`. Anything that changes the samples for a seed bumps `GENERATOR_VERSION`.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from random import Random

from breather.monitor.base import Sample, WindowInfo

#: Bumped whenever the same seed would give different samples (cached benchmark data is stale).
GENERATOR_VERSION = 1

#: The first day of the default year: a Monday.
DEFAULT_START = date(2025, 1, 6)

ONE_SECOND = timedelta(seconds=1)
WORK, LEISURE = "work", "leisure"
MODES = (WORK, LEISURE)

TitleMaker = Callable[[Random, str], str]
PageMaker = Callable[[Random], str]


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


def _phrases(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split("|"))


# -------------------------------------------------------------------------------------------
# What titles are made of.

FIRST = _words(
    "Jane Ada Linus Grace Ken Margaret Guido Barbara Dennis Frances Alan Radia Tim Hedy Brian "
    "Sophie Karim Mei Lars Priya Tomasz Aiko Diego Fatima Oleg Nia Marco Yuki Ines Kofi"
)
LAST = _words(
    "Doe Lovelace Torvalds Hopper Thompson Hamilton Rossum Liskov Ritchie Allen Turing Perlman "
    "Berners-Lee Lamarr Kernighan Wilson Haddad Chen Nilsson Patel Kowalski Sato Alvarez Okafor"
)
NOUN = _phrases(
    "energy prices|housing market|climate talks|rail strike|heatwave|election|central bank|"
    "AI chatbots|space telescope|football club|school meals|NHS waiting lists|wildfires|"
    "chip makers|city council|pension reform|museum|Mars rover|floods|border checks|"
    "tech giants|coral reef|bird flu|ferry operator|solar farm|orchestra|Olympic team"
)
VERB = _phrases("warn of|face|cut|unveil|delay|rethink|back|reject|double|probe|rescue|ban|approve")
OUTCOME = _phrases(
    "record losses|new rules|a surprise deal|higher costs|a major shake-up|fresh delays|"
    "job cuts|a long-awaited plan|rising demand|a legal challenge|a final decision"
)
TOPIC = _phrases(
    "Rust|Python|SQLite|Kubernetes|sourdough|woodworking|chess openings|Linux|mechanical "
    "keyboards|bouldering|espresso|vim|home servers|synthesizers|bike repair|typography|"
    "watercolor|houseplants|Git|film photography|marathon training|3D printing|Zig|Haskell"
)
SUBREDDITS = _words(
    "python linux programming unixporn AskReddit worldnews science buildapc selfhosted "
    "MechanicalKeyboards cycling Cooking europe todayilearned gaming Factorio StardewValley "
    "sysadmin datascience houseplants photography"
)
BANDS = _phrases(
    "Radiohead|Daft Punk|Nils Frahm|Khruangbin|Bonobo|Björk|Tame Impala|Massive Attack|"
    "Ólafur Arnalds|Portishead|The National|Caribou|Nujabes|Boards of Canada|Air|Moderat"
)
SONG_WORDS = _words(
    "Midnight Glass Echo River Paper Signal Dream Weightless Night Drive Golden Hollow Motion "
    "Teardrop Everything Lights Slow Ocean Static Home Fade Open Places"
)
SHOWS = _phrases(
    "Dark|The Crown|Stranger Things|Arcane|Money Heist|Chef's Table|Our Planet|Mindhunter|"
    "The Bear|Slow Horses|Severance|Blue Planet II"
)
CHANNELS = _words(
    "general random dev ops releases design support standup incidents frontend backend "
    "data hiring watercooler"
)
WORK_PROJECTS = ("breather", "billing-service", "infra", "data-pipeline")
HOBBY_PROJECTS = ("dotfiles", "advent-of-code", "blog", "home-assistant-config", "synth-patches")
SOURCE_DIRS = ("src", "app", "tests", "lib", "scripts", "docs", "config", "app/core", "app/ui")
SOURCE_STEMS = _words(
    "main models views utils config tracking writer queries database api client server "
    "settings cli test_queries test_tracking handlers schema tasks README notes index"
)
SOURCE_EXTS = (".py", ".py", ".py", ".rs", ".ts", ".md", ".toml", ".yaml", ".sql", ".sh")
COMMANDS = _phrases(
    "htop|git log --oneline|python3|ipython|make test|pytest -x|docker compose up|less "
    "server.log|journalctl -f|ssh build-01|ssh pi@raspberrypi|man rsync|btop|cargo build|"
    "npm run dev|tmux|top|watch -n1 df -h|tail -f app.log|sqlite3 breather.db"
)
DOCS = _phrases(
    "Quarterly plan|Meeting notes|Budget 2025|Roadmap|Onboarding guide|Design review|"
    "Travel expenses|Team offsite|Incident report|Grant proposal|Reading list|Invoice"
)
PAPERS = _phrases(
    "attention-is-all-you-need|raft-consensus|zipf-law-web-traffic|sqlite-wal-internals|"
    "crdt-survey|bitcoin|mapreduce|dynamo-sosp07|spanner-osdi12|lsm-trees|unix-time-sharing"
)
SUBJECTS = _phrases(
    "Invoice for November|Re: Team offsite|Your order has shipped|Weekly report|"
    "Re: Re: Design review|[breather] CI failed on main|Lunch on Friday?|Password reset|"
    "Re: Quarterly plan|Newsletter: this week in Rust|Flight confirmation|Re: Budget 2025"
)
SECTIONS = ("World news", "Business", "Technology", "Environment", "Sport")
PY_MODULES = ("sqlite3", "datetime", "asyncio", "dataclasses", "pathlib", "typing")
SA_PAGES = ("Session Basics", "ORM Quick Start", "Working with Engines and Connections")
SQLITE_PAGES = (
    "Write-Ahead Logging",
    "Pragma statements supported by SQLite",
    "EXPLAIN QUERY PLAN",
)
SO_TAGS = ("python", "sql", "git", "bash", "rust", "javascript")
EN_DASH = "\u2013"  # PyCharm and GIMP put one in their titles


def _pick(rng: Random, options: tuple[str, ...]) -> str:
    return options[int(rng.random() * len(options))]


def _sentence(text: str) -> str:
    """`text` with its first letter capital (unlike str.capitalize, which lowers "NHS")."""
    return text[:1].upper() + text[1:]


def _name(rng: Random) -> str:
    return f"{_pick(rng, FIRST)} {_pick(rng, LAST)}"


def _count(rng: Random) -> str:
    """A notification counter as sites put it before their titles: "" or "(3) "."""
    return f"({int(1 + 12 * rng.random() ** 2)}) " if rng.random() < 0.45 else ""


def _headline(rng: Random) -> str:
    noun = _sentence(_pick(rng, NOUN))
    form = rng.random()
    if form < 0.4:
        return f"{noun} {_pick(rng, VERB)} {_pick(rng, OUTCOME)}"
    if form < 0.7:
        return f"{noun}: what we know about {_pick(rng, OUTCOME)}"
    return (
        f"{noun} {_pick(rng, VERB)} {_pick(rng, OUTCOME)} "
        f"as {_pick(rng, NOUN)} {_pick(rng, VERB)} {_pick(rng, OUTCOME)}"
    )


def _video(rng: Random) -> str:
    topic = _pick(rng, TOPIC)
    form = rng.randrange(7)
    if form == 0:
        return f"{topic} in {rng.choice((5, 10, 15, 30, 100))} Minutes"
    if form == 1:
        return f"I Tried {topic} for {rng.choice((7, 30, 100))} Days"
    if form == 2:
        song = f"{_pick(rng, SONG_WORDS)} {_pick(rng, SONG_WORDS)}"
        return f"{_pick(rng, BANDS)} - {song} (Official Video)"
    if form == 3:
        return "lofi hip hop radio 📚 beats to relax/study to"
    if form == 4:
        return f"Why {topic} Is Harder Than You Think"
    if form == 5:
        return f"{topic} Tutorial for Beginners - Full Course"
    return f"The Truth About {topic} ({_name(rng)} Interview)"


def _source_file(rng: Random) -> tuple[str, str]:
    """(directory, file name) of a source file."""
    return _pick(rng, SOURCE_DIRS), _pick(rng, SOURCE_STEMS) + _pick(rng, SOURCE_EXTS)


def _project(rng: Random, mode: str) -> str:
    return _pick(rng, WORK_PROJECTS if mode == WORK else HOBBY_PROJECTS)


# -------------------------------------------------------------------------------------------
# Web pages: a browser's title is the page's title and the browser's suffix.


def _x(r: Random) -> str:
    form = r.random()
    if form < 0.4:
        return f"{_count(r)}Home / X"
    if form < 0.55:
        return f"{_count(r)}Notifications / X"
    if form < 0.8:
        return f'{_name(r)} on X: "{_headline(r)}" / X'
    return f"{_name(r)} (@{_pick(r, FIRST).lower()}{r.randrange(100)}) / X"


def _reddit(r: Random) -> str:
    form = r.random()
    if form < 0.35:
        return f"r/{_pick(r, SUBREDDITS)} - Reddit"
    if form < 0.75:
        return f"{_headline(r)} : r/{_pick(r, SUBREDDITS)}"
    if form < 0.9:
        return f"How do I get started with {_pick(r, TOPIC)}? : r/{_pick(r, SUBREDDITS)}"
    return "Reddit - Dive into anything"


def _facebook(r: Random) -> str:
    form = r.random()
    if form < 0.6:
        return f"{_count(r)}Facebook"
    return "Messenger | Facebook" if form < 0.8 else f"{_name(r)} | Facebook"


def _github(r: Random) -> str:
    repo = f"acme/{_project(r, WORK)}"
    form = r.random()
    if form < 0.2:
        return f"Pull requests · {repo} · GitHub"
    if form < 0.5:
        title = f"Fix {_pick(r, SOURCE_STEMS)} when {_pick(r, NOUN)} is empty"
        author = _pick(r, FIRST).lower()
        return f"{title} by {author} · Pull Request #{r.randrange(900)} · {repo} · GitHub"
    if form < 0.75:
        return f"{repo.split('/')[1]}/{'/'.join(_source_file(r))} at main · {repo} · GitHub"
    if form < 0.9:
        title = f"{_pick(r, SOURCE_STEMS)} crashes on startup"
        return f"{title} · Issue #{r.randrange(2000)} · {repo} · GitHub"
    topic = _pick(r, TOPIC)
    return f"GitHub - {_pick(r, FIRST).lower()}/{topic.lower().replace(' ', '-')}: Notes on {topic}"


def _docs(r: Random) -> str:
    form = r.random()
    if form < 0.5:
        return f"{_pick(r, PY_MODULES)} — Python {_pick(r, ('3.12.3', '3.11.9'))} documentation"
    if form < 0.8:
        return f"{_pick(r, SA_PAGES)} — SQLAlchemy 2.0 Documentation"
    return _pick(r, SQLITE_PAGES)


def _stackoverflow(r: Random) -> str:
    question = f"How to {_pick(r, VERB)} {_pick(r, SOURCE_STEMS)} in {_pick(r, TOPIC)}?"
    return f"{_pick(r, SO_TAGS)} - {question} - Stack Overflow"


def _netflix(r: Random) -> str:
    return "Netflix" if r.random() < 0.5 else f"Watch {_pick(r, SHOWS)} | Netflix"


def _guardian(r: Random) -> str:
    return f"{_headline(r)} | {_pick(r, SECTIONS)} | The Guardian"


def _hacker_news(r: Random) -> str:
    return f"{_headline(r)} | Hacker News" if r.random() < 0.7 else "Hacker News"


def _jira(r: Random) -> str:
    return f"[BRE-{r.randrange(1, 3000)}] {_headline(r)[:48]} - Jira"


def _amazon(r: Random) -> str:
    return f"Amazon.com : {_pick(r, TOPIC)} {_pick(r, ('book', 'kit', 'set', 'stand'))}"


def _search(r: Random) -> str:
    return f"{_pick(r, TOPIC).lower()} {_pick(r, SOURCE_STEMS)} - Google Search"


# (site, weight at work, weight at leisure, page title)
_PAGES: tuple[tuple[str, float, float, PageMaker], ...] = (
    ("x", 1.0, 4.0, _x),
    ("reddit", 1.0, 4.0, _reddit),
    ("youtube", 0.8, 5.0, lambda r: f"{_count(r)}{_video(r)} - YouTube"),
    ("facebook", 0.3, 2.0, _facebook),
    ("bbc", 1.0, 2.0, lambda r: f"{_headline(r)} - BBC News"),
    ("guardian", 0.5, 1.5, _guardian),
    ("nyt", 0.3, 1.0, lambda r: f"{_headline(r)} - The New York Times"),
    ("hacker news", 1.5, 1.5, _hacker_news),
    ("wikipedia", 1.0, 1.5, lambda r: f"{_sentence(_pick(r, TOPIC))} - Wikipedia"),
    ("github", 4.0, 1.0, _github),
    ("stack overflow", 3.0, 0.3, _stackoverflow),
    ("docs", 3.0, 0.3, _docs),
    ("gmail", 2.0, 1.0, lambda r: f"Inbox ({r.randrange(1, 40)}) - jane.doe@gmail.com - Gmail"),
    ("google docs", 2.0, 0.3, lambda r: f"{_pick(r, DOCS)} - Google Docs"),
    ("jira", 2.0, 0.0, _jira),
    ("twitch", 0.1, 1.0, lambda r: f"{_pick(r, FIRST).lower()}_plays - Twitch"),
    ("netflix", 0.0, 1.0, _netflix),
    ("amazon", 0.3, 1.0, _amazon),
    ("linkedin", 0.5, 0.2, lambda r: f"{_count(r)}Feed | LinkedIn"),
    ("instagram", 0.1, 1.5, lambda r: f"{_count(r)}Instagram"),
    ("search", 2.0, 2.0, _search),
)

_PAGE_CUM = {
    mode: list(itertools.accumulate(site[1] if mode == WORK else site[2] for site in _PAGES))
    for mode in MODES
}


def _page(rng: Random, mode: str) -> str:
    cum = _PAGE_CUM[mode]
    return _PAGES[bisect.bisect(cum, rng.random() * cum[-1])][3](rng)


def _browser(suffix: str) -> TitleMaker:
    def make(rng: Random, mode: str) -> str:
        return ("New Tab" if rng.random() < 0.02 else _page(rng, mode)) + suffix

    return make


# -------------------------------------------------------------------------------------------
# Other apps' titles.


def _fixed(*titles: str) -> TitleMaker:
    return lambda rng, _mode: _pick(rng, titles)


def _code(rng: Random, mode: str) -> str:
    dirty = "● " if rng.random() < 0.3 else ""
    return f"{dirty}{_source_file(rng)[1]} - {_project(rng, mode)} - Visual Studio Code"


def _pycharm(rng: Random, mode: str) -> str:
    return f"{_project(rng, mode)} {EN_DASH} {'/'.join(_source_file(rng))}"


def _sublime(rng: Random, mode: str) -> str:
    project = _project(rng, mode)
    return f"~/src/{project}/{'/'.join(_source_file(rng))} ({project}) - Sublime Text"


def _emacs(rng: Random, _mode: str) -> str:
    return f"{_source_file(rng)[1]} - GNU Emacs at laptop"


def _gedit(rng: Random, _mode: str) -> str:
    name = _pick(rng, ("notes.txt", "todo.md", "hosts", "Untitled Document 1"))
    return f"{name} (~/Documents) - gedit"


def _dbeaver(rng: Random, _mode: str) -> str:
    database = _pick(rng, ("breather", "billing", "analytics"))
    return f"DBeaver 24.0.0 - <{database}> Script-{rng.randrange(1, 30)}"


def _shell(rng: Random, mode: str) -> str:
    """What a shell puts in its terminal's title: the working directory or the command."""
    form = rng.random()
    if form < 0.5:
        return f"~/src/{_project(rng, mode)}"
    if form < 0.7:
        return f"nvim {'/'.join(_source_file(rng))}"
    return _pick(rng, COMMANDS)


def _gnome_terminal(rng: Random, mode: str) -> str:
    title = _shell(rng, mode)
    return f"jane@laptop: {title}" if title.startswith("~") else title


def _konsole(rng: Random, mode: str) -> str:
    title = _shell(rng, mode)
    if title.startswith("~"):
        return f"{title.rsplit('/', 1)[-1]} : bash — Konsole"
    return f"~ : {title} — Konsole"


def _slack(rng: Random, _mode: str) -> str:
    form = rng.random()
    if form < 0.3:
        return f"{_name(rng)} (DM) - Acme - Slack"
    if form < 0.37:
        return "Threads - Acme - Slack"
    return f"{_pick(rng, CHANNELS)} (Channel) - Acme - Slack"


def _discord(rng: Random, _mode: str) -> str:
    if rng.random() < 0.2:
        return f"@{_pick(rng, FIRST).lower()} - Discord"
    server = _pick(rng, ("Python Discord", "Factorio", "r/unixporn", "Home Lab", "Friends"))
    return f"#{_pick(rng, CHANNELS)} | {server} - Discord"


def _telegram(rng: Random, _mode: str) -> str:
    return f"Telegram ({rng.randrange(1, 30)})" if rng.random() < 0.5 else "Telegram"


def _element(rng: Random, _mode: str) -> str:
    return f"Element [{rng.randrange(1, 9)}] | {_pick(rng, CHANNELS)}"


def _thunderbird(rng: Random, _mode: str) -> str:
    form = rng.random()
    if form < 0.5:
        return "Inbox - jane@example.org - Mozilla Thunderbird"
    if form < 0.6:
        return f"Write: {_pick(rng, SUBJECTS)} - Thunderbird"
    return f"{_pick(rng, SUBJECTS)} - Mozilla Thunderbird"


def _spotify(rng: Random, _mode: str) -> str:
    if rng.random() < 0.15:
        return "Spotify Premium"
    return f"{_pick(rng, BANDS)} - {_pick(rng, SONG_WORDS)} {_pick(rng, SONG_WORDS)}"


def _film(rng: Random) -> str:
    episode = f"S0{rng.randrange(1, 5)}E{rng.randrange(1, 11):02d}"
    return f"{_pick(rng, SHOWS).replace(' ', '.')}.{episode}.1080p.mkv"


def _office(kind: str, ext: str) -> TitleMaker:
    return lambda rng, _mode: f"{_pick(rng, DOCS)}{ext} - LibreOffice {kind}"


def _obsidian(rng: Random, _mode: str) -> str:
    if rng.random() < 0.5:
        note = _pick(rng, DOCS)
    else:
        note = f"2025-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"
    return f"{note} - notes - Obsidian v1.5.12"


def _gimp(rng: Random, _mode: str) -> str:
    image = f"[IMG_{rng.randrange(1000, 9999)}] (imported)-1.0"
    mode = "(RGB color 8-bit gamma integer, GIMP built-in sRGB, 1 layer)"
    return f"{image} {mode} 4032x3024 {EN_DASH} GIMP"


def _files(rng: Random, mode: str) -> str:
    return _pick(rng, ("Home", "Downloads", "Documents", "Pictures", "src", _project(rng, mode)))


# -------------------------------------------------------------------------------------------
# The apps.


@dataclass(frozen=True, slots=True)
class AppSpec:
    """An application as the window monitor sees it, and how its titles look and change."""

    app: str  # the WM_CLASS class
    process: str
    exe: str
    kind: str
    titles: TitleMaker
    new_title: float = 0.1  # chance that drawing a title makes a new one rather than reuse


STEAM = "/home/jane/.local/share/Steam"
GAMES = f"{STEAM}/steamapps/common"
SOFFICE = "/usr/lib/libreoffice/program/soffice.bin"
JAVA = "/usr/lib/jvm/java-17-openjdk-amd64/bin/java"
MINECRAFT = "Minecraft* 1.20.4"

# fmt: off
APPS: tuple[AppSpec, ...] = (
    # Most popular first: the Zipf rank is the position here.
    AppSpec("firefox", "firefox", "/usr/lib/firefox/firefox", "browser",
            _browser(" — Mozilla Firefox"), 0.3),
    AppSpec("Code", "code", "/usr/share/code/code", "editor", _code, 0.08),
    AppSpec("Gnome-terminal", "gnome-terminal-server", "/usr/libexec/gnome-terminal-server",
            "terminal", _gnome_terminal, 0.1),
    AppSpec("Slack", "slack", "/usr/lib/slack/slack", "chat", _slack, 0.04),
    AppSpec("Chromium", "chromium", "/usr/lib/chromium/chromium", "browser",
            _browser(" - Chromium"), 0.3),
    AppSpec("thunderbird", "thunderbird", "/usr/lib/thunderbird/thunderbird", "mail",
            _thunderbird, 0.1),
    AppSpec("discord", "Discord", "/usr/share/discord/Discord", "chat", _discord, 0.05),
    AppSpec("Spotify", "spotify", "/usr/share/spotify/spotify", "music", _spotify, 0.2),
    AppSpec("kitty", "kitty", "/usr/bin/kitty", "terminal", _shell, 0.1),
    AppSpec("TelegramDesktop", "telegram-desktop", "/usr/bin/telegram-desktop", "chat",
            _telegram, 0.1),
    AppSpec("org.gnome.Nautilus", "nautilus", "/usr/bin/nautilus", "files", _files, 0.05),
    AppSpec("obsidian", "obsidian", "/opt/Obsidian/obsidian", "docs", _obsidian, 0.1),
    AppSpec("Evince", "evince", "/usr/bin/evince", "docs",
            lambda r, m: f"{_pick(r, PAPERS)}.pdf", 0.05),
    AppSpec("libreoffice-writer", "soffice.bin", SOFFICE, "office",
            _office("Writer", ".odt"), 0.05),
    AppSpec("libreoffice-calc", "soffice.bin", SOFFICE, "office", _office("Calc", ".ods"), 0.05),
    AppSpec("jetbrains-pycharm-ce", "java", "/opt/pycharm-community/jbr/bin/java", "editor",
            _pycharm, 0.08),
    AppSpec("steam", "steam", f"{STEAM}/ubuntu12_32/steam", "launcher",
            _fixed("Steam", "Friends List", "Steam Settings")),
    AppSpec("factorio", "factorio", f"{GAMES}/Factorio/bin/x64/factorio", "game",
            _fixed("Factorio 1.1.110")),
    AppSpec("Google-chrome", "chrome", "/opt/google/chrome/chrome", "browser",
            _browser(" - Google Chrome"), 0.3),
    AppSpec("KeePassXC", "keepassxc", "/usr/bin/keepassxc", "system",
            _fixed("Passwords.kdbx - KeePassXC", "Passwords.kdbx [Locked] - KeePassXC")),
    AppSpec("mpv", "mpv", "/usr/bin/mpv", "video", lambda r, m: f"{_film(r)} - mpv", 0.3),
    AppSpec("zoom", "zoom", "/opt/zoom/zoom", "meeting",
            _fixed("Zoom Meeting", "Zoom Workplace", "Zoom")),
    AppSpec("Signal", "signal-desktop", "/opt/Signal/signal-desktop", "chat", _fixed("Signal")),
    AppSpec("vlc", "vlc", "/usr/bin/vlc", "video",
            lambda r, m: f"{_film(r)} - VLC media player", 0.3),
    AppSpec(MINECRAFT, "java", JAVA, "game",
            _fixed(f"{MINECRAFT} - Singleplayer", f"{MINECRAFT} - Multiplayer (3rd-party Server)")),
    AppSpec("Emacs", "emacs", "/usr/bin/emacs-29.3", "editor", _emacs, 0.08),
    AppSpec("Gimp-2.10", "gimp-2.10", "/usr/bin/gimp-2.10", "graphics", _gimp, 0.3),
    AppSpec("libreoffice-impress", "soffice.bin", SOFFICE, "office",
            _office("Impress", ".odp"), 0.05),
    AppSpec("Sublime_text", "sublime_text", "/opt/sublime_text/sublime_text", "editor",
            _sublime, 0.08),
    AppSpec("konsole", "konsole", "/usr/bin/konsole", "terminal", _konsole, 0.1),
    AppSpec("Element", "element-desktop", "/opt/Element/element-desktop", "chat", _element, 0.1),
    AppSpec("okular", "okular", "/usr/bin/okular", "docs",
            lambda r, m: f"{_pick(r, PAPERS)}.pdf — Okular", 0.05),
    AppSpec("Zotero", "zotero", "/usr/lib/zotero/zotero-bin", "docs", _fixed("Zotero")),
    AppSpec("org.inkscape.Inkscape", "inkscape", "/usr/bin/inkscape", "graphics",
            lambda r, m: f"{_pick(r, SOURCE_STEMS)}.svg - Inkscape", 0.1),
    AppSpec("StardewValley", "StardewValley", f"{GAMES}/Stardew Valley/StardewValley", "game",
            _fixed("Stardew Valley")),
    AppSpec("cs2", "cs2",
            f"{GAMES}/Counter-Strike Global Offensive/game/bin/linuxsteamrt64/cs2", "game",
            _fixed("Counter-Strike 2")),
    AppSpec("DBeaver", "dbeaver", "/usr/share/dbeaver-ce/dbeaver", "editor", _dbeaver, 0.05),
    AppSpec("obs", "obs", "/usr/bin/obs", "graphics",
            _fixed("OBS 30.0.2 - Profile: Untitled - Scenes: Untitled")),
    AppSpec("Gnome-system-monitor", "gnome-system-monitor", "/usr/bin/gnome-system-monitor",
            "system", _fixed("System Monitor")),
    AppSpec("Gnome-control-center", "gnome-control-center", "/usr/bin/gnome-control-center",
            "system", _fixed("Settings", "Displays", "Sound", "Wi-Fi")),
    AppSpec("gnome-calculator", "gnome-calculator", "/usr/bin/gnome-calculator", "system",
            _fixed("Calculator")),
    AppSpec("Gedit", "gedit", "/usr/bin/gedit", "editor", _gedit, 0.05),
)

# How much a session of each mode favours each kind of app.
_KIND_FACTOR: dict[str, dict[str, float]] = {
    WORK: {
        "browser": 1.0, "editor": 1.6, "terminal": 1.6, "chat": 1.3, "mail": 1.3,
        "music": 0.5, "video": 0.05, "office": 1.5, "docs": 1.2, "graphics": 0.4,
        "files": 1.0, "system": 1.0, "game": 0.0, "launcher": 0.0, "meeting": 0.5,
    },
    LEISURE: {
        "browser": 1.5, "editor": 0.3, "terminal": 0.4, "chat": 1.2, "mail": 0.4,
        "music": 1.2, "video": 1.5, "office": 0.2, "docs": 0.5, "graphics": 1.0,
        "files": 0.8, "system": 0.8, "game": 3.0, "launcher": 2.0, "meeting": 0.05,
    },
}
# fmt: on

ZIPF_EXPONENT = 1.1
# Chance that at a segment's end the same window keeps the focus (no switch at all).
_STICK = {"game": 0.9, "video": 0.8, "meeting": 0.85}
# Chance that a switch stays in the app and only changes its title (navigate, open a file).
_INNER = {"browser": 0.35, "editor": 0.3, "terminal": 0.25, "mail": 0.3, "chat": 0.2, "docs": 0.15}

ALT_TAB = 0.45  # a switch goes back to the previous app
KEEP_TITLE = 0.7  # an app switched to shows the title it was left with
NO_FOCUS = 0.01  # a switch leaves no window focused for a moment (clicked the desktop)
MIN_DWELL, MAX_DWELL = 5, 120  # seconds between window changes
DWELL_SKEW = 1.3  # > 1 skews the log-uniform dwell toward short

_APP_CUM = {
    mode: list(
        itertools.accumulate(
            _KIND_FACTOR[mode][spec.kind] / (rank + 1) ** ZIPF_EXPONENT
            for rank, spec in enumerate(APPS)
        )
    )
    for mode in MODES
}


# -------------------------------------------------------------------------------------------
# The plan: when the machine is on, and when the person is away from it.


@dataclass(frozen=True, slots=True)
class Session:
    """Machine-on time: `seconds` samples from `start` (UTC), with away periods inside.

    `away` holds (offset, length) in seconds from the start, sorted and not overlapping; the
    last one may end exactly at the end (the machine suspended itself after idling).
    """

    start: datetime
    seconds: int
    mode: str
    away: tuple[tuple[int, int], ...] = ()


def plan(days: int, seed: int, start: date = DEFAULT_START, tz: tzinfo = UTC) -> Iterator[Session]:
    """The sessions of `days` days from `start`, in order; the day's hours are local to `tz`."""
    for offset in range(days):
        yield from _day_plan(seed, start + timedelta(days=offset), tz)


def tracked_seconds(days: int, seed: int, start: date = DEFAULT_START, tz: tzinfo = UTC) -> int:
    """How many 1 Hz samples `generate` yields for the same arguments, without making them."""
    return sum(session.seconds for session in plan(days, seed, start, tz))


Block = tuple[float, float, str, list[tuple[float, float]]]


def _day_plan(seed: int, day: date, tz: tzinfo) -> list[Session]:
    rng = Random(f"breather-usage:{seed}:{day.isoformat()}")
    if rng.random() < 0.03:
        return []  # ill, travelling, or simply offline
    # (start minute of the day, length in minutes, mode, fixed away periods in minutes)
    blocks: list[Block] = []
    if day.weekday() < 5:
        morning = 8 * 60 + min(max(rng.gauss(50, 25), 0), 110)
        lunch = 12 * 60 + rng.uniform(0, 40)
        lunch_length = rng.uniform(30, 60)
        afternoon_end = lunch + lunch_length + rng.uniform(170, 230)
        meetings = _meetings(rng, morning, afternoon_end, lunch, lunch_length)
        if rng.random() < 0.5:  # the machine stays on over lunch
            away = sorted([(lunch, lunch_length), *meetings])
            blocks.append((morning, afternoon_end - morning, WORK, away))
        else:
            after = lunch + lunch_length
            before = [m for m in meetings if m[0] < lunch]
            blocks.append((morning, lunch - morning, WORK, before))
            blocks.append(
                (after, afternoon_end - after, WORK, [m for m in meetings if m[0] > lunch])
            )
        if rng.random() < 0.55:
            evening = max(19 * 60 + 30 + rng.uniform(0, 90), afternoon_end + 60)
            blocks.append((evening, rng.uniform(30, 120), LEISURE, []))
    else:
        total = rng.uniform(120, 240)
        if rng.random() < 0.6:
            first = total * rng.uniform(0.3, 0.6)
            blocks.append((10 * 60 + rng.uniform(0, 240), first, LEISURE, []))
            blocks.append((20 * 60 + rng.uniform(0, 60), total - first, LEISURE, []))
        else:
            blocks.append((14 * 60 + rng.uniform(0, 300), total, LEISURE, []))
    midnight = datetime.combine(day, time(0), tzinfo=tz)
    sessions = []
    for at_minute, minutes, mode, fixed in blocks:
        seconds = int(minutes * 60)
        away = [(int((m - at_minute) * 60), int(length * 60)) for m, length in fixed]
        away = _with_breaks(rng, seconds, away)
        if rng.random() < 0.3:  # walked away; the machine suspends itself after a while
            tail = int(rng.uniform(5, 15) * 60)
            away.append((seconds, tail))
            seconds += tail
        # A sub-second start: a real sampler is not aligned to whole seconds.
        begin = midnight + timedelta(minutes=at_minute, milliseconds=rng.randrange(1000))
        sessions.append(Session(begin.astimezone(UTC), seconds, mode, tuple(away)))
    return sessions


def _meetings(
    rng: Random, begin: float, end: float, lunch: float, lunch_length: float
) -> list[tuple[float, float]]:
    """In-person meetings (minutes of the day, length) that clash with neither lunch nor another."""
    meetings: list[tuple[float, float]] = []
    for _ in range(rng.choice((0, 0, 1, 1, 1, 2))):
        length = rng.uniform(25, 60)
        at = rng.uniform(begin + 30, end - length - 30)
        if at < lunch + lunch_length + 10 and at + length > lunch - 10:
            continue
        if any(at < m + ml + 10 and at + length > m - 10 for m, ml in meetings):
            continue
        meetings.append((at, length))
    return sorted(meetings)


def _with_breaks(rng: Random, seconds: int, fixed: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """`fixed` away periods plus short breaks every 40-100 minutes, sorted, none overlapping."""
    away = list(fixed)
    at = 0
    while True:
        at += int(rng.uniform(40, 100) * 60)
        length = int(60 * 10 ** rng.uniform(0, 1))  # 1-10 minutes, log-uniform
        if at + length >= seconds - 60:
            break
        if any(at < a + al + 120 and at + length > a - 120 for a, al in away):
            continue
        away.append((at, length))
    return sorted((a, al) for a, al in away if a > 0 and a + al < seconds)


# -------------------------------------------------------------------------------------------
# Mood check-ins.


@dataclass(frozen=True, slots=True)
class MoodCheckin:
    """A check-in as the person would give it: when (UTC), the mood 1-5, maybe a word."""

    at: datetime
    mood: int
    note: str = ""


#: Bumped whenever the same seed would give different check-ins.
MOOD_MODEL_VERSION = 1

#: Words people give with a check-in, by mood; most check-ins have none.
MOOD_NOTES = {
    1: ("exhausted", "rough day", "lonely"),
    2: ("tired", "stressed", "slept badly"),
    3: ("ok", "busy", "meh"),
    4: ("good walk", "productive", "saw friends"),
    5: ("great day", "rested", "out in the sun"),
}


def mood_checkins(
    days: int, seed: int, start: date = DEFAULT_START, tz: tzinfo = UTC
) -> Iterator[MoodCheckin]:
    """An evening check-in on about 70% of days, the same for the same seed.

    The model (so screenshots and benchmarks show a believable year): a personal baseline
    that drifts slowly (a random walk pulled back towards 3.4), a little better at weekends,
    lower on days with more than 90 minutes of evening leisure screen time (the pattern the
    weekly review should find), and noise of about one point; answers are rounded to 1-5.
    Check-ins never change the samples, so `GENERATOR_VERSION` stays as it is.
    """
    drift = 0.0
    for offset in range(days):
        day = start + timedelta(days=offset)
        rng = Random(f"breather-mood:{seed}:{day.isoformat()}")
        drift = 0.85 * drift + rng.gauss(0, 0.2)
        sessions = _day_plan(seed, day, tz)
        leisure = sum(s.seconds for s in sessions if s.mode == LEISURE) / 60
        if not sessions or rng.random() > 0.7:
            continue  # the computer stayed off, or no check-in that day
        level = 3.4 + drift + (0.3 if day.weekday() >= 5 else 0.0)
        level -= 0.6 if leisure > 90 else 0.0
        mood = min(5, max(1, round(level + rng.gauss(0, 0.8))))
        note = rng.choice(MOOD_NOTES[mood]) if rng.random() < 0.3 else ""
        evening = datetime.combine(day, time(21, 0), tzinfo=tz) + timedelta(
            minutes=rng.uniform(-30, 90)
        )
        yield MoodCheckin(evening.astimezone(UTC), mood, note)


# -------------------------------------------------------------------------------------------
# The samples.


def generate(
    days: int, seed: int, start: date = DEFAULT_START, tz: tzinfo = UTC
) -> Iterator[Sample]:
    """1 Hz samples of `days` days of desktop use from `start`, the same for the same seed."""
    person = _Person(seed)
    mono = 4000.0 + person.rng.uniform(0, 1000)  # the machine was booted before the first day
    for session in plan(days, seed, start, tz):
        yield from person.session(session, mono)
        # Suspended until the next session: CLOCK_MONOTONIC stops, so it moves only by the
        # time suspending and resuming take.
        mono += session.seconds + 2.0 + 3.0 * person.rng.random()


class _Person:
    """What one person does at the machine; keeps the apps' title pools across the year."""

    def __init__(self, seed: int) -> None:
        self.rng = Random(f"breather-usage-content:{seed}")
        self._pools: dict[tuple[int, str], tuple[list[str], set[str]]] = {}
        self._last_title: dict[tuple[int, str], str] = {}
        self._windows: dict[tuple[int, str], WindowInfo] = {}
        self._app = 0
        self._previous_app = 1

    def session(self, session: Session, mono0: float) -> Iterator[Sample]:
        """The samples of one session; `mono0` is the monotonic clock at its start."""
        random = self.rng.random
        gap = self._gap
        mode = session.mode
        at = session.start
        end = session.seconds
        mono = mono0 + random()  # the first sample comes a moment after resuming
        t = 0
        last_input = -random()  # whoever resumed the machine just touched it
        window, kind = self._switch(mode, resumed=True)
        next_input = last_input + gap(kind)
        for away_at, away_length in (*session.away, (end, 0)):
            while t < away_at:
                dwell = int(MIN_DWELL * (MAX_DWELL / MIN_DWELL) ** (random() ** DWELL_SKEW))
                stop = min(t + dwell, away_at)
                while t < stop:
                    while next_input <= t:
                        last_input = next_input
                        next_input += gap(kind)
                    yield Sample(at, mono + t, window, t - last_input)
                    t += 1
                    at += ONE_SECOND
                if t >= away_at or random() < _STICK.get(kind, 0.0):
                    continue
                window, kind = self._switch(mode, resumed=False)
                last_input = t - random()  # the switch was an input
                next_input = last_input + gap(kind)
            if away_length == 0:
                break
            # Away: no input until the person is back; a long absence may lock the screen.
            back = away_at + away_length
            lock_at = away_at + 600 if away_length > 900 and random() < 0.4 else back
            while t < back:
                yield Sample(at, mono + t, window if t < lock_at else None, t - last_input)
                t += 1
                at += ONE_SECOND
            if back < end:
                window, kind = self._switch(mode, resumed=True)
                last_input = t - random()
                next_input = last_input + gap(kind)

    def _gap(self, kind: str) -> float:
        """Seconds from one input to the next while at the machine."""
        rng = self.rng
        u = rng.random()
        if kind == "video" and u < 0.6:
            return rng.uniform(30, 900)  # watching
        if kind == "meeting" and u < 0.5:
            return rng.uniform(20, 300)  # listening
        if u < 0.72:
            return 0.05 + 2.5 * rng.random()  # typing, scrolling, pointing
        if u < 0.95:
            return rng.uniform(2.5, 20)
        if u < 0.996 or kind == "game":
            return rng.uniform(20, 90)  # reading
        return rng.uniform(90, 300)  # reading a long page

    def _switch(self, mode: str, *, resumed: bool) -> tuple[WindowInfo | None, str]:
        """The next focused window and its app's kind."""
        rng = self.rng
        if not resumed and rng.random() < NO_FOCUS:
            return None, "none"
        spec = APPS[self._app]
        if not resumed and rng.random() < _INNER.get(spec.kind, 0.05):
            return self._window(self._app, mode, fresh=True), spec.kind
        if rng.random() < ALT_TAB:
            app = self._previous_app
        else:
            cum = _APP_CUM[mode]
            app = bisect.bisect(cum, rng.random() * cum[-1])
        if app != self._app:
            self._previous_app, self._app = self._app, app
        return self._window(app, mode, fresh=False), APPS[app].kind

    def _window(self, app: int, mode: str, *, fresh: bool) -> WindowInfo:
        """The app's window with the title it was left with or (if `fresh`) a newly drawn one."""
        key = (app, mode)
        title = self._last_title.get(key)
        if title is None or fresh or self.rng.random() > KEEP_TITLE:
            title = self._draw_title(app, mode)
            self._last_title[key] = title
        window = self._windows.get((app, title))
        if window is None:
            spec = APPS[app]
            window = WindowInfo(spec.app, title, spec.process, spec.exe)
            self._windows[(app, title)] = window
        return window

    def _draw_title(self, app: int, mode: str) -> str:
        """A title from the app's pool: old ones by Zipf-like reuse, now and then a new one."""
        rng = self.rng
        spec = APPS[app]
        pool, known = self._pools.setdefault((app, mode), ([], set()))
        if not pool or rng.random() < spec.new_title:
            title = spec.titles(rng, mode)
            if title not in known:
                known.add(title)
                pool.append(title)
            return title
        # The oldest titles are the most visited: P(rank < x) = (x / n) ** (1 / 3).
        return pool[int(len(pool) * rng.random() ** 3)]
