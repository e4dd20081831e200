"""Two delegates save the same clause from the same version at the same moment: exactly one wins.

Run against the real database in threads, each with its own connection; on
PostgreSQL (CI's second pass) the two transactions truly overlap.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from drafting.models import Amendment, Clause
from drafting.models.people import DELEGATES
from drafting.services.amendments import modify_clause
from drafting.services.contributions import StaleEdit
from tests.drafting_factories import base_edition, group, mod_proposal, person

pytestmark = pytest.mark.django_db(transaction=True)


def race(jobs):
    """Run the jobs in threads released together; return what each returned or raised."""
    barrier = threading.Barrier(len(jobs))
    results: list[object] = [None] * len(jobs)

    def run(i, job):
        try:
            barrier.wait()
            results[i] = job()
        except Exception as e:  # the outcome of each save is what the test looks at
            results[i] = e
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results


@pytest.fixture
def setup():
    edition = base_edition()
    atu = group("ATU")
    proposal = mod_proposal(edition, atu)
    clause = Clause.objects.get(edition=edition, anchor="considering-a")
    return proposal, str(clause.provision.key), person("one", DELEGATES, atu), person("two", DELEGATES, atu)


@pytest.mark.parametrize("rounds", range(3))
def test_two_first_saves_of_a_clause_one_wins_one_conflicts(setup, rounds):
    proposal, key, one, two = setup
    results = race(
        [
            lambda: modify_clause(one, proposal, key, "first delegate's text;", expected_version=0),
            lambda: modify_clause(two, proposal, key, "second delegate's text;", expected_version=0),
        ]
    )
    won = [r for r in results if isinstance(r, Amendment)]
    lost = [r for r in results if isinstance(r, StaleEdit)]
    assert len(won) == 1 and len(lost) == 1, results
    saved = Amendment.objects.get(proposal=proposal)
    assert saved.text == won[0].text
    # The loser is shown the winner's text, so nothing is lost.
    assert lost[0].current_text == saved.text


def test_two_saves_from_the_same_later_version_one_wins(setup):
    proposal, key, one, two = setup
    first = modify_clause(one, proposal, key, "agreed text;", expected_version=0)
    results = race(
        [
            lambda: modify_clause(one, proposal, key, "one's change;", expected_version=first.version),
            lambda: modify_clause(two, proposal, key, "two's change;", expected_version=first.version),
        ]
    )
    assert sorted(type(r).__name__ for r in results) == ["Amendment", "StaleEdit"], results
    saved = Amendment.objects.get(proposal=proposal)
    assert saved.version == first.version + 1
    assert saved.text in ("one's change;", "two's change;")
    history = [h.text for h in saved.history.order_by("history_date")]
    assert history[0] == "agreed text;" and history[-1] == saved.text


def test_the_database_is_what_ci_says_it_is():
    import os

    if os.environ.get("REQUIRE_POSTGRES") == "1":
        assert connection.vendor == "postgresql"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite serialises the two transactions")
def test_a_save_refused_by_a_save_committed_while_it_read_shows_that_save_s_words(setup, monkeypatch):
    """The race the threads above meet now and then, made to happen every time: the other delegate's
    save commits after this save read the draft and before it read the clause's version. The refusal
    must show the words now saved (with the version they carry), never the older ones it read first:
    shown the base text with the new version, the delegate would save over words they never saw."""
    import drafting.services.amendments as amendments

    proposal, key, one, two = setup
    read_version = amendments.clause_version
    committed = []
    started = threading.Event()  # the other save reads the version through this function too

    def version_after_the_other_save(p, k):
        if not started.is_set():
            started.set()
            worker = threading.Thread(
                target=lambda: committed.append(
                    race(
                        [
                            lambda: modify_clause(
                                two, proposal, key, "second delegate's text;", expected_version=0
                            )
                        ]
                    )
                )
            )
            worker.start()
            worker.join(30)
        return read_version(p, k)

    monkeypatch.setattr(amendments, "clause_version", version_after_the_other_save)
    with pytest.raises(StaleEdit) as refused:
        modify_clause(one, proposal, key, "first delegate's text;", expected_version=0)
    assert isinstance(committed[0][0], Amendment), committed
    assert refused.value.current_text == "second delegate's text;"
    assert refused.value.current_version == 1
