"""The cached edition page of a base edition says at once that the meeting adopted a newer one."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from drafting.models import Consolidation
from drafting.services.consolidation import adopt

pytestmark = pytest.mark.django_db


def content(url: str) -> str:
    html = Client().get(url).content.decode()
    return html[html.index("<main") : html.index("</main>")]


def test_an_adoption_shows_on_the_base_editions_page_at_once(demo_db):
    consolidation = Consolidation.objects.get(resolution__number="75")
    officer = User.objects.get(username="secretariat")
    base = consolidation.base_edition.get_absolute_url()
    before = content(base)
    assert content(base) == before  # now from the cache
    assert "Not the latest edition" not in before
    adopted = adopt(officer, consolidation, leave_open_as_base=True)
    after = content(base)
    assert "Not the latest edition" in after
    assert f'href="{adopted.get_absolute_url()}"' in after
    assert "Not the latest edition" not in content(adopted.get_absolute_url())
