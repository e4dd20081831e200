"""Import, print and import again gives the same tree (no database)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings

from drafting.engine.parse import parse_resolution
from drafting.engine.printer import print_resolution
from tests.budget import examples
from tests.strategies import resolutions


@settings(max_examples=examples(50), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(resolutions())
def test_printing_then_parsing_a_resolution_gives_it_back(resolution):
    assert parse_resolution(print_resolution(resolution)).shape() == resolution.shape()


@pytest.mark.parametrize(
    "seed",
    [
        "wtsa-res75-rev-hammamet-2016.txt",
        "council-res1332.txt",
        "atu-proposal-wtsa-res75.txt",
        "citel-proposal-wtsa-res75.txt",
        "rcc-proposal-wtdc-res30.txt",
    ],
)
def test_every_seed_survives_print_and_parse(seed_text, seed):
    parsed = parse_resolution(seed_text(seed))
    again = parse_resolution(print_resolution(parsed))
    assert again.shape() == parsed.shape()
    assert print_resolution(again) == print_resolution(parsed)
