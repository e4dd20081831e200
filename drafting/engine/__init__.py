"""The domain engine: plain Python, no ORM and no HTTP.

Parsing resolution texts into clause trees, printing them back, labels,
word-level diffs and clause matching across editions live here, each with
unit tests that need no database.
"""
