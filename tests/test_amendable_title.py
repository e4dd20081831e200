"""The title of a resolution is a clause of the draft like any other: amended with marks, exported as Word
tracked changes, consolidated and settled, adopted into the new edition, carried through a rebase.

Issue 24, defect 5: the title could not be amended, and the Word export always wrote the base title,
although real MOD proposals retitle (Resolution 75 was retitled at Hammamet in 2016).
"""

from __future__ import annotations

import pytest
from django.test import Client

from drafting.models import Decision, Edition
from drafting.models.library import front_key
from drafting.models.people import COORDINATORS, DELEGATES, SECRETARIAT
from drafting.services import DomainError
from drafting.services.amendments import (
    add_clause,
    apply_replace,
    clause_history,
    clause_version,
    draft_of,
    modify_clause,
    suppress_clause,
)
from drafting.services.consolidation import (
    adopt,
    compile_consolidation,
    fates,
    open_consolidation,
)
from drafting.services.contributions import StaleEdit, submit_contribution
from drafting.services.library import import_text
from drafting.services.rebase import rebase_proposal
from tests import word_revisions as wr
from tests.conftest import SEEDS
from tests.drafting_factories import base_edition, group, mod_proposal, person

pytestmark = pytest.mark.django_db
NEW_TITLE = (
    "The ITU Telecommunication Standardization Sector's contribution in implementing the outcomes of the World "
    "Summit on the Information Society, taking into account the 2030 Agenda and the WSIS+20 review"
)


@pytest.fixture
def world():
    edition = base_edition()
    rcc = group("RCC")
    proposal = mod_proposal(edition, rcc)
    return {
        "edition": edition,
        "proposal": proposal,
        "title": front_key(edition.resolution_id, "title"),
        "delegate": person("rcc-delegate", DELEGATES, rcc),
        "coordinator": person("rcc-coordinator", COORDINATORS, rcc),
        "officer": person("officer", SECRETARIAT),
    }


def test_the_title_is_amended_with_marks_history_and_versions(world):
    proposal, title, delegate = world["proposal"], world["title"], world["delegate"]
    draft = draft_of(proposal)
    assert draft.find(title).text == world["edition"].title
    modify_clause(delegate, proposal, title, NEW_TITLE, 0)
    clause = draft_of(proposal).find(title)
    assert clause.changed and clause.text == NEW_TITLE
    assert ("insert", "and the WSIS+20 review") in [(op, t.strip()) for op, t in clause.text_marks()]
    assert draft_of(proposal).proposed_text().title == NEW_TITLE
    assert [v["what"] for v in clause_history(proposal, title)] == ["base text", "edited"]
    # A change since the box opened is a conflict, as for any clause.
    with pytest.raises(StaleEdit):
        modify_clause(world["coordinator"], proposal, title, "Another title", 0)
    assert clause_version(proposal, title) == 1
    # What a title cannot be: suppressed, added beside, labelled.
    for refused in (
        lambda: suppress_clause(delegate, proposal, title),
        lambda: add_clause(delegate, proposal, title, "after", text="an item;"),
        lambda: modify_clause(delegate, proposal, title, None, 1, label="a)"),
    ):
        with pytest.raises(DomainError) as problem:
            refused()
        assert problem.value.status == 400 and problem.value.message
    # Find and replace reaches the title too.
    assert apply_replace(delegate, proposal, "WSIS+20 review", "WSIS+20 Review") == 1
    assert draft_of(proposal).find(title).text.endswith("WSIS+20 Review")


def test_the_editor_and_the_api_show_and_edit_the_title(world):
    proposal, title = world["proposal"], world["title"]
    client = Client()
    client.force_login(world["delegate"])
    page = client.get(f"/proposals/{proposal.pk}/").content.decode()
    assert f'id="c-{title}"' in page and 'class="clause kind-front' in page
    box = client.get(
        f"/proposals/{proposal.pk}/clauses/{title}/edit/", HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "Title of the resolution" in box
    read = client.get(f"/api/proposals/{proposal.pk}").json()
    first = read["clauses"][0]
    assert (first["key"], first["kind"], first["text"]) == (title, "front", world["edition"].title)
    saved = client.put(
        f"/api/proposals/{proposal.pk}/clauses/{title}",
        {"text": NEW_TITLE, "version": first["version"]},
        content_type="application/json",
    )
    assert saved.status_code == 200
    assert saved.json()["clauses"][0] == {**first, "status": "modified", "text": NEW_TITLE, "version": 1}
    changes = client.get(f"/proposals/{proposal.pk}/").content.decode()
    assert f'<a href="#c-{title}">title</a> modified' in changes


def test_the_word_export_tracks_the_new_title_accept_all_and_reject_all(world):
    proposal, title = world["proposal"], world["title"]
    modify_clause(world["delegate"], proposal, title, NEW_TITLE, 0)
    for tracked in (True, False):
        check = wr.contribution_check("retitled", proposal.contribution, tracked=tracked)
        accepted, rejected = check.lines(wr.ACCEPT), check.lines(wr.REJECT)
        assert accepted == check.wanted[wr.ACCEPT] and rejected == check.wanted[wr.REJECT]
        assert accepted[1] == NEW_TITLE and rejected[1] == world["edition"].title


def test_the_new_title_is_consolidated_settled_and_adopted(world):
    proposal, title, officer = world["proposal"], world["title"], world["officer"]
    modify_clause(world["delegate"], proposal, title, NEW_TITLE, 0)
    submit_contribution(world["coordinator"], proposal.contribution)
    consolidation = open_consolidation(officer, proposal.contribution.conference, proposal.resolution)
    compilation = compile_consolidation(consolidation)
    row = compilation.row(title)
    assert (
        row is not None and row.kind == "front" and row.status == "one group" and row.merge.text == NEW_TITLE
    )
    officer_page = Client()
    officer_page.force_login(officer)
    synoptic = officer_page.get(f"/consolidations/{consolidation.pk}/").content.decode()
    row_html = synoptic[synoptic.index(f'id="k-{title}"') :][:3000]
    assert '<span class="label">Title</span>' in row_html and "and the WSIS+20 review" in row_html
    # Settled from the synoptic view's own form for the row, as the officer does it.
    form = officer_page.get(f"/consolidations/{consolidation.pk}/settle/?key={title}").content.decode()
    assert 'value="group:RCC"' in form and f'name="key" value="{title}"' in form
    settled = officer_page.post(
        f"/consolidations/{consolidation.pk}/settle/",
        {"key": title, "choice": "group:RCC", "version": 0, "base": consolidation.base_edition_id},
    )
    assert settled.status_code == 302
    assert Decision.objects.get(consolidation=consolidation, key=title).choice == Decision.GROUP
    assert [f.fate for f in fates(compile_consolidation(consolidation))["RCC"]] == ["taken"]
    check = wr.consolidated_check("retitled draft", consolidation, tracked=True)
    assert check.lines(wr.ACCEPT)[1] == NEW_TITLE and check.lines(wr.REJECT)[1] == world["edition"].title
    edition = adopt(officer, consolidation, leave_open_as_base=True)
    assert edition.title == NEW_TITLE and edition.resolution.title == NEW_TITLE
    assert Edition.objects.get(pk=edition.pk).title == NEW_TITLE


def test_the_title_change_is_carried_onto_a_newer_edition(world):
    from tests.drafting_model import newer_edition_text

    proposal, title = world["proposal"], world["title"]
    seed = (SEEDS / "wtsa-res75-rev-hammamet-2016.txt").read_text(encoding="utf-8")
    retitled = newer_edition_text(seed).replace(
        "World Summit on the Information Society, taking", "WSIS, taking"
    )
    newer = import_text(retitled, body_code="WTSA", number="75").edition
    assert newer.title != world["edition"].title
    modify_clause(world["delegate"], proposal, title, NEW_TITLE, 0)
    result = rebase_proposal(world["delegate"], proposal, newer)
    (change,) = [c for c in result.changes if c.key == title]
    # Different words of the title changed on each side: both stand.
    assert change.state == "rebased"
    proposal.refresh_from_db()
    text = draft_of(proposal).find(title).text
    assert "WSIS, taking into account the 2030 Agenda and the WSIS+20 review" in text
    assert clause_version(proposal, title) == 2  # the rebase moved the title's version


def test_a_retitled_word_document_imports_as_a_new_title(world):
    """The Word export read back as a proposal carries the new title; a line added
    beside the base title is still a line not matched, no title of its own."""
    from drafting.engine.docx_write import contribution_docx
    from drafting.services.amendments import apply_derived
    from drafting.services.exports import contribution_document
    from drafting.services.word import _retitled, preview_docx_proposal

    proposal, title = world["proposal"], world["title"]
    modify_clause(world["delegate"], proposal, title, NEW_TITLE, 0)
    for tracked in (True, False):
        data = contribution_docx(contribution_document(proposal.contribution), tracked=tracked)
        preview = preview_docx_proposal("retitled.docx", data, proposal.base_edition)
        assert preview.unplaced == []
        assert [(a.action, a.target, a.text) for a in preview.amendments] == [("modify", title, NEW_TITLE)]
        assert preview.draft.front_text("title") == NEW_TITLE
    # Saved through the services as an import is: the base title back first, then the document's.
    modify_clause(world["delegate"], proposal, title, world["edition"].title, clause_version(proposal, title))
    assert draft_of(proposal).proposed_text().title == world["edition"].title
    apply_derived(world["coordinator"], proposal, preview.amendments)
    assert draft_of(proposal).proposed_text().title == NEW_TITLE
    base = draft_of(proposal).base
    stray = "Editorial note: to be aligned"
    assert _retitled(base, f"{base.title} {stray}", [stray]) == ([], [stray])
