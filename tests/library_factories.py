"""Small factories for library tests: seed imports and a later, modified edition of Res. 75."""

from __future__ import annotations

from django.contrib.auth.models import Group, User

from drafting.models import Body
from drafting.models.people import DELEGATES, OBSERVERS, SECRETARIAT
from drafting.services.library import import_text
from tests.conftest import SEEDS

RES75 = "wtsa-res75-rev-hammamet-2016.txt"
RES1332 = "council-res1332.txt"


def seed(name: str) -> str:
    return (SEEDS / name).read_text(encoding="utf-8")


def bodies() -> None:
    for order, (code, name) in enumerate(
        [
            ("WTSA", "World Telecommunication Standardization Assembly"),
            ("WTDC", "World Telecommunication Development Conference"),
            ("Council", "ITU Council"),
        ]
    ):
        Body.objects.get_or_create(code=code, defaults={"name": name, "sort_order": order})


def import_seed(name: str = RES75, body: str = "WTSA", number: str = "75"):
    bodies()
    return import_text(seed(name), body_code=body, number=number, source_name=name).edition


def res75_geneva_2022() -> str:
    """Res. 75 as a later edition might read: a new item, one reworded, one gone, labels shifted."""
    text = seed(RES75)
    text = text.replace("RESOLUTION 75 (Rev.\u00a0Hammamet, 2016)", "RESOLUTION 75 (Rev. Geneva, 2022)")
    text = text.replace(
        "(Johannesburg, 2008; Dubai, 2012; Hammamet, 2016)",
        "(Johannesburg, 2008; Dubai, 2012; Hammamet, 2016; Geneva, 2022)",
    )
    text = text.replace("Assembly (Hammamet, 2016),", "Assembly (Geneva, 2022),")
    # A new considering c); the old c) and d) become d) and e).
    text = text.replace(
        "c)\tUNGA Resolution\u00a070/125",
        "c)\tUNGA Resolution 76/307 on the modalities for the Summit of the Future;\nd)\tUNGA Resolution\u00a070/125",
    )
    text = text.replace("d)\tthe WSIS+10 Statement", "e)\tthe WSIS+10 Statement")
    for old, new in (
        ("e)\tthe relevant resolutions", "f)\tthe relevant resolutions"),
        ("f)\tthe role of the ITU", "g)\tthe role of the ITU"),
        ("g)\tthat, despite", "h)\tthat, despite"),
        ("h)\tthat the management", "i)\tthat the management"),
    ):
        text = text.replace(old, new)
    # considering further a) reworded.
    text = text.replace(
        "a)\tthat ITU has a pivotal role in providing a global perspective in regard to the information society;",
        "a)\tthat ITU has a leading role in providing a global perspective on the information society;",
    )
    # noting d) suppressed; noting c) becomes the last item.
    text = text.replace(
        "c)\tCouncil 2015 Resolution\u00a01344, on the modality of open consultation for CWG‑Internet;\n",
        "c)\tCouncil 2015 Resolution\u00a01344, on the modality of open consultation for CWG‑Internet,\n",
    )
    text = text.replace("d)\tCouncil 2016 Resolution\u00a01336, on CWG‑Internet,\n", "")
    return text


def user(username: str, role: str | None = None) -> User:
    person = User.objects.create_user(username, password="pw")
    if role:
        person.groups.add(Group.objects.get_or_create(name=role)[0])
    return person


__all__ = ["DELEGATES", "OBSERVERS", "SECRETARIAT"]
