"""A small library for citation tests: PP Resolution 140 and three resolutions that cite it."""

from __future__ import annotations

from drafting.models import Body, Conference
from drafting.services.library import import_text
from tests.conftest import SEEDS

BODIES = [
    ("PP", "Plenipotentiary Conference"),
    ("WTSA", "World Telecommunication Standardization Assembly"),
    ("WTDC", "World Telecommunication Development Conference"),
    ("RA", "Radiocommunication Assembly"),
    ("Council", "ITU Council"),
]

RES140_DUBAI = """RESOLUTION 140 (Rev. Dubai, 2018)
ITU's role in implementing the outcomes of the World Summit on the Information Society
(Antalya, 2006; Guadalajara, 2010; Busan, 2014; Dubai, 2018)
The Plenipotentiary Conference of the International Telecommunication Union (Dubai, 2018),
recalling
a)\tthe outcomes of both phases of WSIS;
b)\tUNGA Resolution 70/125, on the overall review of the implementation of the WSIS outcomes,
resolves
1\tthat ITU should continue its work on the implementation of the WSIS outcomes;
2\tto report to the Council every year.
"""

RES30_WTDC = """RESOLUTION 30 (Rev. Buenos Aires, 2017)
Role of the ITU Telecommunication Development Sector in implementing the outcomes of WSIS
(Istanbul, 2002; Doha, 2006; Hyderabad, 2010; Dubai, 2014; Buenos Aires, 2017)
The World Telecommunication Development Conference (Buenos Aires, 2017),
recalling
a)\tResolution\u00a0140 (Rev.\u00a0Dubai, 2018) of the Plenipotentiary Conference, on ITU's role in implementing the outcomes of WSIS;
b)\tResolutions 101, 140 and 178 (Rev. Dubai, 2018) of the Plenipotentiary Conference;
c)\tResolution 75 (Rev. Hammamet, 2016) of the World Telecommunication Standardization Assembly,
resolves
1\tto continue working with the other Sectors, in accordance with PP Resolution 140 (Rev. Dubai, 2018).
"""


def bodies() -> None:
    for order, (code, name) in enumerate(BODIES):
        Body.objects.get_or_create(code=code, defaults={"name": name, "sort_order": order})


def seed(name: str) -> str:
    return (SEEDS / name).read_text(encoding="utf-8")


def library():
    """PP Res. 140 (Dubai, 2018), and WTSA Res. 75, Council Res. 1332 and WTDC Res. 30, which cite it."""
    bodies()
    res140 = import_text(RES140_DUBAI, body_code="PP").edition
    res75 = import_text(seed("wtsa-res75-rev-hammamet-2016.txt"), body_code="WTSA", number="75").edition
    res1332 = import_text(seed("council-res1332.txt"), body_code="Council", number="1332").edition
    res30 = import_text(RES30_WTDC, body_code="WTDC").edition
    return res140, res75, res1332, res30


def pp22() -> Conference:
    return Conference.objects.get_or_create(
        code="PP-22", defaults={"body": Body.objects.get(code="PP"), "place": "Bucharest", "year": 2022}
    )[0]
