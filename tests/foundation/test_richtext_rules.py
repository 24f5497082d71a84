"""What editing an older text and typing links look like: `markdown_of` turns the HTML a
proposal was stored in before residents wrote Markdown back into the Markdown the edit form
shows (no tags, no stray backslashes), and that Markdown renders to the same rich text again.
"""

from __future__ import annotations

import pytest

from foundation.richtext import markdown_of, render_markdown, sanitize_html


def test_an_empty_text_gives_an_empty_field():
    assert markdown_of("") == ""
    assert markdown_of(None) == ""


def test_lists_come_back_with_the_dash_the_formatting_help_shows():
    assert markdown_of("<ul><li>Sprachkurse</li><li>Kita-Plätze</li></ul>") == (
        "- Sprachkurse\n- Kita-Plätze"
    )


def test_bold_and_italic_come_back_with_asterisks():
    assert markdown_of("<p><strong>wichtig</strong> und <em>betont</em></p>") == (
        "**wichtig** und *betont*"
    )


def test_a_line_break_comes_back_as_one_plain_line_break():
    # No trailing spaces: the field shows what the resident typed, and it renders the same.
    source = markdown_of("<p>Zeile eins<br>Zeile zwei</p>")
    assert source == "Zeile eins\nZeile zwei"
    assert render_markdown(source) == "<p>Zeile eins<br>Zeile zwei</p>"


@pytest.mark.parametrize(
    "text",
    [
        "Kosten: 5 + 3 = 8 (ohne #Gebühren) > nichts",
        "1. Mai – Treffen um 10 Uhr ~ ungefähr",
    ],
)
def test_ordinary_punctuation_gets_no_backslashes(text):
    assert markdown_of(f"<p>{text}</p>") == text


@pytest.mark.parametrize(
    "html",
    [
        "<p>Erster Absatz</p><p>Zweiter mit <strong>fett</strong></p>",
        "<ul><li>Punkt eins</li><li>Punkt zwei</li></ul>",
        '<p>Mehr unter <a href="https://example.org/kurse" rel="nofollow">Kurse</a></p>',
    ],
)
def test_older_html_survives_a_round_trip_through_the_edit_form(html):
    assert render_markdown(markdown_of(html)) == sanitize_html(html)


def test_a_link_with_a_colon_in_its_path_stays_a_link():
    html = render_markdown("[Karte](https://example.org/karte:hannover)")
    assert html == ('<p><a href="https://example.org/karte:hannover" rel="nofollow">Karte</a></p>')


def test_a_link_whose_scheme_is_relative_but_whose_path_has_a_colon_loses_its_address():
    # "seite/https:x" has no scheme of its own: a relative address, so no href.
    assert "href" not in render_markdown("[Seite](seite/https:x)")


def test_windows_line_ends_in_editor_html_become_plain_breaks():
    assert sanitize_html("Zeile eins\r\nZeile zwei\r\n\r\nAbsatz zwei") == (
        "<p>Zeile eins<br>Zeile zwei</p><p>Absatz zwei</p>"
    )


# --- The allow-list, beyond script: what an editor's HTML and a resident's Markdown lose -------


def test_plain_text_with_a_lone_angle_bracket_keeps_all_its_words():
    # No tag in it: every character is text, so "a<b" is not the start of a tag.
    assert sanitize_html("Kosten a<b für alle") == "<p>Kosten a&lt;b für alle</p>"


def test_attributes_beyond_a_links_address_language_and_title_go():
    # lang (WCAG 3.1.2, the language of a part) and title stay on every tag; nothing else.
    html = sanitize_html(
        '<p lang="tr" class="x" id="y" dir="rtl">Merhaba</p>'
        '<p><a href="https://example.org/" hreflang="en" target="_blank" download>Mehr</a></p>'
        '<ol start="3" type="a"><li value="7">Schritt</li></ol>'
    )
    assert html == (
        '<p lang="tr">Merhaba</p><p><a href="https://example.org/" rel="nofollow">Mehr</a></p>'
        '<ol start="3"><li>Schritt</li></ol>'
    )


def test_a_numbered_list_keeps_the_number_it_starts_with():
    assert render_markdown("3. Schritt\n4. Schritt") == (
        '<ol start="3"><li>Schritt</li><li>Schritt</li></ol>'
    )


@pytest.mark.parametrize("url", ["tel:+49511123", "ftp://example.org/datei", "sms:123"])
def test_links_of_other_schemes_lose_their_address(url):
    assert sanitize_html(f'<p><a href="{url}">Anrufen</a></p>') == (
        '<p><a rel="nofollow">Anrufen</a></p>'
    )
    assert "href" not in render_markdown(f"[Anrufen]({url})")


def test_html_comments_in_an_editors_text_go():
    assert sanitize_html("<p>Sichtbar<!-- intern: noch prüfen --></p>") == "<p>Sichtbar</p>"


@pytest.mark.parametrize(
    ("typed", "link"),
    [
        (
            "Mehr unter https://www.hannover.de/integration.",
            '<a href="https://www.hannover.de/integration" rel="nofollow">'
            "https://www.hannover.de/integration</a>.",
        ),
        ("Siehe www.vhs-hannover.de", '<a href="http://www.vhs-hannover.de" rel="nofollow">'),
        ("Fragen an info@hannover.de", '<a href="mailto:info@hannover.de" rel="nofollow">'),
    ],
)
def test_an_address_typed_on_its_own_becomes_a_link_and_survives_editing(typed, link):
    html = render_markdown(typed)

    assert link in html
    assert render_markdown(markdown_of(html)) == html
    assert render_markdown(typed, quotes=True) == html


@pytest.mark.parametrize(
    "typed",
    [
        "javascript:alert(1)",
        "ftp://files.example.org/plan.pdf",
        "Version 1.2.3 und Datei.txt",
        "//files.example.org/plan.pdf",
    ],
)
def test_what_is_no_web_or_mail_address_stays_text(typed):
    assert "<a" not in render_markdown(typed)


def test_an_attribute_typed_after_an_address_stays_text():
    assert render_markdown("<https://x.de onclick=alert(1)>") == (
        '<p>&lt;<a href="https://x.de" rel="nofollow">https://x.de</a> onclick=alert(1)&gt;</p>'
    )
