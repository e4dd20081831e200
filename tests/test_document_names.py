"""A contribution's name ("Addendum 18 to Document 35") is one sentence in each language, as the ITU's
own documents write it: Russian puts the addendum first and the document in the dative ("Дополнительный
документ 18 к Документу 35"), Chinese puts the document first ("第35号文件的第18号补遗"). Built from
translated pieces ("Document 35" put into "Addendum 18 to …"), the order and the case were English's.

The Word exports are made in the document's own language (English, "-E"), whoever asks for them."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import User
from django.utils import translation
from docx import Document

from drafting.models import Contribution
from drafting.models.drafting import document_name
from drafting.services.exports import render_now

# (document, addendum, revision) -> the name in each language, as the ITU's documents in it say it.
NAMES = {
    ("35", None, 0): {
        "en": "Document 35",
        "fr": "Document 35",
        "es": "Documento 35",
        "ru": "Документ 35",
        "ar": "الوثيقة 35",
        "zh-hans": "第35号文件",
    },
    ("35", 18, 0): {
        "en": "Addendum 18 to Document 35",
        "fr": "Addendum 18 au Document 35",
        "es": "Addéndum 18 al Documento 35",
        "ru": "Дополнительный документ 18 к Документу 35",
        "ar": "الإضافة 18 للوثيقة 35",
        "zh-hans": "第35号文件的第18号补遗",
    },
    ("35", None, 1): {
        "en": "Revision 1 to Document 35",
        "fr": "Révision 1 du Document 35",
        "es": "Revisión 1 al Documento 35",
        "ru": "Пересмотр 1 Документа 35",
        "ar": "المراجعة 1 للوثيقة 35",
        "zh-hans": "第35号文件的第1号修订版",
    },
    ("35", 18, 2): {
        "en": "Revision 2 to Addendum 18 to Document 35",
        "fr": "Révision 2 de l’Addendum 18 au Document 35",
        "es": "Revisión 2 al Addéndum 18 al Documento 35",
        "ru": "Пересмотр 2 Дополнительного документа 18 к Документу 35",
        "ar": "المراجعة 2 للإضافة 18 للوثيقة 35",
        "zh-hans": "第35号文件第18号补遗的第2号修订版",
    },
}


@pytest.mark.parametrize("shape", list(NAMES), ids=["document", "addendum", "revision", "revised-addendum"])
def test_a_contribution_is_named_in_one_sentence_of_the_reader_s_language(shape):
    number, addendum, revision = shape
    contribution = Contribution(document_number=number, addendum=addendum, revision=revision)
    for language, expected in NAMES[shape].items():
        with translation.override(language):
            assert document_name(number, addendum, revision) == expected, language
            assert contribution.document_label == expected, language


def test_the_number_s_language_mark_stays_with_the_number():
    """The Word export's "35-E" is the document's number as printed: Chinese puts it inside the name."""
    with translation.override("zh-hans"):
        assert document_name("35-E", 18) == "第35-E号文件的第18号补遗"
    with translation.override("ru"):
        assert document_name("35-E", 18) == "Дополнительный документ 18 к Документу 35-E"


@pytest.mark.django_db
def test_an_existing_document_is_refused_by_its_name_in_the_reader_s_language(demo_db):
    from drafting.services.contributions import DraftingProblem, create_contribution

    atu = Contribution.objects.get(group__code="ATU", conference__code="WTSA-24")
    with translation.override("ru"), pytest.raises(DraftingProblem) as refused:
        create_contribution(
            User.objects.get(username="atu-delegate"),
            conference=atu.conference,
            group=atu.group,
            document_number=atu.document_number,
            addendum=atu.addendum,
            title="Again",
        )
    assert "Дополнительный документ 18 к Документу 35" in refused.value.message
    assert "Addendum" not in refused.value.message


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ru", "zh-hans", "ar"])
def test_the_word_export_names_the_contribution_in_its_own_language(demo_db, language):
    atu = Contribution.objects.get(group__code="ATU", conference__code="WTSA-24")
    with translation.override(language):
        _, data = render_now(User.objects.get(username="atu-delegate"), "contribution", atu)
    header = "\n".join(cell.text for table in Document(io.BytesIO(data)).tables for cell in table._cells)
    assert "Addendum 18 to Document 35-E" in header
