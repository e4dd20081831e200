"""Searching the library by words, most relevant first.

On PostgreSQL the words are searched with its full-text search (English stemming, so "implementing"
finds "implementation"; ``websearch`` syntax, so "digital divide" -"Africa" and quoted phrases work),
ranked with ``ts_rank``; the clauses' search vector has a GIN index (migration 0020). Elsewhere (SQLite)
a resolution matches when its title, or one of its clauses, holds every word, and is ranked by a
simple score: the words in its title count most, then each distinct clause holding them all, more when
it holds them as the phrase typed and the more often it does. Either way a resolution counts a clause
once however many editions repeat it (a clause's identity is its provision).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Q, QuerySet

from drafting.models import Clause, Resolution

# Matching clauses read to rank and to show (a few per resolution): a bound on the work of one search.
MAX_CLAUSES = 3000
SHOWN_PER_RESOLUTION = 3
TITLE_WEIGHT = 4.0
CONFIG = "english"


@dataclass
class Hit:
    resolution: Resolution
    score: float
    clauses: list[Clause] = field(default_factory=list)  # the best matching clauses, newest edition first


def clause_vector():
    """The clauses' search vector, written exactly as the index of migration 0020 is (else unused)."""
    from django.contrib.postgres.search import SearchVector

    return SearchVector("text", "heading", config=CONFIG)


def search_words(resolutions: QuerySet, query: str) -> list[Hit]:
    """The resolutions of ``resolutions`` that the words of ``query`` find, most relevant first."""
    if not query.split():
        return []
    if connection.vendor == "postgresql":
        hits = _ranked_full_text(resolutions, query)
        if hits:
            return hits
        # Nothing for the full-text search (only stop words, or part of a word: "Telecom"): the plain search.
    return _ranked_simple(resolutions, query)


def _ranked_full_text(resolutions: QuerySet, query: str) -> list[Hit]:
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

    search = SearchQuery(query, config=CONFIG, search_type="websearch")
    vector = clause_vector()
    clauses = (
        Clause.objects.annotate(found=vector)
        .filter(found=search, edition__resolution__in=resolutions)
        .annotate(rank=SearchRank(vector, search))
        .select_related("edition", "edition__resolution__body")
        .order_by("-rank", "-edition__year", "position")[:MAX_CLAUSES]
    )
    titles = dict(
        resolutions.annotate(found=SearchVector("title", config=CONFIG))
        .filter(found=search)
        .annotate(rank=SearchRank(SearchVector("title", config=CONFIG), search))
        .values_list("id", "rank")
    )
    return _hits(resolutions, list(clauses), {pk: TITLE_WEIGHT * (rank or 0) for pk, rank in titles.items()})


def _ranked_simple(resolutions: QuerySet, query: str) -> list[Hit]:
    words = query.lower().split()
    phrase = " ".join(words)
    text_match, title_match = Q(), Q()
    for word in words:
        text_match &= Q(text__icontains=word) | Q(heading__icontains=word)
        title_match &= Q(title__icontains=word)
    clauses = list(
        Clause.objects.filter(text_match, edition__resolution__in=resolutions)
        .select_related("edition", "edition__resolution__body")
        .order_by("-edition__year", "position")[:MAX_CLAUSES]
    )
    for clause in clauses:
        text = " ".join(f"{clause.heading} {clause.text}".lower().split())
        clause.rank = (
            1.0
            + (0.5 if len(words) > 1 and phrase in text else 0)
            + 0.1 * min(sum(text.count(w) for w in words), 10)
        )
    titles = {}
    for pk, title in resolutions.filter(title_match).values_list("id", "title"):
        text = " ".join(title.lower().split())
        titles[pk] = TITLE_WEIGHT * (1.0 + (0.5 if len(words) > 1 and phrase in text else 0))
    clauses.sort(key=lambda c: -c.rank)
    return _hits(resolutions, clauses, titles)


def _hits(resolutions: QuerySet, clauses: list[Clause], titles: dict[int, float]) -> list[Hit]:
    """Scores summed per resolution, each provision once (its best-ranked clause: ``clauses`` come best first)."""
    scores: dict[int, float] = dict(titles)
    shown: dict[int, list[Clause]] = {}
    seen: set[int] = set()
    for clause in clauses:
        if clause.provision_id in seen:
            continue
        seen.add(clause.provision_id)
        pk = clause.edition.resolution_id
        scores[pk] = scores.get(pk, 0.0) + clause.rank
        found = shown.setdefault(pk, [])
        if len(found) < SHOWN_PER_RESOLUTION:
            found.append(clause)
    by_id = {r.pk: r for r in resolutions.filter(pk__in=list(scores))}
    hits = [Hit(by_id[pk], score, shown.get(pk, [])) for pk, score in scores.items() if pk in by_id]
    hits.sort(key=lambda h: (-h.score, h.resolution.body.sort_order, h.resolution.sort_key))
    return hits
