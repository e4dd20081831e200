"""What the simulated browsers read in the live copies, as live.js, editor.js and consolidation.js do:
one place for the load model, the propagation check and the idle followers, checked against copies the
app really renders (tests/test_loadtest_markup.py). When these fell behind the markup (a
``data-language`` attribute added to the copies), every simulated page fetched every copy instead of
taking it from the event, and the load test measured a day no browser has."""

from __future__ import annotations

import re

# The copies say which language they were rendered in (a page in another language fetches its own);
# the simulated browsers read English.
PUSHED = re.compile(r'id="draft-delta"(?: data-language="en")? data-version="(\d+)" data-since="(\d+)"')
CONSOLIDATION_DELTA = re.compile(
    r'id="consolidation-delta"(?: data-language="en")? data-since="(\d+)" data-version="(\d+)"'
)
