"""Demo data built from the seed documents in demo/seeds/."""
