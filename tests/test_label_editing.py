"""Setting and correcting labels by hand, and inserting as bis: the service, the editor page and the API.

A label set by hand is an amendment with its mark (~~b)~~ c)), in the history
and the exports; a label ITU does not write is refused with a reason and a 4xx,
and nothing is saved.
"""

from __future__ import annotations

import base64
import json

import pytest
from django.test import Client

from drafting.engine.amend import BIS
from drafting.models import Amendment, Clause
from drafting.models.people import DELEGATES
from drafting.services.amendments import add_clause, clause_history, draft_of, modify_clause, suppress_clause
from drafting.services.contributions import DraftingProblem
from tests.drafting_factories import base_edition, group, mod_proposal, person

pytestmark = pytest.mark.django_db
HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def world():
    edition = base_edition()
    atu = group("ATU")
    proposal = mod_proposal(edition, atu)
    delegate = person("amina", DELEGATES, atu)
    return edition, proposal, delegate


def key(edition, anchor):
    return str(Clause.objects.get(edition=edition, anchor=anchor).provision.key)


def labels_of_part(proposal, heading):
    draft = draft_of(proposal)
    part = next(p for p in draft.clauses if p.base is not None and p.base.heading == heading)
    return [(c.label, c.suppressed) for c in part.children]


# The service ----------------------------------------------------------------------------------------


def test_a_label_set_by_hand_is_an_amendment_with_its_mark_and_in_the_history(world):
    edition, proposal, delegate = world
    b = key(edition, "considering-b")
    amendment = modify_clause(delegate, proposal, b, None, expected_version=0, label="bbis)")
    assert amendment.action == "modify" and amendment.label == "bbis)"
    # The text is untouched: the amendment carries the base text.
    clause = draft_of(proposal).find(b)
    assert clause.text == Clause.objects.get(edition=edition, anchor="considering-b").text
    assert clause.label_marks() == [("delete", "b)"), ("insert", "bbis)")]
    history = clause_history(proposal, b)
    assert [v["what"] for v in history] == ["base text", "label set to bbis)"]
    assert history[-1]["label"] == "bbis)"


def test_a_text_and_a_label_are_saved_together_and_the_label_kept_when_the_text_changes_again(world):
    edition, proposal, delegate = world
    b = key(edition, "considering-b")
    first = modify_clause(delegate, proposal, b, "a new text;", expected_version=0, label="c)")
    second = modify_clause(delegate, proposal, b, "a newer text;", expected_version=first.version)
    assert (second.text, second.label) == ("a newer text;", "c)")
    assert draft_of(proposal).find(b).label == "c)"


def test_back_to_the_tools_numbering_and_the_base_text_removes_the_amendment(world):
    edition, proposal, delegate = world
    b = key(edition, "considering-b")
    base_text = Clause.objects.get(edition=edition, anchor="considering-b").text
    first = modify_clause(delegate, proposal, b, None, expected_version=0, label="c)")
    assert modify_clause(delegate, proposal, b, base_text, expected_version=first.version, label="") is None
    assert not proposal.amendments.exists()


def test_removing_a_label_makes_an_unlabelled_paragraph(world):
    edition, proposal, delegate = world
    a = key(edition, "considering-a")
    modify_clause(delegate, proposal, a, None, expected_version=0, label="¶")
    assert labels_of_part(proposal, "considering")[:2] == [("", False), ("a)", False)]


@pytest.mark.parametrize("label", ["b", "zzy)", "hello there", "1)a", "a" * 30 + ")"])
def test_a_label_itu_does_not_write_is_refused_and_nothing_saved(world, label):
    edition, proposal, delegate = world
    with pytest.raises(DraftingProblem, match="is not a label ITU writes"):
        modify_clause(
            delegate, proposal, key(edition, "considering-b"), None, expected_version=0, label=label
        )
    assert not Amendment.objects.exists()


def test_a_label_another_item_shows_is_refused_and_nothing_saved(world):
    edition, proposal, delegate = world
    # The items after a label set by hand count on from it (c) then d)); one before it that shows the
    # same label is a clash.
    with pytest.raises(DraftingProblem, match="already labelled a\\)"):
        modify_clause(
            delegate, proposal, key(edition, "considering-b"), "new words;", expected_version=0, label="a)"
        )
    assert not Amendment.objects.exists()


def test_a_part_has_no_label(world):
    edition, proposal, delegate = world
    with pytest.raises(DraftingProblem, match="A part has no label"):
        modify_clause(delegate, proposal, key(edition, "considering"), None, expected_version=0, label="a)")
    assert not Amendment.objects.exists()


def test_an_item_added_to_a_parts_one_paragraph_labels_both(world):
    edition, proposal, delegate = world
    paragraph = key(edition, "noting-further-p1")
    add_clause(delegate, proposal, paragraph, "after", text="a second thing")
    assert labels_of_part(proposal, "noting further") == [("a)", False), ("b)", False)]
    assert draft_of(proposal).find(paragraph).label_marks() == [("insert", "a)")]


def test_suppressing_all_but_one_item_through_the_service_drops_its_label(world):
    edition, proposal, delegate = world
    for anchor in ("recognizing-a",):
        suppress_clause(delegate, proposal, key(edition, anchor))
    assert labels_of_part(proposal, "recognizing") == [("a)", True), ("", False)]


def test_inserting_as_bis_renumbers_nothing(world):
    edition, proposal, delegate = world
    d = key(edition, "considering-d")
    amendment = add_clause(delegate, proposal, d, "after", text="a new consideration;", numbering=BIS)
    assert amendment.numbering == BIS
    labels = [label for label, _ in labels_of_part(proposal, "considering")]
    assert labels == ["a)", "b)", "c)", "d)", "dbis)", "e)", "f)", "g)", "h)"]


def test_inserting_as_bis_with_no_item_before_is_refused_and_nothing_saved(world):
    edition, proposal, delegate = world
    with pytest.raises(DraftingProblem, match="cannot be inserted as bis here"):
        add_clause(delegate, proposal, key(edition, "considering-a"), "before", text="first;", numbering=BIS)
    with pytest.raises(DraftingProblem, match="cannot be inserted as bis here"):
        add_clause(delegate, proposal, key(edition, "noting-further-p1"), "after", text="more", numbering=BIS)
    assert not Amendment.objects.exists()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"label": "q!"}, "is not a label ITU writes"),
        ({"label": "e)", "numbering": BIS}, "leave the label empty"),
        ({"numbering": "later"}, "Choose how the new item is numbered"),
        ({"kind": "part", "heading": "noting also", "label": "a)"}, "A part has no label"),
    ],
)
def test_an_addition_with_a_label_or_numbering_that_cannot_be_is_refused(world, kwargs, message):
    edition, proposal, delegate = world
    kwargs = {"text": "new text;", **kwargs}
    with pytest.raises(DraftingProblem, match=message):
        add_clause(delegate, proposal, key(edition, "considering-d"), "after", **kwargs)
    assert not Amendment.objects.exists()


def test_a_label_given_on_an_addition_is_honoured(world):
    edition, proposal, delegate = world
    added = add_clause(delegate, proposal, key(edition, "considering-h"), "after", text="new;", label="hbis)")
    assert draft_of(proposal).find(str(added.added.key)).label == "hbis)"


def test_the_label_of_an_added_item_can_be_corrected(world):
    edition, proposal, delegate = world
    added = add_clause(delegate, proposal, key(edition, "considering-d"), "after", text="new;", numbering=BIS)
    new_key = str(added.added.key)
    modify_clause(delegate, proposal, new_key, None, expected_version=added.version, label="d)bis")
    stored = Amendment.objects.get(pk=added.pk)
    assert (stored.label, stored.numbering) == ("d)bis", "")
    assert draft_of(proposal).find(new_key).label == "d)bis"


# The Word export shows the label's mark ------------------------------------------------------------


def test_a_label_set_by_hand_goes_out_to_word_as_a_tracked_change(world):
    import io
    import zipfile

    from drafting.engine.docx_write import contribution_docx
    from drafting.services.exports import contribution_document

    edition, proposal, delegate = world
    modify_clause(delegate, proposal, key(edition, "considering-b"), None, expected_version=0, label="bbis)")
    data = contribution_docx(contribution_document(proposal.contribution), tracked=True)
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    assert "<w:delText>b)</w:delText>" in xml or 'xml:space="preserve">b)</w:delText>' in xml
    assert ">bbis)</w:t>" in xml


# The editor page ------------------------------------------------------------------------------------


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_edit_form_shows_the_label_and_saves_a_new_one(world):
    edition, proposal, delegate = world
    b = key(edition, "considering-b")
    client = login(delegate)
    form = client.get(f"/proposals/{proposal.pk}/clauses/{b}/edit/", **HX).content.decode()
    assert 'name="label"' in form and 'value="b)"' in form
    text = Clause.objects.get(edition=edition, anchor="considering-b").text
    response = client.post(
        f"/proposals/{proposal.pk}/clauses/{b}/edit/",
        {"text": text, "version": 0, "label": "bbis)", "label_was": "b)"},
        **HX,
    )
    assert response.status_code == 200
    assert Amendment.objects.get().label == "bbis)"
    assert "bbis)" in response.content.decode()


def test_saving_the_text_with_the_label_as_shown_changes_no_label(world):
    edition, proposal, delegate = world
    b = key(edition, "considering-b")
    response = login(delegate).post(
        f"/proposals/{proposal.pk}/clauses/{b}/edit/",
        {"text": "new words;", "version": 0, "label": "b)", "label_was": "b)"},
        **HX,
    )
    assert response.status_code == 200, response.content.decode()[-3000:]
    assert Amendment.objects.get().label == ""


def test_auto_gives_the_label_back_to_the_tool(world):
    edition, proposal, delegate = world
    b = key(edition, "considering-b")
    first = modify_clause(delegate, proposal, b, "new words;", expected_version=0, label="c)")
    login(delegate).post(
        f"/proposals/{proposal.pk}/clauses/{b}/edit/",
        {"text": "new words;", "version": first.version, "label": "auto", "label_was": "c)"},
        **HX,
    )
    assert Amendment.objects.get().label == ""


def test_a_bad_label_in_the_editor_is_refused_in_place_and_nothing_saved(world):
    edition, proposal, delegate = world
    b = key(edition, "considering-b")
    response = login(delegate).post(
        f"/proposals/{proposal.pk}/clauses/{b}/edit/",
        {"text": "new words;", "version": 0, "label": "b!", "label_was": "b)"},
        **HX,
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "is not a label ITU writes" in page and 'value="b!"' in page
    assert not Amendment.objects.exists()


def test_the_add_form_offers_both_practices_and_inserts_as_bis(world):
    edition, proposal, delegate = world
    d = key(edition, "considering-d")
    client = login(delegate)
    form = client.get(f"/proposals/{proposal.pk}/clauses/{d}/add/?position=after", **HX).content.decode()
    assert 'name="numbering"' in form and "renumber what follows" in form and "dbis)" in form
    response = client.post(
        f"/proposals/{proposal.pk}/clauses/{d}/add/",
        {"position": "after", "kind": "item", "text": "a new consideration;", "numbering": "bis"},
        **HX,
    )
    assert response.status_code == 200
    assert Amendment.objects.get().numbering == BIS
    assert "dbis)" in response.content.decode()


def test_a_bis_insertion_that_cannot_be_is_refused_in_the_add_form(world):
    edition, proposal, delegate = world
    response = login(delegate).post(
        f"/proposals/{proposal.pk}/clauses/{key(edition, 'considering-a')}/add/",
        {"position": "before", "kind": "item", "text": "first;", "numbering": "bis"},
        **HX,
    )
    assert response.status_code == 400
    assert "cannot be inserted as bis here" in response.content.decode()
    assert not Amendment.objects.exists()


# The API --------------------------------------------------------------------------------------------


def call(method: str, url: str, body=None):
    token = base64.b64encode(b"amina:pw").decode()
    kwargs = {"HTTP_AUTHORIZATION": f"Basic {token}"}
    if body is not None:
        kwargs.update(data=json.dumps(body), content_type="application/json")
    return getattr(Client(), method)(url, **kwargs)


def test_a_put_with_a_label_is_honoured(world):
    edition, proposal, _ = world
    b = key(edition, "considering-b")
    response = call("put", f"/api/proposals/{proposal.pk}/clauses/{b}", {"label": "bbis)", "version": 0})
    assert response.status_code == 200
    clause = next(c for c in response.json()["clauses"] if c["key"] == b)
    assert (clause["base_label"], clause["label"], clause["label_set_by_hand"]) == ("b)", "bbis)", True)
    assert clause["status"] == "modified"


def test_a_put_with_a_bad_label_is_refused_with_a_reason_and_nothing_saved(world):
    edition, proposal, _ = world
    b = key(edition, "considering-b")
    response = call(
        "put", f"/api/proposals/{proposal.pk}/clauses/{b}", {"text": "x;", "label": "b-)", "version": 0}
    )
    assert response.status_code == 400
    assert "is not a label ITU writes" in response.json()["detail"]
    assert not Amendment.objects.exists()


def test_a_put_with_neither_text_nor_label_is_refused(world):
    edition, proposal, _ = world
    b = key(edition, "considering-b")
    response = call("put", f"/api/proposals/{proposal.pk}/clauses/{b}", {"version": 0})
    assert response.status_code == 400
    assert "text" in response.json()["detail"]


def test_an_addition_through_the_api_inserted_as_bis(world):
    edition, proposal, _ = world
    d = key(edition, "considering-d")
    response = call(
        "post",
        f"/api/proposals/{proposal.pk}/clauses/{d}/additions",
        {"text": "a new consideration;", "numbering": "bis"},
    )
    assert response.status_code == 201
    added = next(c for c in response.json()["clauses"] if c["status"] == "added")
    assert added["label"] == "dbis)"
    relabelled = [c for c in response.json()["clauses"] if c["base_label"] and c["base_label"] != c["label"]]
    assert relabelled == []


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"text": "x;", "label": "%%"}, "is not a label ITU writes"),
        ({"text": "x;", "numbering": "sideways"}, "Unknown numbering"),
        ({"text": "x;", "label": "e)", "numbering": "bis"}, "leave the label empty"),
        ({"text": "x;", "label": "e)"}, "already"),
    ],
)
def test_an_addition_with_a_label_that_cannot_be_is_refused_never_ignored(world, body, message):
    edition, proposal, _ = world
    d = key(edition, "considering-d")
    response = call("post", f"/api/proposals/{proposal.pk}/clauses/{d}/additions", body)
    assert response.status_code == 400
    assert message in response.json()["detail"]
    assert not Amendment.objects.exists()


def test_an_addition_with_a_label_through_the_api_keeps_it(world):
    edition, proposal, _ = world
    d = key(edition, "considering-d")
    response = call(
        "post", f"/api/proposals/{proposal.pk}/clauses/{d}/additions", {"text": "x;", "label": "d)bis"}
    )
    assert response.status_code == 201
    added = next(c for c in response.json()["clauses"] if c["status"] == "added")
    assert (added["label"], added["label_set_by_hand"]) == ("d)bis", True)


@pytest.mark.parametrize("tracked", [True, False])
def test_word_accept_all_and_reject_all_give_both_texts_with_every_kind_of_label_change(world, tracked):
    """A paragraph that gains a) as an item joins it, a list cut to one item, a bis insertion and a
    label set by hand: Accept All gives the proposal and Reject All the base, line for line."""
    from tests.word_revisions import ACCEPT, REJECT, contribution_check

    edition, proposal, delegate = world
    add_clause(delegate, proposal, key(edition, "noting-further-p1"), "after", text="a second thing,")
    suppress_clause(delegate, proposal, key(edition, "recognizing-a"))
    add_clause(delegate, proposal, key(edition, "considering-d"), "after", text="one more;", numbering=BIS)
    modify_clause(delegate, proposal, key(edition, "considering-f"), None, expected_version=0, label="fbis)")
    check = contribution_check("labels", proposal.contribution, tracked)
    for mode in (ACCEPT, REJECT):
        wanted = check.wanted[mode]
        assert check.score() and check._score(check.lines(mode), mode) == f"{len(wanted)}/{len(wanted)}"
    from drafting.engine.amend import with_closing

    accepted, rejected = check.lines(ACCEPT), check.lines(REJECT)
    paragraph = Clause.objects.get(edition=edition, anchor="noting-further-p1").text
    assert paragraph in rejected
    assert f"a)\t{with_closing(paragraph, ';')}" in accepted and "b)\ta second thing," in accepted
    assert "dbis)\tone more;" in accepted
    assert any(line.startswith("fbis)\t") for line in accepted) and not any(
        line.startswith("fbis)") for line in rejected
    )


def test_a_derived_bis_insertion_the_tool_cannot_keep_is_added_renumbering(world):
    from drafting.engine import amend as engine
    from drafting.services.amendments import apply_derived

    edition, proposal, delegate = world
    a = key(edition, "considering-a")
    first = engine.Amendment(engine.ADD, a, engine.BEFORE, key="x", text="a first thing;", numbering=BIS)
    apply_derived(delegate, proposal, [first])
    stored = Amendment.objects.get()
    assert stored.numbering == ""
    assert labels_of_part(proposal, "considering")[:2] == [("a)", False), ("b)", False)]


def test_the_clause_panel_lists_the_label_change_in_the_history(world):
    edition, proposal, delegate = world
    b = key(edition, "considering-b")
    modify_clause(delegate, proposal, b, None, expected_version=0, label="bbis)")
    page = login(delegate).get(f"/proposals/{proposal.pk}/clauses/{b}/panel/", **HX).content.decode()
    assert "label set to bbis)" in page


def test_through_the_api_a_parts_one_paragraph_is_labelled_when_an_item_joins_it_and_not_when_it_goes(world):
    """Issue 9's case: an item added after the one paragraph of "noting further"."""
    edition, proposal, _ = world
    paragraph = key(edition, "noting-further-p1")
    added = call(
        "post", f"/api/proposals/{proposal.pk}/clauses/{paragraph}/additions", {"text": "a second thing"}
    ).json()
    rows = {c["key"]: c for c in added["clauses"]}
    new = next(c for c in added["clauses"] if c["status"] == "added")
    assert (rows[paragraph]["base_label"], rows[paragraph]["label"], new["label"]) == ("", "a)", "b)")
    assert rows[paragraph]["status"] == "modified"
    removed = call("post", f"/api/proposals/{proposal.pk}/clauses/{new['key']}/suppression").json()
    rows = {c["key"]: c for c in removed["clauses"]}
    assert (rows[paragraph]["label"], rows[paragraph]["status"]) == ("", "unchanged")


def test_through_the_api_suppressing_all_but_one_item_drops_its_label_and_restoring_gives_it_back(world):
    edition, proposal, _ = world
    a, b = key(edition, "recognizing-a"), key(edition, "recognizing-b")
    suppressed = call("post", f"/api/proposals/{proposal.pk}/clauses/{a}/suppression").json()
    assert next(c for c in suppressed["clauses"] if c["key"] == b)["label"] == ""
    restored = call("delete", f"/api/proposals/{proposal.pk}/clauses/{a}/suppression").json()
    assert next(c for c in restored["clauses"] if c["key"] == b)["label"] == "b)"
