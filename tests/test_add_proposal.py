"""ADD proposals: a whole new resolution typed in the printed layout, previewed, saved with a version check."""

from __future__ import annotations

import pytest
from django.test import Client

from drafting.models import Proposal
from drafting.models.people import DELEGATES
from drafting.services.contributions import DraftingProblem, StaleEdit, add_proposal, save_new_resolution
from tests.drafting_factories import base_edition, group, mod_proposal, person

pytestmark = pytest.mark.django_db
HX = {"HTTP_HX_REQUEST": "true"}

NEW = """RESOLUTION [ATU-1] (NEW)
Artificial intelligence for sustainable development
The World Telecommunication Standardization Assembly (New Delhi, 2024),
considering
a)\tthe UNGA Resolution A/78/L.49;
b)\tResolution 214 (Bucharest, 2022),
resolves
1\tto study the standardization aspects of AI;
2\tto report to the next assembly.
"""


@pytest.fixture
def world():
    edition = base_edition()
    atu = group("ATU")
    contribution = mod_proposal(edition, atu).contribution
    delegate = person("amina", DELEGATES, atu)
    proposal = add_proposal(delegate, contribution, action="ADD", new_title="AI")
    return proposal, delegate


def test_saving_a_new_resolution_reads_its_structure_and_title(world):
    proposal, delegate = world
    saved = save_new_resolution(delegate, proposal, NEW, proposal.version)
    assert saved.new_title == "Artificial intelligence for sustainable development"
    assert saved.label == "ADD ATU/35A18/2"
    with pytest.raises(StaleEdit):
        save_new_resolution(
            delegate, proposal, NEW.replace("AI;", "artificial intelligence;"), proposal.version - 1
        )
    assert Proposal.objects.get(pk=proposal.pk).new_text == NEW


def test_text_that_is_not_a_resolution_is_refused(world):
    proposal, delegate = world
    with pytest.raises(DraftingProblem, match="No resolution was recognised"):
        save_new_resolution(delegate, proposal, "just a sentence", proposal.version)
    assert Proposal.objects.get(pk=proposal.pk).new_text == ""


def test_the_page_previews_as_it_will_print_then_saves(world):
    proposal, delegate = world
    client = Client()
    client.force_login(delegate)
    assert client.get(f"/proposals/{proposal.pk}/").status_code == 302
    preview = client.post(f"/proposals/{proposal.pk}/text/", {"text": NEW, "version": proposal.version}, **HX)
    html = preview.content.decode()
    assert preview.status_code == 200 and '<h3 class="part-heading">considering</h3>' in html
    assert '<span class="label">2</span>' in html
    assert Proposal.objects.get(pk=proposal.pk).new_text == ""
    saved = client.post(
        f"/proposals/{proposal.pk}/text/", {"text": NEW, "version": proposal.version, "save": "1"}, **HX
    )
    assert saved["HX-Redirect"] == f"/proposals/{proposal.pk}/text/"
    bad = client.post(
        f"/proposals/{proposal.pk}/text/", {"text": "nothing", "version": 99, "save": "1"}, **HX
    )
    assert bad.status_code == 400 and "No resolution was recognised" in bad.content.decode()
