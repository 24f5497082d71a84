"""Importing a LimeSurvey structure file (.lss): files/integration_test.lss was written for
these tests (LimeSurvey 6 layout, German base language with English texts beside it).
Messages are checked in German, the site's language."""

from __future__ import annotations

from pathlib import Path

import pytest

from surveys.interchange.lss import LssImportError, import_lss
from surveys.models import (
    Condition,
    ConditionOperator,
    Option,
    OptionRole,
    Question,
    QuestionKind,
    Survey,
    SurveyPage,
    SurveyStatus,
)

pytestmark = pytest.mark.django_db

FILES = Path(__file__).resolve().parent / "files"
LSS = (FILES / "integration_test.lss").read_bytes()


def surveys_rows() -> tuple[int, int, int, int]:
    return (
        Survey.objects.count(),
        SurveyPage.objects.count(),
        Question.objects.count(),
        Option.objects.count(),
    )


@pytest.fixture
def imported():
    return import_lss(data=LSS, slug="testimport")


def options(code: str, role: str = OptionRole.CHOICE) -> list[tuple[str, str]]:
    return list(
        Option.objects.filter(question__code=code, role=role)
        .order_by("position")
        .values_list("code", "text")
    )


def test_groups_become_pages_with_their_intro_in_order(imported):
    survey = imported.survey
    assert survey.slug == "testimport" and survey.status == SurveyStatus.DRAFT
    assert survey.title == "Befragung zur Integrationsarbeit (Test)"
    assert survey.intro == "Willkommen zur Befragung."
    assert survey.closing_text == "Vielen Dank!"
    pages = list(survey.pages.order_by("position"))
    assert [page.title for page in pages] == ["Über Ihre Einrichtung", "Bedarfe", "Abschluss"]
    assert pages[0].intro == "Zuerst einige Fragen zu Ihrer Einrichtung."
    assert [q.code for q in pages[0].questions.order_by("position")] == [
        "Q1",
        "Q2",
        "Q3",
        "Q4",
        "Q5",
    ]
    assert (imported.pages, imported.questions) == (3, 14)


def test_each_type_code_is_mapped_and_codes_are_kept(imported):
    kinds = dict(imported.survey.questions.values_list("code", "kind"))
    assert kinds == {
        "Q1": QuestionKind.SINGLE,  # L
        "Q2": QuestionKind.DROPDOWN,  # !
        "Q3": QuestionKind.MULTIPLE,  # M
        "Q4": QuestionKind.MULTIPLE,  # P
        "Q5": QuestionKind.YES_NO,  # Y
        "Q6": QuestionKind.MATRIX,  # F
        "Q7": QuestionKind.SHORT_TEXT,  # S
        "Q8": QuestionKind.LONG_TEXT,  # T
        "Q9": QuestionKind.NUMBER,  # N
        "Q10": QuestionKind.DATE,  # D
        "Q11": QuestionKind.RANKING,  # R
        "Q12": QuestionKind.DISPLAY,  # X
        "Q14": QuestionKind.SHORT_TEXT,
        "Q15": QuestionKind.SINGLE,
    }
    assert options("Q1") == [
        ("A1", "Verein oder Verband"),
        ("A2", "Beratungsstelle"),
        ("A3", "Bildungseinrichtung"),
    ]
    assert options("Q2") == [("G1", "Hannover"), ("G2", "Garbsen")]
    assert options("Q3") == [("SQ001", "Sprachkurse"), ("SQ002", "Beratung")]
    assert options("Q4") == [("SQ001", "Kitas"), ("SQ002", "Schulen")]
    assert options("Q5") == [("Y", "Ja"), ("N", "Nein")]
    assert options("Q6", OptionRole.ROW) == [("R1", "Sprache"), ("R2", "Arbeit")]
    assert options("Q6", OptionRole.SCALE) == [("1", "gering"), ("2", "mittel"), ("3", "hoch")]
    assert [code for code, _text in options("Q11")] == ["A1", "A2", "A3"]


def test_flags_texts_and_settings(imported):
    questions = {q.code: q for q in imported.survey.questions.all()}
    q1 = questions["Q1"]
    assert q1.required and q1.allow_other
    assert q1.text == "Welche Art von Einrichtung vertreten Sie?"  # the <p> is gone
    assert q1.help_text == "Bitte wählen Sie die Art, die am besten passt."
    assert not questions["Q2"].required
    assert questions["Q3"].allow_other and not questions["Q4"].allow_other
    assert questions["Q5"].required
    number = questions["Q9"]
    assert (number.min_value, number.max_value, number.integer_only) == (0, 1000, True)
    assert questions["Q7"].max_length == 100
    assert questions["Q12"].text == "Vielen Dank für Ihre Angaben & Ihre Zeit!"


def test_the_second_language_goes_into_translations(imported):
    survey = imported.survey
    assert imported.languages == ["de", "en"]
    assert survey.language == "de"
    assert survey.translations["en"]["title"] == "Survey on integration work (test)"
    page = survey.pages.get(position=0)
    assert page.translated("title", "en") == "About your organisation"
    assert page.translated("intro", "en") == "First, a few questions about your organisation."
    q1 = survey.questions.get(code="Q1")
    assert q1.translated("text", "en") == "What kind of organisation do you represent?"
    assert q1.translated("help_text", "en") == "Please choose the closest match."
    assert q1.translated("text", "de") == q1.text
    assert Option.objects.get(question=q1, code="A2").translated("text", "en") == (
        "Counselling centre"
    )
    assert Option.objects.get(question__code="Q5", code="Y").translated("text", "en") == "Yes"
    row = Option.objects.get(question__code="Q6", role=OptionRole.ROW, code="R2")
    assert row.translated("text", "en") == "Work"


def test_conditions_that_map_become_any_of(imported):
    survey = imported.survey

    def condition_of(code: str) -> tuple[str, str, set[str]]:
        condition = Condition.objects.get(question__survey=survey, question__code=code)
        return (
            condition.source.code,
            condition.operator,
            set(condition.options.values_list("code", flat=True)),
        )

    # conditions table: Q1 == A2, and the multiple choice's option SQ001 ticked
    assert condition_of("Q7") == ("Q1", ConditionOperator.ANY_OF, {"A2"})
    assert condition_of("Q9") == ("Q3", ConditionOperator.ANY_OF, {"SQ001"})
    # relevance equation with two alternatives of one question
    assert condition_of("Q15") == ("Q2", ConditionOperator.ANY_OF, {"G1", "G2"})
    # group relevance Q5 == "Y" → a page condition
    page_condition = Condition.objects.get(page__survey=survey)
    assert page_condition.page.title == "Bedarfe"
    assert page_condition.source.code == "Q5"
    assert list(page_condition.options.values_list("code", flat=True)) == ["Y"]
    # nothing else: Q8 (and-combination) and Q14 (>=) did not map
    assert Condition.objects.filter(question__survey=survey).count() == 3
    assert imported.conditions == 4


def test_the_report_lists_what_cannot_be_mapped(imported):
    listed = {(item.where, item.reason) for item in imported.not_mapped}
    wheres = [item.where for item in imported.not_mapped]
    assert "Frage Q13" in wheres  # type K (multiple numerical)
    assert "Frage Q4" in wheres  # P: its comments
    assert "Frage Q8" in wheres  # relevance with "and"
    assert "Frage Q14" in wheres  # condition with >=
    assert "Tabelle „quota“" in wheres
    assert "Einstellung „hide_tip“" in wheres
    reasons = dict(listed)
    assert "„K“" in reasons["Frage Q13"]
    assert "Kommentar" in reasons["Frage Q4"]
    assert 'Q1 == "A1" and Q5 == "Y"' in reasons["Frage Q8"]
    assert ">=" in reasons["Frage Q14"]
    assert not Question.objects.filter(code="Q13").exists()


def test_a_dry_run_reports_and_stores_nothing():
    before = surveys_rows()
    report = import_lss(data=LSS, slug="probe", dry_run=True)
    assert report.dry_run and report.questions == 14 and report.conditions == 4
    assert surveys_rows() == before


def test_importing_twice_under_one_slug_is_refused(imported):
    before = surveys_rows()
    with pytest.raises(LssImportError) as error:
        import_lss(data=LSS, slug="testimport")
    assert "gibt es bereits" in str(error.value)
    assert surveys_rows() == before


def test_a_broken_file_imports_nothing():
    before = surveys_rows()
    with pytest.raises(LssImportError) as error:
        import_lss(data=LSS[: len(LSS) // 2], slug="halb")
    assert "XML" in str(error.value)
    assert surveys_rows() == before


def test_a_file_failing_validation_imports_nothing():
    # The same file with a duplicate question code in its last group: everything before it
    # would have been importable, yet nothing is stored.
    broken = LSS.replace(b"<title><![CDATA[Q15]]></title>", b"<title><![CDATA[Q1]]></title>")
    before = surveys_rows()
    with pytest.raises(LssImportError) as error:
        import_lss(data=broken, slug="doppelt")
    assert "Fragecode „Q1“ kommt doppelt vor" in " ".join(error.value.messages)
    assert surveys_rows() == before
    assert not Survey.objects.filter(slug="doppelt").exists()


def test_a_file_without_needed_columns_or_with_orphan_questions_imports_nothing():
    without_ids = LSS.replace(b"<gid><![CDATA[10]]></gid>", b"", 1)  # the first group row
    with pytest.raises(LssImportError) as error:
        import_lss(data=without_ids, slug="ohne-id")
    assert "„gid“" in str(error.value)
    orphans = LSS.replace(
        b"<gid><![CDATA[30]]></gid>\n    <sid>", b"<gid><![CDATA[31]]></gid>\n    <sid>"
    )
    with pytest.raises(LssImportError) as error:
        import_lss(data=orphans, slug="verwaist")
    assert "Q11, Q12, Q13, Q14, Q15" in str(error.value)
    assert not Survey.objects.exists()


def test_an_oversized_file_is_refused(settings):
    settings.SURVEYS_LSS_MAX_BYTES = 10_000
    with pytest.raises(LssImportError) as error:
        import_lss(data=LSS, slug="gross")
    assert "zu groß" in str(error.value)
    assert not Survey.objects.exists()


def test_entity_declarations_are_refused():
    bomb = (
        b'<?xml version="1.0"?>\n<!DOCTYPE document [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>\n'
        b"<document><LimeSurveyDocType>Survey</LimeSurveyDocType>&b;</document>"
    )
    with pytest.raises(LssImportError) as error:
        import_lss(data=bomb, slug="bombe")
    assert "DTD" in str(error.value)
    assert not Survey.objects.exists()


def test_another_kind_of_xml_is_refused_with_a_hint():
    with pytest.raises(LssImportError) as error:
        import_lss(
            data=b"<document><LimeSurveyDocType>Question</LimeSurveyDocType></document>",
            slug="frage",
        )
    assert "Umfragestruktur (.lss)" in str(error.value)


def test_the_older_layout_with_texts_in_the_rows():
    """LimeSurvey 3 writes one row per language into groups, questions and answers."""
    report = import_lss(data=(FILES / "limesurvey3_small.lss").read_bytes(), slug="limesurvey-drei")
    survey = report.survey
    assert survey.language == "de"  # "de-informal"
    assert survey.title == "Nachbarschaft (LimeSurvey 3)"
    assert survey.translations["en"]["title"] == "Neighbourhood (LimeSurvey 3)"
    treffen = survey.questions.get(code="treffen")
    assert treffen.kind == QuestionKind.SINGLE and not treffen.required  # soft mandatory
    assert options("treffen") == [("J", "Jeden Tag"), ("S", "Selten")]
    assert Option.objects.get(question=treffen, code="S").translated("text", "en") == "Rarely"
    warum = survey.questions.get(code="warum")
    assert warum.translated("help_text", "en") == "One sentence is enough."
    condition = Condition.objects.get(question=warum)
    assert (condition.source, list(condition.options.values_list("code", flat=True))) == (
        treffen,
        ["S"],
    )
    # A condition on a later question is not mapped; Turkish is not offered here.
    assert Condition.objects.filter(question=treffen).count() == 0
    wheres = [item.where for item in report.not_mapped]
    assert wheres.count("Frage treffen") == 2  # soft mandatory, condition on a later answer
    assert "Sprache „tr“" in wheres
