"""A proposal that adds an item before resolves 1 of Res. 75: "resolves 1 and 2 above" in resolves 3 reads
"resolves 2 and 3 above", marked, in the editor, the Word export and the consolidation; suppressing an
item a reference names flags it for the drafter."""

from __future__ import annotations

import pytest

from drafting.models import Contribution
from drafting.models.people import DELEGATES, SECRETARIAT
from drafting.services.amendments import add_clause, draft_of, suppress_clause
from drafting.services.consolidation import compile_consolidation, consolidated_draft, open_consolidation
from drafting.services.exports import request_export
from tests.drafting_factories import base_edition, clause_keys, group, mod_proposal, person
from tests.test_word_exports import NS, body, deleted, inserted

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposal():
    edition = base_edition()
    atu = group("ATU", "ATU")
    delegate = person("atu-delegate", DELEGATES, atu)
    proposal = mod_proposal(edition, atu)
    keys = clause_keys(edition)
    add_clause(delegate, proposal, keys["resolves-1"], "before", text="to take stock of the WSIS+20 review;")
    return proposal, keys, delegate


def test_the_draft_and_the_editor_show_the_reference_renumbered_with_marks(proposal, client):
    proposal, keys, delegate = proposal
    draft = draft_of(proposal)
    citing = draft.find(keys["resolves-3"])
    assert citing.label == "4"
    assert "under resolves 2 and 3 above" in " ".join(citing.text.split())
    client.force_login(delegate)
    html = client.get(f"/proposals/{proposal.pk}/").content.decode()
    section = html[html.index(f'id="c-{keys["resolves-3"]}"') :][:3000]
    assert "<del" in section and "<ins" in section and "renumbered" not in section


def test_the_word_export_tracks_the_renumbered_reference(proposal, django_capture_on_commit_callbacks):
    proposal, keys, delegate = proposal
    with django_capture_on_commit_callbacks(execute=True):
        export = request_export(delegate, "contribution", proposal.contribution)
    export.refresh_from_db()
    root = body(bytes(export.data))
    paragraph = next(
        p
        for p in root.iter(f"{{{NS['w']}}}p")
        if "under resolves" in "".join(p.itertext()) and "above" in "".join(p.itertext())
    )
    # The label ~~3~~ 4, then the references ~~1~~ 2 and ~~2~~ 3, each a tracked change.
    assert (deleted(paragraph), inserted(paragraph)) == ("312", "423")


def test_the_consolidation_shows_the_groups_text_with_the_new_labels(proposal):
    proposal, keys, delegate = proposal
    contribution = proposal.contribution
    Contribution.objects.filter(pk=contribution.pk).update(status=Contribution.SUBMITTED)
    secretariat = person("sec", SECRETARIAT)
    consolidation = open_consolidation(secretariat, contribution.conference, proposal.resolution)
    compilation = compile_consolidation(consolidation)
    row = compilation.row(keys["resolves-3"])
    assert "under resolves 2 and 3 above" in " ".join(row.versions["ATU"].clause.text.split())
    merged = consolidated_draft(compilation).find(keys["resolves-3"]).text
    assert "under resolves 2 and 3 above" in " ".join(merged.split())


def test_suppressing_a_named_item_flags_the_reference_in_the_editor(proposal, client):
    proposal, keys, delegate = proposal
    suppress_clause(delegate, proposal, keys["resolves-2"])
    client.force_login(delegate)
    html = client.get(f"/proposals/{proposal.pk}/").content.decode()
    assert "This text cites “resolves 2 above”, which this proposal suppresses: check the reference." in html


def test_a_reference_the_drafter_writes_to_an_item_the_text_lacks_is_flagged_in_the_editor(proposal, client):
    from drafting.services.amendments import clause_version, modify_clause

    proposal, keys, delegate = proposal
    key = keys["resolves-2"]
    modify_clause(
        delegate,
        proposal,
        key,
        "to report on resolves 9 above;",
        expected_version=clause_version(proposal, key),
    )
    client.force_login(delegate)
    html = client.get(f"/proposals/{proposal.pk}/").content.decode()
    assert "This text cites “resolves 9 above”, which this text does not have: check the reference." in html
