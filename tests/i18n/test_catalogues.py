"""The German and English catalogues in locale/ are complete, compiled and loaded.

German is the default language, so every msgid needs a German msgstr; English may leave a
msgstr empty where the msgid already is the English text. The catalogues are parsed with a
small reader below (polib is no dependency), and every German entry is looked up through
Django's own translation machinery, which proves that the committed .mo files are current.
"""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
PO = {lang: LOCALE_DIR / lang / "LC_MESSAGES" / "django.po" for lang in ("de", "en")}
MO = {lang: path.with_suffix(".mo") for lang, path in PO.items()}

NAMED = re.compile(r"%\((\w+)\)[-#0 +]*\d*(?:\.\d+)?[sdfir]")
POSITIONAL = re.compile(r"%(?!\()[-#0 +]*\d*(?:\.\d+)?[sdfir]")
HTML_TAG = re.compile(r"</?(?:a|abbr|b|br|code|em|i|li|ol|p|span|strong|time|ul)\b[^>]*>")


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def translations(self) -> list[str]:
        return [self.msgstr[i] for i in sorted(self.msgstr)]

    def __str__(self) -> str:
        ctx = f"[{self.msgctxt}] " if self.msgctxt else ""
        return f"line {self.line}: {ctx}{self.msgid!r}"


def parse_po(path: Path) -> list[Entry]:
    """The live (non-obsolete) entries of a .po file, header excluded."""
    entries: list[Entry] = []
    current: Entry | None = None
    key: tuple[str, int] | None = None

    def finish() -> None:
        nonlocal current, key
        if current is not None and (current.msgid or current.msgstr):
            entries.append(current)
        current, key = None, None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            finish()
            continue
        if line.startswith("#~"):  # obsolete entries are not compiled
            continue
        if current is not None and current.msgstr and line.startswith(("#", "msgctxt", "msgid ")):
            finish()
        if current is None:
            current = Entry(line=number)
        if line.startswith("#,"):
            current.flags.update(flag.strip() for flag in line[2:].split(","))
            continue
        if line.startswith("#"):
            continue
        if line.startswith('"'):
            value = ast.literal_eval(line)
        else:
            keyword, _, rest = line.partition(" ")
            value = ast.literal_eval(rest.strip())
            match = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
            if match:
                key = ("msgstr", int(match.group(1)))
            elif keyword in ("msgid", "msgid_plural", "msgctxt", "msgstr"):
                key = (keyword, 0)
            else:
                raise AssertionError(f"{path}:{number}: cannot read {raw!r}")
            if key[0] == "msgctxt":
                current.msgctxt = ""
            elif key[0] == "msgid_plural":
                current.msgid_plural = ""
            elif key[0] == "msgstr":
                current.msgstr.setdefault(key[1], "")
        assert key is not None, f"{path}:{number}: text outside an entry"
        name, index = key
        if name == "msgid":
            current.msgid += value
        elif name == "msgid_plural":
            current.msgid_plural = (current.msgid_plural or "") + value
        elif name == "msgctxt":
            current.msgctxt = (current.msgctxt or "") + value
        else:
            current.msgstr[index] += value
    finish()
    return [entry for entry in entries if entry.msgid]


@pytest.fixture(scope="module")
def german() -> list[Entry]:
    return parse_po(PO["de"])


@pytest.fixture(scope="module")
def english() -> list[Entry]:
    return parse_po(PO["en"])


def test_both_catalogues_exist_and_are_compiled():
    for lang in ("de", "en"):
        assert PO[lang].is_file(), f"missing {PO[lang]}; run `make messages`"
        assert MO[lang].is_file(), f"missing {MO[lang]}; run `make messages`"


def test_the_reader_understands_the_catalogue(german):
    assert len(german) > 100
    plurals = [entry for entry in german if entry.msgid_plural]
    assert plurals, "the German catalogue has no plural entries"
    assert all(len(entry.msgstr) == 2 for entry in plurals)
    assert len({(entry.msgctxt, entry.msgid) for entry in german}) == len(german)


def test_german_has_no_untranslated_or_fuzzy_entries(german):
    fuzzy = [str(entry) for entry in german if "fuzzy" in entry.flags]
    untranslated = [
        str(entry) for entry in german if not all(entry.translations) or not entry.msgstr
    ]
    assert not fuzzy, "fuzzy entries are skipped by compilemessages:\n" + "\n".join(fuzzy)
    assert not untranslated, "untranslated German entries:\n" + "\n".join(untranslated)


def test_english_has_no_fuzzy_entries(english):
    fuzzy = [str(entry) for entry in english if "fuzzy" in entry.flags]
    assert not fuzzy, "fuzzy entries are skipped by compilemessages:\n" + "\n".join(fuzzy)


@pytest.mark.parametrize("lang", ["de", "en"])
def test_translations_keep_placeholders_and_markup(lang, german, english):
    problems = []
    for entry in german if lang == "de" else english:
        sources = [entry.msgid, entry.msgid_plural] if entry.msgid_plural else [entry.msgid]
        for index, text in enumerate(entry.translations):
            if not text:
                continue
            source = sources[min(index, len(sources) - 1)]
            names, wanted = set(NAMED.findall(text)), set(NAMED.findall(source))
            if entry.msgid_plural and index == 0:
                # The singular may spell out "one" instead of using the count.
                wanted_ok = names <= set(NAMED.findall(entry.msgid)) | wanted
            else:
                wanted_ok = names == wanted
            if not wanted_ok:
                problems.append(f"{entry}: placeholders {sorted(names)} != {sorted(wanted)}")
            if len(POSITIONAL.findall(text)) != len(POSITIONAL.findall(source)):
                problems.append(f"{entry}: positional placeholders differ")
            if sorted(HTML_TAG.findall(text)) != sorted(HTML_TAG.findall(source)):
                problems.append(f"{entry}: HTML differs: {HTML_TAG.findall(text)}")
    assert not problems, "\n".join(problems)


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext's msgfmt is not installed")
@pytest.mark.parametrize("lang", ["de", "en"])
def test_msgfmt_accepts_the_catalogue(lang, tmp_path):
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", str(tmp_path / "django.mo"), str(PO[lang])],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    if lang == "de":
        assert "untranslated" not in result.stderr, result.stderr
        assert "fuzzy" not in result.stderr, result.stderr


def lookup(entry: Entry, count: int | None = None) -> str:
    if entry.msgid_plural:
        if entry.msgctxt is not None:
            return translation.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, count)
        return translation.ngettext(entry.msgid, entry.msgid_plural, count)
    if entry.msgctxt is not None:
        return translation.pgettext(entry.msgctxt, entry.msgid)
    return translation.gettext(entry.msgid)


def test_every_german_entry_is_served_by_django(german):
    """Django answers each msgid with our msgstr: the .mo is loaded and matches the .po."""
    stale = []
    with translation.override("de"):
        for entry in german:
            got = [lookup(entry, 1), lookup(entry, 2)] if entry.msgid_plural else [lookup(entry)]
            if got != entry.translations:
                stale.append(f"{entry}: Django says {got!r}, the .po says {entry.translations!r}")
    assert not stale, "the compiled catalogue is out of date; run `make messages`:\n" + "\n".join(
        stale
    )


def test_the_interface_speaks_german_by_default_and_english_on_request(german, english):
    assert settings.LANGUAGE_CODE == "de"
    sample = {entry.msgid: entry.translations[0] for entry in german if not entry.msgid_plural}
    for msgid in ("Sign in", "Save", "Search"):
        if msgid not in sample:
            continue
        with translation.override("de"):
            assert translation.gettext(msgid) == sample[msgid]
            assert translation.gettext(msgid) != msgid
        with translation.override("en"):
            assert translation.gettext(msgid) == msgid

    translated_english = [
        entry for entry in english if not entry.msgid_plural and entry.translations[0]
    ]
    with translation.override("en"):
        for entry in translated_english:
            assert lookup(entry) == entry.translations[0], str(entry)


def test_plural_forms_follow_the_number(german):
    plurals = [entry for entry in german if entry.msgid_plural and entry.msgctxt is None]
    assert plurals
    entry = plurals[0]
    with translation.override("de"):
        assert translation.ngettext(entry.msgid, entry.msgid_plural, 1) == entry.msgstr[0]
        assert translation.ngettext(entry.msgid, entry.msgid_plural, 5) == entry.msgstr[1]
