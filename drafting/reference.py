"""The ITU's bodies and regional groups, as every installation needs them (DOMAIN.md)."""

from __future__ import annotations

BODIES = [
    ("WTSA", "World Telecommunication Standardization Assembly"),
    ("WTDC", "World Telecommunication Development Conference"),
    ("PP", "Plenipotentiary Conference"),
    ("RA", "Radiocommunication Assembly"),
    ("Council", "ITU Council"),
]

# code, name, region, the prefix of its proposal numbers (“MOD IAP/36A3/1”)
GROUPS = [
    ("CITEL", "Inter-American Telecommunication Commission", "the Americas", "IAP"),
    ("ATU", "African Telecommunications Union", "Africa", "ATU"),
    ("RCC", "Regional Commonwealth in the field of Communications", "CIS countries", "RCC"),
    ("APT", "Asia-Pacific Telecommunity", "Asia-Pacific", "ACP"),
    ("CEPT", "European Conference of Postal and Telecommunications Administrations", "Europe", "EUR"),
    ("ASMG", "Arab Spectrum Management Group", "Arab States", "ARB"),
]
