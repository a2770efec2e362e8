"""Categories: "Social media" has to mean social media, whatever the browser and the desktop."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from breather.categories.catalogue import OTHER, Categorizer, Rule, load_catalogue, parse_catalogue
from breather.categories.patterns import compile_pattern
from breather.settings.model import parse_settings

EDGE = "Microsoft\u200b Edge"  # Edge puts a zero-width space in its own name

# How each browser titles its window, on each desktop: (app as the desktop reports it, format).
BROWSERS = {
    "Firefox on Linux": ("firefox", "{page} — Mozilla Firefox"),
    "Firefox on Windows": ("firefox.exe", "{page} — Mozilla Firefox"),
    "Firefox on macOS": ("Firefox", "{page}"),
    "Firefox, older": ("firefox", "{page} - Mozilla Firefox"),
    "Firefox private window": ("firefox", "{page} — Mozilla Firefox Private Browsing"),
    "Chrome on Linux": ("Google-chrome", "{page} - Google Chrome"),
    "Chrome on Windows": ("chrome.exe", "{page} - Google Chrome"),
    "Chrome on Windows, playing": ("chrome.exe", "{page} - Audio playing - Google Chrome"),
    "Chrome on macOS": ("Google Chrome", "{page}"),
    "Chromium on Linux": ("Chromium", "{page} - Chromium"),
    "Edge on Windows": ("msedge.exe", "{page} - Personal - " + EDGE),
    "Edge on Windows, work profile, tabs": (
        "msedge.exe",
        "{page} and 3 more pages - Work - " + EDGE,
    ),
    "Edge on Linux": ("Microsoft-edge", "{page} - Profile 1 - " + EDGE),
    "Edge on macOS": ("Microsoft Edge", "{page}"),
    "Safari on macOS": ("Safari", "{page}"),
}

# Page titles as the sites write them (several with a "(3) " unread count in front).
PAGES = {
    "Social media": [
        "Home / X",
        "(3) Home / X",
        'Jane Doe on X: "Shipping today" / X',
        "Jane Doe (@jane) / X",
        "Home / Twitter",
        "Facebook",
        "(5) Facebook",
        "Jane Doe | Facebook",
        "Instagram",
        "Jane Doe (@jane) • Instagram photos and videos",
        "Reddit - Dive into anything",
        "How do I read a TOML file? : r/learnpython",
        "r/python",
        "(2) Feed | LinkedIn",
        "Jane Doe | LinkedIn",
        "TikTok - Make Your Day",
        "Cat learns to open doors | TikTok",
        "Pinterest",
        "Home - Mastodon",
        "Home — Bluesky",
        "Jane Doe (@jane) on Threads",
        "Tumblr",
    ],
    "Video": [
        "(2) Never Gonna Give You Up - YouTube",
        "YouTube",
        "Netflix",
        "Home - Netflix",
        "Stranger Things | Netflix Official Site",
        "shroud - Twitch",
        "A short film on Vimeo",
        "Prime Video: The Boys",
        "Amazon.com: Watch The Boys | Prime Video",
        "Watch Loki | Disney+",
        "Watch The Bear Streaming Online | Hulu",
        "Watch One Piece - Crunchyroll",
    ],
    "News": [
        "Election results 2024 - BBC News",
        "Home - BBC News",
        "Energy prices to rise again this winter | Business | The Guardian",
        "Opinion | The Case for Slow Software - The New York Times",
        "Storm makes landfall in Florida | CNN",
        "Stocks slip as rate fears return | Reuters",
        "Congress passes budget - The Washington Post",
        "Floods hit the region | News | Al Jazeera",
        "Hacker News",
        "Show HN: Breather, a calm screen-time tracker | Hacker News",
        "Why bees matter : NPR",
        "Markets open higher | AP News",
        "Chip makers rally - Bloomberg",
        "Google News",
        "Bahnstreik: Was Reisende wissen müssen - DER SPIEGEL",
        "The best laptops of the year - The Verge",
        "A new look at old CPUs | Ars Technica",
    ],
    "Messaging": ["WhatsApp", "(4) WhatsApp", "Messenger", "Slack | general | Acme"],
    "Email": ["Inbox (3) - jane@gmail.com - Gmail", "Mail - Jane Doe - Outlook"],
    "Shopping": ["Amazon.com : mechanical keyboard", "Vintage lamp | eBay"],
    "Learning": ["Photosynthesis - Wikipedia", "Array.prototype.map() - JavaScript | MDN"],
    "Work": ["Issues · breather/breather · GitHub", "python - How to parse TOML? - Stack Overflow"],
    "Music": ["YouTube Music", "Spotify – Web Player"],
}

CASES = [
    pytest.param(browser, category, page, id=f"{category}: {page} in {browser}")
    for category, pages in PAGES.items()
    for page in pages
    for browser in BROWSERS
]


@pytest.fixture(scope="module")
def categorizer() -> Categorizer:
    return Categorizer()


@pytest.mark.parametrize(("browser", "category", "page"), CASES)
def test_browser_pages_are_categorised_in_every_browser(
    categorizer: Categorizer, browser: str, category: str, page: str
) -> None:
    app, title_format = BROWSERS[browser]
    assert categorizer.category(app, title_format.format(page=page)) == category


def test_at_least_fifteen_social_video_and_news_sites_are_covered() -> None:
    sites = {
        "X", "Twitter", "Facebook", "Instagram", "Reddit", "LinkedIn", "TikTok", "Pinterest",
        "Mastodon", "Bluesky", "Threads", "Tumblr", "YouTube", "Netflix", "Twitch", "Vimeo",
        "Prime Video", "Disney+", "Hulu", "Crunchyroll", "BBC", "Guardian", "New York Times",
        "CNN", "Reuters", "Washington Post", "Al Jazeera", "Hacker News", "NPR", "AP",
        "Bloomberg", "Google News", "SPIEGEL", "Verge", "Ars Technica",
    }  # fmt: skip
    covered = {
        site
        for kind in ("Social media", "Video", "News")
        for page in PAGES[kind]
        for site in sites
        if site in page or (site == "Reddit" and "r/" in page)
    }
    assert len(covered) >= 15 * 2


@pytest.mark.parametrize(
    "page",
    [
        "Python tutorial",
        "YouTube bans a channel - BBC News",  # the news site, not the video site
        "Report: why X is losing users - The Verge",
        "New Tab",
        "",
    ],
)
def test_other_pages_are_not_mistaken_for_sites(categorizer: Categorizer, page: str) -> None:
    category = categorizer.category("firefox", f"{page} — Mozilla Firefox")
    assert category in {OTHER, "News"}
    if "BBC" in page or "Verge" in page:
        assert category == "News"


# (category, Linux WM_CLASS, Windows process, macOS app name)
APPS = [
    ("Messaging", "Slack", "slack.exe", "Slack"),
    ("Messaging", "discord", "Discord.exe", "Discord"),
    ("Messaging", "TelegramDesktop", "Telegram.exe", "Telegram"),
    ("Messaging", "Signal", "Signal.exe", "Signal"),
    ("Messaging", "Element", "Element.exe", "Element"),
    ("Messaging", "teams-for-linux", "ms-teams.exe", "Microsoft Teams"),
    ("Messaging", "zoom", "Zoom.exe", "zoom.us"),
    ("Email", "thunderbird", "thunderbird.exe", "Thunderbird"),
    ("Email", "Evolution", "OUTLOOK.EXE", "Mail"),
    ("Email", "Geary", "olk.exe", "Microsoft Outlook"),
    ("Video", "mpv", "mpv.exe", "IINA"),
    ("Video", "vlc", "vlc.exe", "VLC"),
    ("Video", "Totem", "Video.UI.exe", "QuickTime Player"),
    ("Music", "Spotify", "Spotify.exe", "Spotify"),
    ("Music", "rhythmbox", "foobar2000.exe", "Music"),
    ("Games", "steam", "steam.exe", "Steam"),
    ("Games", "steam_app_1145360", "EpicGamesLauncher.exe", "Battle.net"),
    ("Games", "factorio", "factorio.exe", "factorio"),
    ("Games", "Minecraft* 1.20.4", "RobloxPlayerBeta.exe", "Minecraft Launcher"),
    ("Work", "Code", "Code.exe", "Code"),
    ("Work", "jetbrains-pycharm-ce", "pycharm64.exe", "PyCharm"),
    ("Work", "Gnome-terminal", "WindowsTerminal.exe", "Terminal"),
    ("Work", "kitty", "powershell.exe", "iTerm2"),
    ("Work", "libreoffice-writer", "WINWORD.EXE", "Microsoft Word"),
    ("Work", "libreoffice-calc", "EXCEL.EXE", "Numbers"),
    ("Work", "Emacs", "sublime_text.exe", "Xcode"),
    ("Learning", "anki", "anki.exe", "Anki"),
    ("Learning", "Zotero", "zotero.exe", "Zotero"),
    (OTHER, "Gnome-calculator", "CalculatorApp.exe", "Calculator"),
]


@pytest.mark.parametrize(
    ("category", "app"),
    [
        pytest.param(category, app, id=f"{category}: {app} ({system})")
        for category, *names in APPS
        for system, app in zip(("Linux", "Windows", "macOS"), names, strict=True)
    ],
)
def test_apps_are_categorised_on_every_desktop(
    categorizer: Categorizer, category: str, app: str
) -> None:
    assert categorizer.category(app, "any title") == category
    # Whatever the title, so summaries can use the hourly rollup for these apps.
    assert categorizer.app_category(app) == category


def test_the_process_and_executable_name_an_app_too(categorizer: Categorizer) -> None:
    assert categorizer.category("Navigator", "x", "firefox", "/usr/lib/firefox/firefox") == OTHER
    assert categorizer.category("Navigator", "Home / X", "firefox", "") == "Social media"
    assert categorizer.category("crx_abc", "", "slack", "/usr/lib/slack/slack") == "Messaging"
    exe = r"C:\Users\jane\AppData\Local\Discord\app-1.0\Discord.exe"
    assert categorizer.category("Discord Updater", "", "", exe) == "Messaging"


def test_only_browsers_and_title_rules_make_the_title_matter(categorizer: Categorizer) -> None:
    assert categorizer.app_category("firefox") is None
    assert categorizer.app_category("Code") == "Work"
    ruled = Categorizer([Rule("Learning", titles=(compile_pattern("Lecture", "title"),))])
    assert ruled.app_category("Code") is None
    assert ruled.category("Code", "Lecture 3 notes.md - Code") == "Learning"
    assert ruled.category("Code", "main.py - Code") == "Work"


def test_the_persons_rules_come_first_in_order_and_may_name_new_categories() -> None:
    settings, problems = parse_settings(
        """
[[categories]]
category = "Side project"
apps = ["code"]
titles = ["*breather*"]

[[categories]]
category = "learning"
titles = ["re:^r/(python|rust)$"]

[[categories]]
category = "Work"
apps = ["discord"]
""",
        Path("breather.toml"),
    )
    assert problems == []
    categorizer = Categorizer(settings.categories)
    assert categorizer.category("Code", "tracking.py - breather - Code") == "Side project"
    assert categorizer.category("Code", "main.py - billing - Code") == "Work"
    assert categorizer.category("firefox", "r/python — Mozilla Firefox") == "Learning"
    assert categorizer.category("firefox", "r/gaming — Mozilla Firefox") == "Social media"
    assert categorizer.category("discord", "#general") == "Work"
    assert "Side project" in categorizer.names
    assert categorizer.names[-1] == OTHER


def test_a_changed_rule_answers_differently_for_the_same_window() -> None:
    window = ("firefox", "Cute cats - YouTube — Mozilla Firefox")
    assert Categorizer().category(*window) == "Video"
    rules = [Rule("Learning", titles=(compile_pattern("* - YouTube*", "title"),))]
    assert Categorizer(rules).category(*window) == "Learning"


def test_the_shipped_catalogue_is_complete() -> None:
    catalogue = load_catalogue()
    assert set(catalogue.names) >= {
        "Social media", "Video", "Messaging", "Email", "News", "Games", "Shopping", "Music",
        "Work", "Learning", OTHER,
    }  # fmt: skip
    assert all(category.color for category in catalogue.categories)


def test_a_broken_catalogue_names_the_category_and_pattern() -> None:
    from breather.categories.catalogue import CatalogueError

    with pytest.raises(CatalogueError, match=r"'News' pages: 're:\(' is not a valid"):
        parse_catalogue('[[category]]\nname = "News"\npages = ["re:("]\n')


# -- finding page patterns by their text: a shortcut that must never change an answer ------

CATALOGUE_PAGES = [page for pages in PAGES.values() for page in pages]
# Pieces pages are made of: the sites' own words (any case), separators, and the letters
# `re.IGNORECASE` takes for others ("ſ" for "s", "K" for "k", "İ" for "i", "ς" for "σ").
PAGE_PIECES = [
    *CATALOGUE_PAGES,
    "YouTube", "youtube music", "Spotify", "BBC News", "Reddit", "r/python", "VK", "X",
    "arXiv", "[2401.01234v2] ", "PyPI", "npm", "Inbox", "Server Fault", " - ", " — ", " / ",
    " | ", " :: ", ": ", "ſpotify", "YOUTUBE", "\u212aindle", "\u0130nstagram", "ΣΟΦΙΑ", "ς",
    "Disney+", "Hacker News", "The Guardian", "·", "(3) ",
]  # fmt: skip


def first_page_rule(page: str) -> str | None:
    """Every page pattern tried in catalogue order, with no shortcut: the answer to match."""
    for rule in load_catalogue().page_rules:
        if any(pattern.regex.search(page) for pattern in rule.titles):
            return rule.category
    return None


@pytest.mark.parametrize(
    "page",
    [*CATALOGUE_PAGES, "ſpotify – Web Player", "\u0130nstagram", "Home / X", "home / x"],
)
def test_pages_get_the_category_every_pattern_tried_in_order_gives(page: str) -> None:
    assert load_catalogue().page_category(page) == first_page_rule(page)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(PAGE_PIECES),
            st.sampled_from(PAGE_PIECES).map(str.upper),
            st.sampled_from(PAGE_PIECES).map(str.lower),
            st.text(max_size=4),
        ),
        max_size=6,
    ).map("".join)
)
def test_any_page_gets_the_category_every_pattern_tried_in_order_gives(page: str) -> None:
    assert load_catalogue().page_category(page) == first_page_rule(page)


def test_a_person_s_own_page_patterns_are_found_by_their_text_too() -> None:
    catalogue = parse_catalogue(
        '[[category]]\nname = "Reading"\npages = ["re:\\\\s-\\\\s(?:Longreads|The Atavist)$",'
        ' "Pocket", "re:^\\\\w+$"]\n'
    )
    assert catalogue.page_category("Why we sleep - Longreads") == "Reading"
    assert catalogue.page_category("My list | pocket") == "Reading"
    assert catalogue.page_category("Plain") == "Reading"  # no text to find it by: always tried
    assert catalogue.page_category("Why we sleep - Medium") is None
