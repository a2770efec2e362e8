"""The Support page, driven as a person would: by locale, keyboard and mouse (offscreen)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QLocale, Qt, QUrl
from PySide6.QtGui import QColor, QDesktopServices, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QWidget

from breather.support.catalogue import INTERNATIONAL, Catalogue, load_catalogue, region_for_locale
from breather.ui import selfhelp as page_module
from breather.ui.selfhelp import SelfHelpPage

PageFactory = Callable[[str], SelfHelpPage]


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue()


@pytest.fixture
def opened() -> list[QUrl]:
    return []


@pytest.fixture
def make_page(qtbot, catalogue: Catalogue, opened: list[QUrl]) -> Iterator[PageFactory]:
    def make(region: str) -> SelfHelpPage:
        page = SelfHelpPage(catalogue, region, open_url=opened.append)
        qtbot.addWidget(page)
        page.resize(1100, 760)
        page.show()
        qtbot.waitExposed(page)
        return page

    yield make


def contact_texts(page: SelfHelpPage) -> list[str]:
    return [label.text() for label in page.findChildren(QLabel, "contact") if label.isVisible()]


def link_buttons(page: SelfHelpPage) -> list[QPushButton]:
    return [b for b in page.findChildren(QPushButton, "link") if b.isVisible()]


def link_for(page: SelfHelpPage, url: str) -> QPushButton:
    (button,) = [b for b in link_buttons(page) if b.property("url") == url]
    return button


def card_titles(cards: list) -> list[str]:
    return [card.title.text() for card in cards]


# --- what each region shows ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("locale_name", "expected"),
    [
        ("en_GB", ("999", "Samaritans", ["Call 116 123", "Text SHOUT to 85258", "Call 111"])),
        (
            "en_US",
            ("911", "988 Suicide & Crisis Lifeline", ["Call or text 988", "Text HOME to 741741"]),
        ),
        ("de_DE", ("112", "TelefonSeelsorge", ["Call 0800 111 0 111", "Call 0800 111 0 222"])),
    ],
)
def test_the_system_locale_picks_the_emergency_number_and_crisis_lines(
    make_page: PageFactory,
    catalogue: Catalogue,
    locale_name: str,
    expected: tuple[str, str, list[str]],
) -> None:
    emergency, first_line, contacts = expected
    region = region_for_locale(QLocale(locale_name).name(), catalogue.regions)
    page = make_page(region)

    assert page.region == region
    assert page.region_box.currentData() == region
    assert page.emergency_label.text() == f"If you are in immediate danger, call {emergency}."
    assert page.emergency_label.isVisible()
    expected = [line.name for line in catalogue.region(region).crisis]
    assert card_titles(page.crisis_cards) == expected
    assert expected[0] == first_line
    assert set(contacts) <= set(contact_texts(page))
    assert card_titles(page.directory_cards) == ["Find A Helpline", "Befrienders Worldwide"]


def test_the_emergency_line_comes_first(make_page: PageFactory) -> None:
    page = make_page("GB")
    banner_y = page.emergency_banner.mapTo(page.widget(), page.emergency_banner.rect().topLeft())
    first_card = page.crisis_cards[0]
    card_y = first_card.mapTo(page.widget(), first_card.rect().topLeft())
    assert banner_y.y() < page.region_box.mapTo(page.widget(), page.region_box.pos()).y()
    assert banner_y.y() < card_y.y()


def test_an_unknown_locale_falls_back_to_the_international_directories(
    make_page: PageFactory, catalogue: Catalogue
) -> None:
    region = region_for_locale("pt_BR", catalogue.regions)
    assert region == INTERNATIONAL
    page = make_page(region)

    assert page.region_box.currentText() == "Another country"
    assert "contact your local emergency services" in page.emergency_label.text()
    assert not page.emergency_copy.isVisible()
    assert page.crisis_cards == []
    assert card_titles(page.directory_cards) == ["Find A Helpline", "Befrienders Worldwide"]
    urls = {b.property("url") for b in link_buttons(page)}
    assert {"https://findahelpline.com", "https://befrienders.org"} <= urls


def test_show_region_switches_and_unknown_codes_fall_back(make_page: PageFactory) -> None:
    page = make_page("GB")
    page.show_region("US")
    assert page.region == "US"
    assert page.region_box.currentText() == "United States"
    assert "call 911" in page.emergency_label.text()
    page.show_region("XX")
    assert page.region == INTERNATIONAL
    assert page.crisis_cards == []


def test_services_without_a_verified_address_get_no_button(make_page: PageFactory) -> None:
    page = make_page("NZ")
    (card,) = page.crisis_cards
    assert card.findChildren(QPushButton, "link") == []
    assert "Call or text 1737" in contact_texts(page)
    page.show_region("CA")
    nine_eight_eight = page.crisis_cards[0]
    assert nine_eight_eight.title.text() == "9-8-8: Suicide Crisis Helpline"
    assert nine_eight_eight.findChildren(QPushButton, "link") == []


def test_youth_services_are_labelled(make_page: PageFactory) -> None:
    page = make_page("CA")
    tags = [label.text() for label in page.findChildren(QLabel, "tag") if label.isVisible()]
    assert tags == ["For young people"]


def test_region_specific_guides_follow_the_region(make_page: PageFactory) -> None:
    page = make_page("GB")
    titles = {label.text() for label in page.findChildren(QLabel) if label.isVisible()}
    assert "Mind Infoline" in titles
    assert "NAMI HelpLine" not in titles
    assert {"5-4-3-2-1 grounding", "20-20-20 for your eyes"} <= titles
    page.show_region("US")
    QApplication.processEvents()
    titles = {label.text() for label in page.findChildren(QLabel) if label.isVisible()}
    assert "NAMI HelpLine" in titles
    assert "Mind Infoline" not in titles


# --- keyboard -----------------------------------------------------------------------------------


def test_the_region_can_be_changed_from_the_keyboard(make_page: PageFactory, qtbot) -> None:
    page = make_page("GB")
    box = page.region_box
    assert box.accessibleName() == "Region"
    box.setFocus()

    with qtbot.waitSignal(page.region_changed, timeout=1000) as changed:
        qtbot.keyClick(box, Qt.Key.Key_Down)
    assert changed.args == ["US"]
    assert page.region == "US"
    assert "call 911" in page.emergency_label.text()

    with qtbot.waitSignal(page.region_changed, timeout=1000) as changed:
        qtbot.keyClicks(box, "Ger")
    assert changed.args == ["DE"]
    assert card_titles(page.crisis_cards) == ["TelefonSeelsorge"]


def test_the_hint_says_where_the_region_came_from(
    qtbot, catalogue: Catalogue, opened: list[QUrl]
) -> None:
    page = SelfHelpPage(catalogue, None, open_url=opened.append)  # nothing saved yet
    qtbot.addWidget(page)
    assert "language settings" in page.region_hint.text()
    page.region_box.setCurrentIndex(page.region_box.findData("IE"))
    assert "remembers" in page.region_hint.text()
    reopened = SelfHelpPage(catalogue, "IE", open_url=opened.append)  # the saved choice
    qtbot.addWidget(reopened)
    assert "remembers" in reopened.region_hint.text()


def test_the_region_box_has_a_keyboard_shortcut(make_page: PageFactory) -> None:
    page = make_page("GB")
    (prompt,) = [label for label in page.findChildren(QLabel) if label.buddy() is page.region_box]
    assert prompt.text() == "&Country or region:"


def test_everything_actionable_is_reachable_with_tab(make_page: PageFactory, qtbot) -> None:
    page = make_page("GB")
    page.activateWindow()
    page.region_box.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is page.region_box)

    reached: list[QWidget] = []
    for _ in range(200):
        widget = QApplication.focusWidget()
        assert widget is not None
        if widget in reached:
            break
        reached.append(widget)
        qtbot.keyClick(widget, Qt.Key.Key_Tab)

    actionable = [page.region_box, *link_buttons(page), *page.findChildren(QPushButton, "copy")]
    actionable = [w for w in actionable if w.isVisible()]
    assert len(actionable) > 15
    missing = [w.accessibleName() for w in actionable if w not in reached]
    assert missing == []


def test_actionable_widgets_have_accessible_names(make_page: PageFactory) -> None:
    page = make_page("US")
    buttons = [b for b in page.findChildren(QPushButton) if b.isVisible()]
    assert buttons
    for button in buttons:
        assert button.accessibleName(), button.text()
    chat = link_for(page, "https://988lifeline.org/chat")
    assert chat.text() == "Open chat"
    assert chat.accessibleName() == "Open chat for 988 Suicide & Crisis Lifeline in your browser"
    assert all(card.accessibleName() for card in page.crisis_cards)


def test_the_page_scrolls_to_what_has_keyboard_focus(make_page: PageFactory, qtbot) -> None:
    page = make_page("GB")
    page.activateWindow()
    last = link_buttons(page)[-1]
    page.region_box.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is page.region_box)
    for _ in range(200):
        focused = QApplication.focusWidget()
        if focused is last:
            break
        assert focused is not None
        qtbot.keyClick(focused, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is last
    assert page.verticalScrollBar().value() > 0
    top_left = last.mapTo(page.viewport(), last.rect().topLeft())
    assert page.viewport().rect().contains(top_left)


# --- links and copying --------------------------------------------------------------------------


def test_clicking_a_link_calls_the_opener(
    make_page: PageFactory, opened: list[QUrl], qtbot
) -> None:
    page = make_page("GB")
    url = "https://www.samaritans.org/how-we-can-help/contact-samaritan/"
    button = link_for(page, url)
    page.ensureWidgetVisible(button)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert opened == [QUrl(url)]


def test_a_link_opens_from_the_keyboard_too(
    make_page: PageFactory, opened: list[QUrl], qtbot
) -> None:
    page = make_page("US")
    button = link_for(page, "https://988lifeline.org/chat")
    button.setFocus()
    qtbot.keyClick(button, Qt.Key.Key_Space)
    assert opened == [QUrl("https://988lifeline.org/chat")]


def test_nothing_opens_without_a_click(
    make_page: PageFactory, catalogue: Catalogue, opened: list[QUrl], qtbot
) -> None:
    page = make_page("GB")
    for code in catalogue.region_codes():
        page.show_region(code)
        QApplication.processEvents()
    qtbot.keyClick(page.region_box, Qt.Key.Key_Down)
    page.hide()
    page.show()
    qtbot.wait(50)
    assert opened == []


def test_the_default_opener_is_the_desktop_browser_and_waits_for_a_click(
    qtbot, catalogue: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", calls.append)
    page = SelfHelpPage(catalogue, "FR")
    qtbot.addWidget(page)
    page.show()
    qtbot.waitExposed(page)
    for code in catalogue.region_codes():
        page.show_region(code)
    assert calls == []

    page.show_region("FR")
    QApplication.processEvents()  # lay the new region out, as it would be before anyone clicks
    button = link_for(page, "https://3114.fr")
    page.ensureWidgetVisible(button)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert calls == [QUrl("https://3114.fr")]


def test_copy_puts_the_number_on_the_clipboard(make_page: PageFactory, qtbot) -> None:
    page = make_page("GB")
    clipboard = QGuiApplication.clipboard()
    qtbot.mouseClick(page.emergency_copy, Qt.MouseButton.LeftButton)
    assert clipboard.text() == "999"
    (samaritans_copy,) = [
        b for b in page.findChildren(QPushButton, "copy") if b.accessibleName() == "Copy 116 123"
    ]
    qtbot.mouseClick(samaritans_copy, Qt.MouseButton.LeftButton)
    assert clipboard.text() == "116 123"


# --- look ---------------------------------------------------------------------------------------


def palette(window: str, text: str, base: str) -> QPalette:
    result = QPalette(QApplication.palette())
    result.setColor(QPalette.ColorRole.Window, QColor(window))
    result.setColor(QPalette.ColorRole.WindowText, QColor(text))
    result.setColor(QPalette.ColorRole.Base, QColor(base))
    return result


@pytest.mark.parametrize(
    "colors",
    [
        ("#efefef", "#000000", "#ffffff"),  # Fusion light
        ("#ffffff", "#1d1d1d", "#ffffff"),
        ("#eff0f1", "#232629", "#fcfcfc"),  # Breeze light
        ("#202427", "#e8e8e8", "#191c1e"),
        ("#31363b", "#eff0f1", "#232629"),  # Breeze dark
        ("#2d2d2d", "#fcfcfc", "#1e1e1e"),
    ],
)
def test_secondary_text_follows_the_palette_and_stays_legible(colors: tuple[str, str, str]) -> None:
    """Only the teal accent is fixed; text colours come from the light or dark palette."""
    window, text, base = colors
    style = page_module.page_style(palette(window, text, base))
    (secondary,) = re.findall(r"QLabel#secondary \{ color: (#[0-9a-f]{6}); \}", style)
    for background in (window, base):
        assert page_module.contrast(QColor(secondary), QColor(background)) >= 4.5
    assert page_module.contrast(QColor(secondary), QColor(text)) > 1.4  # visibly secondary
    fixed = set(re.findall(r"#[0-9a-f]{6}", style)) - {secondary}
    assert fixed <= {page_module.theme.ACCENT, page_module.theme.ACCENT_DARK}


@pytest.fixture
def restore_palette() -> Iterator[None]:
    saved = QPalette(QApplication.palette())
    yield
    QApplication.setPalette(saved)


@pytest.mark.usefixtures("restore_palette")
def test_switching_to_a_dark_palette_restyles_the_page(make_page: PageFactory) -> None:
    page = make_page("GB")
    assert page_module.theme.ACCENT_DARK in page.styleSheet()  # light: the darker teal edge
    QApplication.setPalette(palette("#202427", "#e8e8e8", "#191c1e"))
    QApplication.processEvents()
    assert page.styleSheet() == page_module.page_style(page.palette())
    assert page_module.theme.ACCENT_DARK not in page.styleSheet()
    assert page_module.secondary_color(page.palette()).lightness() > 128


def test_guides_sit_in_two_columns_when_wide_and_one_when_narrow(
    make_page: PageFactory, qtbot
) -> None:
    page = make_page("GB")
    grids = page.findChildren(page_module._CardGrid)
    assert grids
    assert {grid.columns for grid in grids} == {2}
    page.resize(560, 700)
    qtbot.waitUntil(lambda: {grid.columns for grid in grids} == {1})


def test_a_lone_card_is_as_wide_as_its_neighbours_in_other_grids(make_page: PageFactory) -> None:
    page = make_page(INTERNATIONAL)
    QApplication.processEvents()
    (lone,) = page.findChildren(page_module._CardGrid)[1]._cards  # the one information card
    assert lone.width() == page.directory_cards[0].width()
