"""The library's search by words ranks the resolutions by relevance, on SQLite and on PostgreSQL."""

from __future__ import annotations

import pytest
from django.db import connection

from drafting.models import Body, Resolution
from drafting.search import search_words
from drafting.services.library import import_text

pytestmark = pytest.mark.django_db


def resolution(number: str, title: str, items: list[str]) -> None:
    Body.objects.get_or_create(
        code="WTDC", defaults={"name": "World Telecommunication Development Conference"}
    )
    lines = [
        f"RESOLUTION {number} (Rev. Kigali, 2022)",
        title,
        "(Kigali, 2022)",
        "The World Telecommunication Development Conference (Kigali, 2022),",
        "considering",
    ]
    lines += [f"{chr(97 + i)})\t{text};" for i, text in enumerate(items)]
    lines += ["resolves", "1\tto keep this resolution under review."]
    import_text("\n".join(lines) + "\n", body_code="WTDC", number=number)


@pytest.fixture
def library():
    # Numbered so that the order of the library (by number) is the reverse of relevance.
    resolution("1", "Rules of procedure", ["the digital economy grows", "the divide between regions"])
    resolution("2", "Regional initiatives", ["that the digital divide persists in rural areas"])
    resolution(
        "3",
        "Bridging the digital divide",
        [
            "that bridging the digital divide is a priority",
            "that the digital divide between and within countries is wide",
            "the role of the digital divide in development",
        ],
    )
    resolution("4", "Telecommunication statistics", ["the importance of statistics on the digital economy"])


def numbers(query: str) -> list[str]:
    return [hit.resolution.number for hit in search_words(Resolution.objects.select_related("body"), query)]


def test_the_most_relevant_resolution_comes_first(library):
    # The title and three clauses, then one clause with the phrase, then both words in separate clauses only.
    found = numbers("digital divide")
    assert found[:2] == ["3", "2"]
    assert "4" not in found


def test_each_clause_counts_once_however_many_editions_repeat_it(library):
    text = "\n".join(
        [
            "RESOLUTION 2 (Rev. Buenos Aires, 2017)",
            "Regional initiatives",
            "(Buenos Aires, 2017)",
            "The World Telecommunication Development Conference (Buenos Aires, 2017),",
            "considering",
            "a)\tthat the digital divide persists in rural areas;",
            "resolves",
            "1\tto keep this resolution under review.",
        ]
    )
    import_text(text + "\n", body_code="WTDC", number="2")
    assert numbers("digital divide")[:2] == ["3", "2"]


def test_a_word_in_no_text_finds_nothing_and_the_page_says_so(library, client):
    assert numbers("zebra crossing") == []
    html = client.get("/?q=digital divide").content.decode()
    assert "resolutions, most relevant first" in html
    assert html.index("Bridging the digital divide") < html.index("Regional initiatives")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's full-text search")
def test_on_postgresql_words_are_found_by_their_stem_and_the_index_is_used(library):
    # "bridges" finds "bridging"; "statistic" finds "statistics".
    assert numbers("bridges")[0] == "3"
    assert numbers("statistic") == ["4"]
    from django.contrib.postgres.search import SearchQuery

    from drafting.models import Clause
    from drafting.search import clause_vector

    query = (
        Clause.objects.annotate(found=clause_vector())
        .filter(found=SearchQuery("digital divide", config="english", search_type="websearch"))
        .order_by()
    )
    sql, params = query.values("id").query.sql_with_params()
    with connection.cursor() as cursor:
        # A tiny table: the planner would read it whole. Without that (nor a walk of another index),
        # it shows that it can use the index for this expression.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = " ".join(row[0] for row in cursor.fetchall())
    assert "clause_text_search" in plan


@pytest.mark.skipif(connection.vendor == "postgresql", reason="the simple search of other databases")
def test_elsewhere_every_word_must_be_in_the_title_or_in_one_clause(library):
    assert numbers("statistics economy") == ["4"]
    assert numbers("bridges") == []
