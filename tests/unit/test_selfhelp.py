"""The self-help catalogue: complete, sourced, recent, and free of anything not verified."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from urllib.parse import urlsplit

import pytest

from breather.resources import resource
from breather.support import catalogue as selfhelp
from breather.support.catalogue import (
    GUIDE_SECTIONS,
    INTERNATIONAL,
    REVIEW_WINDOW_DAYS,
    Catalogue,
    CatalogueError,
    Channel,
    Section,
    entries_for,
    load_catalogue,
    loads_catalogue,
    region_for_locale,
)

REQUIRED_REGIONS = {"US", "CA", "GB", "IE", "AU", "NZ", "IN", "DE", "FR", "NL", "ES", INTERNATIONAL}

#: Things the research could not verify, or found retired. None may appear in shipped data.
UNVERIFIED_OR_RETIRED = [
    "988.ca",  # Canada's 988 web address was never seen
    "lifeline.org.au/crisis-chat",  # Lifeline Australia's chat address was never seen
    "crisis-chat",
    "1737.org.nz",
    "press 3",  # 988's LGBTQ+ youth option ended in July 2025
    "1-833-456-4566",  # Talk Suicide Canada, absorbed into 988
    "833-456-4566",
    "wellness",  # "WELLNESS to 741741": Wellness Together Canada closed in April 2024
    "086 1800 280",  # Ireland's old text number
    "1800-599-0019",  # KIRAN, status unknown
    "iasp.info",  # the IASP directory address was never seen
    "telemanas",  # the Tele-MANAS website was never seen
    "838255",  # Veterans text line: secondary sources only
]

#: Phrases safe-messaging guidance asks us never to use.
UNSAFE_WORDING = ["committed suicide", "epidemic"]


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue()


def shipped_strings() -> Iterator[str]:
    """Every string value in the shipped file (comments excluded: they name what was left out)."""
    import tomllib

    def walk(value: object) -> Iterator[str]:
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            for item in value.values():
                yield from walk(item)
        elif isinstance(value, list):
            for item in value:
                yield from walk(item)

    with resource("self-help.toml").open("rb") as handle:
        yield from walk(tomllib.load(handle))


# --- the shipped catalogue ----------------------------------------------------------------------


def test_the_shipped_catalogue_loads_with_every_required_region(catalogue: Catalogue) -> None:
    assert set(catalogue.regions) >= REQUIRED_REGIONS
    assert selfhelp.default_catalogue() == catalogue


def test_every_region_has_an_emergency_number_and_a_crisis_line(catalogue: Catalogue) -> None:
    for code, region in catalogue.regions.items():
        if code == INTERNATIONAL:
            assert region.emergency is None
            assert [d.name for d in region.directories] == [
                "Find A Helpline",
                "Befrienders Worldwide",
            ]
            continue
        assert region.emergency_number, code
        assert region.crisis, code
        for line in region.crisis:
            assert line.contacts, line.name
            assert line.hours, line.name


@pytest.mark.parametrize(
    ("code", "number"),
    [("US", "911"), ("CA", "9-1-1"), ("GB", "999"), ("AU", "000"), ("NZ", "111"), ("IN", "112")]
    + [(code, "112") for code in ("IE", "DE", "FR", "NL", "ES")],
)
def test_emergency_numbers(catalogue: Catalogue, code: str, number: str) -> None:
    assert catalogue.region(code).emergency_number == number


def test_every_entry_has_a_source_and_a_review_date(catalogue: Catalogue) -> None:
    entries = list(catalogue.all_entries())
    assert len(entries) > 30
    for entry in entries:
        for source in entry.sources:
            assert urlsplit(source).scheme in {"http", "https"}, entry.name
            assert urlsplit(source).netloc, entry.name
        assert isinstance(entry.reviewed, date), entry.name
        assert entry.reviewed <= catalogue.reviewed


def test_the_catalogue_was_checked_recently(catalogue: Catalogue) -> None:
    """Numbers change. Re-verify against the operators' own pages (see the file's header)."""
    oldest = min(e.reviewed for e in catalogue.all_entries())
    age = date.today() - oldest
    assert age <= timedelta(days=REVIEW_WINDOW_DAYS), (
        f"self-help.toml was last checked on {oldest}: re-verify every entry before release"
    )


def test_links_are_https_and_untracked(catalogue: Catalogue) -> None:
    links = [e.url for e in catalogue.all_entries() if e.url]
    links += [c.url for e in catalogue.all_entries() for c in e.contacts if c.url]
    assert links
    for link in links:
        parts = urlsplit(link)
        assert parts.scheme == "https", link
        assert "utm_" not in parts.query, link


@pytest.mark.parametrize("needle", UNVERIFIED_OR_RETIRED)
def test_nothing_unverified_or_retired_is_shipped(needle: str) -> None:
    for text in shipped_strings():
        assert needle not in text.casefold(), text


def test_france_lists_no_unverified_medical_number(catalogue: Catalogue) -> None:
    france = catalogue.region("FR")
    numbers = {c.value for e in [france.emergency, *france.crisis] if e for c in e.contacts}
    assert "15" not in numbers


def test_116_123_is_never_offered_as_a_europe_wide_fallback(catalogue: Catalogue) -> None:
    for entry in catalogue.region(INTERNATIONAL).directories:
        assert all(c.value != "116 123" for c in entry.contacts)
        assert "116" not in entry.summary
    for text in shipped_strings():
        assert "eu-wide" not in text.casefold()


@pytest.mark.parametrize("phrase", UNSAFE_WORDING)
def test_wording_follows_safe_messaging_guidance(phrase: str) -> None:
    for text in shipped_strings():
        assert phrase not in text.casefold(), text


def test_services_without_a_verified_address_have_no_link(catalogue: Catalogue) -> None:
    linkless = {
        ("CA", "9-8-8: Suicide Crisis Helpline"),
        ("NZ", "1737, Need to talk?"),
        ("IN", "Tele-MANAS"),
        ("US", "Crisis Text Line"),
        ("GB", "NHS 111, mental health option (England)"),
        ("ES", "024, Línea de atención a la conducta suicida"),
    }
    for code, name in linkless:
        (line,) = [e for e in catalogue.region(code).crisis if e.name == name]
        assert line.url is None
        assert all(c.url is None for c in line.contacts)


def test_information_lines_say_they_are_not_crisis_lines(catalogue: Catalogue) -> None:
    for name in ("Mind Infoline", "NAMI HelpLine"):
        (entry,) = [e for e in catalogue.guides[Section.INFORMATION] if e.name == name]
        assert any("not a crisis line" in note.casefold() for note in entry.notes)


def test_email_contacts_are_marked_not_for_emergencies(catalogue: Catalogue) -> None:
    emails = [c for e in catalogue.all_entries() for c in e.contacts if c.channel is Channel.EMAIL]
    assert emails
    assert all("not for emergencies" in c.note for c in emails)


def test_youth_services_are_labelled() -> None:
    (kids,) = [e for e in entries_for("CA") if e.name == "Kids Help Phone"]
    assert kids.audience == "Young people"


def test_contact_labels_spell_out_what_to_do() -> None:
    labels = [c.label for e in entries_for("GB") for c in e.contacts]
    assert labels[:3] == ["Call 999", "Call 116 123", "Email jo@samaritans.org"]
    assert "Text SHOUT to 85258" in labels
    us = [c.label for e in entries_for("US") for c in e.contacts]
    assert "Text HOME to 741741" in us
    assert "Chat online at 988lifeline.org/chat" in us


def test_call_and_text_on_one_number_read_as_one_line() -> None:
    us = [text for e in entries_for("US") for text, _c in selfhelp.contact_lines(e.contacts)]
    assert "Call or text 988" in us
    assert "Call 988" not in us
    gb = [text for e in entries_for("GB") for text, _c in selfhelp.contact_lines(e.contacts)]
    assert gb[:2] == ["Call 999", "Call 116 123"]


def test_every_guide_section_has_content(catalogue: Catalogue) -> None:
    for section in GUIDE_SECTIONS:
        assert catalogue.guides[section], section
    grounding = catalogue.guides[Section.MINDFULNESS][0]
    assert grounding.name == "5-4-3-2-1 grounding"
    assert len(grounding.steps) == 5
    (eyes,) = [e for e in catalogue.guides[Section.BREAKS] if e.name.startswith("20-20-20")]
    assert "modest" in eyes.evidence


def test_region_specific_guides_only_show_in_their_region(catalogue: Catalogue) -> None:
    gb = [e.name for e in catalogue.guides_for(Section.INFORMATION, "GB")]
    us = [e.name for e in catalogue.guides_for(Section.INFORMATION, "US")]
    elsewhere = [e.name for e in catalogue.guides_for(Section.INFORMATION, INTERNATIONAL)]
    assert "Mind Infoline" in gb
    assert "Mind Infoline" not in us
    assert "NAMI HelpLine" in us
    assert elsewhere == ["Mental Health America screening"]


# --- ordering -----------------------------------------------------------------------------------


def test_entries_come_emergency_first_then_crisis_lines_then_directories() -> None:
    sections = [e.section for e in entries_for("GB")]
    assert sections[0] is Section.EMERGENCY
    assert sections[1:4] == [Section.CRISIS] * 3
    assert sections[4:] == [Section.DIRECTORY, Section.DIRECTORY]
    assert entries_for("GB")[1].name == "Samaritans"
    assert entries_for("US")[1].name == "988 Suicide & Crisis Lifeline"


@pytest.mark.parametrize("code", [INTERNATIONAL, "XX", "AT"])
def test_regions_without_a_verified_line_fall_back_to_the_directories(code: str) -> None:
    entries = entries_for(code)
    assert [e.section for e in entries] == [Section.DIRECTORY, Section.DIRECTORY]
    assert [e.url for e in entries] == ["https://findahelpline.com", "https://befrienders.org"]


def test_region_codes_are_sorted_by_name_with_the_fallback_last(catalogue: Catalogue) -> None:
    codes = catalogue.region_codes()
    assert codes[-1] == INTERNATIONAL
    names = [catalogue.region(c).name for c in codes[:-1]]
    assert names == sorted(names, key=str.casefold)


# --- locales ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("locale_name", "region"),
    [
        ("en_GB", "GB"),
        ("en_US", "US"),
        ("de_DE", "DE"),
        ("fr_CA", "CA"),
        ("en_CA", "CA"),
        ("fr_FR", "FR"),
        ("nl_NL", "NL"),
        ("es_ES", "ES"),
        ("ga_IE", "IE"),
        ("en_AU", "AU"),
        ("mi_NZ", "NZ"),
        ("hi_IN", "IN"),
        ("en-GB", "GB"),
        ("de_DE.UTF-8", "DE"),
        ("ca_ES@valencia", "ES"),
        ("en_UK", "GB"),
        ("de_AT", INTERNATIONAL),
        ("pt_BR", INTERNATIONAL),
        ("en", INTERNATIONAL),
        ("C", INTERNATIONAL),
        ("POSIX", INTERNATIONAL),
        ("", INTERNATIONAL),
        ("zh_Hant_TW", INTERNATIONAL),
        ("en_international", INTERNATIONAL),
    ],
)
def test_region_for_locale(locale_name: str, region: str) -> None:
    assert region_for_locale(locale_name) == region


def test_region_for_locale_only_offers_known_regions() -> None:
    assert region_for_locale("de_AT", regions={"AT", INTERNATIONAL}) == "AT"
    assert region_for_locale("en_GB", regions={INTERNATIONAL}) == INTERNATIONAL


# --- malformed catalogues fail loudly -----------------------------------------------------------

VALID = """
schema = 1
reviewed = 2026-11-25

[regions.GB]
name = "United Kingdom"

[regions.GB.emergency]
number = "999"
source = "https://example.org/999"
reviewed = 2026-11-25

[[regions.GB.crisis]]
name = "Samaritans"
summary = "Listening."
hours = "24 hours, every day"
contacts = [{ channel = "call", value = "116 123" }]
source = "https://example.org/samaritans"
reviewed = 2026-11-25

[regions.international]
name = "Another country"

[[regions.international.directories]]
name = "Find A Helpline"
summary = "A directory."
url = "https://findahelpline.com"
source = "https://example.org/fah"
reviewed = 2026-11-25

[[breaks]]
name = "20-20-20"
summary = "Look away."
regions = ["GB"]
source = "https://example.org/eyes"
reviewed = 2026-11-25
"""


def test_the_minimal_catalogue_is_valid() -> None:
    catalogue = loads_catalogue(VALID)
    assert [e.name for e in catalogue.entries_for("GB")] == [
        "Emergency services",
        "Samaritans",
        "Find A Helpline",
    ]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("schema = 1", "schema = 2", "schema"),
        ("reviewed = 2026-11-25\n\n[regions.GB]", "\n[regions.GB]", "reviewed"),
        ('number = "999"', 'number = "nine"', "not a phone number"),
        ('number = "999"\nsource = "https://example.org/999"\n', 'number = "999"\n', "source"),
        ('source = "https://example.org/samaritans"\n', "", "source"),
        ('source = "https://example.org/samaritans"', 'source = "example.org"', "web address"),
        (
            'source = "https://example.org/samaritans"\nreviewed = 2026-11-25',
            'source = "https://example.org/samaritans"\nreviewed = "soon"',
            "date",
        ),
        ('summary = "Listening."', 'summery = "Listening."', "unknown key"),
        ('channel = "call"', 'channel = "fax"', "not one of"),
        ('{ channel = "call", value = "116 123" }', "", "contacts"),
        ('value = "116 123" }', 'value = "116 123", keyword = "HI" }', "keyword"),
        ("https://findahelpline.com", "http://findahelpline.com", "https"),
        ("https://findahelpline.com", "https://findahelpline.com/?utm_source=app", "tracking"),
        ('url = "https://findahelpline.com"\n', "", "directory needs"),
        ('regions = ["GB"]', 'regions = ["FR"]', "unknown region"),
        ("[regions.GB]", "[regions.gb]", "ISO 3166"),
        (
            'name = "Another country"',
            'name = "Another country"\n'
            'emergency = { number = "112", source = "https://example.org/112", '
            "reviewed = 2026-11-25 }",
            "fallback has",
        ),
        ('summary = "Look away."', 'summary = "Look away."\nhours = 3', "non-empty text"),
        ('summary = "Listening."', 'summary = " Listening."', "stray spaces"),
        (
            'source = "https://example.org/eyes"\nreviewed = 2026-11-25',
            'source = "https://example.org/eyes"\nreviewed = 2027-01-01',
            "after the catalogue",
        ),
        ("[[breaks]]", "[[break]]", "unknown key"),
        ("schema = 1", "schema = 1\nschema = 1", "not valid TOML"),
    ],
)
def test_malformed_catalogues_are_rejected(old: str, new: str, message: str) -> None:
    assert old in VALID
    with pytest.raises(CatalogueError, match=message):
        loads_catalogue(VALID.replace(old, new, 1))


def test_a_region_without_a_crisis_line_is_rejected() -> None:
    start = VALID.index("[[regions.GB.crisis]]")
    end = VALID.index("[regions.international]")
    with pytest.raises(CatalogueError, match="crisis line"):
        loads_catalogue(VALID[:start] + VALID[end:])


def test_a_duplicated_line_is_rejected() -> None:
    start = VALID.index("[[regions.GB.crisis]]")
    end = VALID.index("[regions.international]")
    block = VALID[start:end]
    with pytest.raises(CatalogueError, match="listed twice"):
        loads_catalogue(VALID[:end] + block + VALID[end:])


def test_the_fallback_region_is_required() -> None:
    start = VALID.index("[regions.international]")
    end = VALID.index("[[breaks]]")
    with pytest.raises(CatalogueError, match="fallback is missing"):
        loads_catalogue(VALID[:start] + VALID[end:])


def test_a_chat_contact_needs_an_address() -> None:
    broken = VALID.replace(
        '{ channel = "call", value = "116 123" }', '{ channel = "chat", value = "example.org" }'
    )
    with pytest.raises(CatalogueError, match="chat contact needs"):
        loads_catalogue(broken)
