"""The registration list: read (CSV and XLSX, bounded), previewed row by row, applied in one transaction."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from drafting.models import Body, Conference, MembershipChange, Profile, Registration, RegistrationUpload
from drafting.models.people import COORDINATORS, DELEGATES, OBSERVERS, SECRETARIAT
from drafting.services import DomainError
from drafting.services.accounts import deactivate_conference_accounts
from drafting.services.registration import apply_registration_list, preview, read_registration_list
from tests.drafting_factories import group, person

pytestmark = pytest.mark.django_db

HEADER = ["Name", "E-mail", "Administration", "Regional group", "Role"]
ROWS = [
    ["Amina Diallo", "amina@example.org", "Senegal", "ATU", "Delegate"],
    ["Carlos Ruiz", "carlos@example.org", "Mexico", "CITEL", "coordinator"],
    ["Olga Ivanova", "olga@example.org", "Russian Federation", "RCC", "delegate"],
    ["Sam Officer", "sam@itu.int", "", "", "Secretariat"],
    ["Nora Reader", "nora@example.org", "Norway", "", "observer"],
]


def csv_bytes(rows, header=HEADER, delimiter=",") -> bytes:
    import csv

    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def xlsx_bytes(rows, header=HEADER) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def world():
    for code, prefix in (("ATU", "ATU"), ("CITEL", "IAP"), ("RCC", "RCC"), ("CEPT", "EUR")):
        group(code, prefix)
    body, _ = Body.objects.get_or_create(code="WTSA", defaults={"name": "WTSA"})
    conference = Conference.objects.create(body=body, code="WTSA-24", place="New Delhi", year=2024)
    officer = person("officer", SECRETARIAT)
    return conference, officer


def state() -> tuple:
    """Every account's name, activity, roles, groups and registrations, and the change log's length."""
    return (
        tuple(
            User.objects.order_by("pk").values_list(
                "username", "email", "first_name", "last_name", "is_active"
            )
        ),
        tuple(
            User.groups.through.objects.order_by("user_id", "group_id").values_list("user_id", "group__name")
        ),
        tuple(
            User.regional_groups.through.objects.order_by("user_id").values_list(
                "user_id", "regionalgroup__code"
            )
        ),
        tuple(
            Registration.objects.order_by("pk").values_list(
                "user_id", "role", "group__code", "administration"
            )
        ),
        tuple(Profile.objects.order_by("user_id").values_list("user_id", "administration")),
        MembershipChange.objects.count(),
    )


def upload_and_apply(officer, conference, data: bytes, name="list.csv", invite=False):
    upload = read_registration_list(officer, conference, name, data)
    return apply_registration_list(officer, upload.pk, invite=invite)


def test_a_first_list_makes_every_account_with_its_role_group_and_registration(world):
    conference, officer = world
    upload = read_registration_list(officer, conference, "list.csv", csv_bytes(ROWS))
    seen = preview(upload)
    assert seen.counts == {"created": 5, "updated": 0, "unchanged": 0, "refused": 0}
    assert User.objects.count() == 1  # a preview changes nothing
    result = apply_registration_list(officer, upload.pk, invite=False)
    assert result.counts["created"] == 5
    amina = User.objects.get(email="amina@example.org")
    assert amina.get_full_name() == "Amina Diallo" and not amina.has_usable_password()
    assert amina.profile.administration == "Senegal"
    assert set(amina.groups.values_list("name", flat=True)) == {DELEGATES}
    assert list(amina.regional_groups.values_list("code", flat=True)) == ["ATU"]
    carlos = User.objects.get(email="carlos@example.org")
    assert set(carlos.groups.values_list("name", flat=True)) == {COORDINATORS}
    assert set(User.objects.get(email="sam@itu.int").groups.values_list("name", flat=True)) == {SECRETARIAT}
    nora = User.objects.get(email="nora@example.org")
    assert (
        set(nora.groups.values_list("name", flat=True)) == {OBSERVERS} and not nora.regional_groups.exists()
    )
    assert Registration.objects.filter(conference=conference).count() == 5
    assert set(
        MembershipChange.objects.filter(via="registration list").values_list(
            "member__email", "group__code", "action"
        )
    ) == {
        ("amina@example.org", "ATU", "added"),
        ("carlos@example.org", "CITEL", "added"),
        ("carlos@example.org", "CITEL", "made coordinator"),
        ("olga@example.org", "RCC", "added"),
    }
    assert not RegistrationUpload.objects.exists()


def test_the_same_list_again_changes_nothing(world):
    conference, officer = world
    upload_and_apply(officer, conference, csv_bytes(ROWS))
    before = state()
    again = read_registration_list(officer, conference, "list.csv", csv_bytes(ROWS))
    assert preview(again).counts == {"created": 0, "updated": 0, "unchanged": 5, "refused": 0}
    assert apply_registration_list(officer, again.pk).counts["unchanged"] == 5
    assert state() == before
    # The XLSX of the same list is the same list.
    assert upload_and_apply(officer, conference, xlsx_bytes(ROWS), "list.xlsx").counts["unchanged"] == 5
    assert state() == before


def test_an_xlsx_list_reads_as_its_csv(world):
    conference, officer = world
    rows = [*ROWS, ["Chen Wei", "chen@example.org", 42, "APT?", "delegate"]]
    from_csv = preview(read_registration_list(officer, conference, "l.csv", csv_bytes(rows)))
    from_xlsx = preview(read_registration_list(officer, conference, "l.xlsx", xlsx_bytes(rows)))
    assert [(r.number, r.email, r.status, r.reason, r.administration) for r in from_csv.rows] == [
        (r.number, r.email, r.status, r.reason, r.administration) for r in from_xlsx.rows
    ]
    assert from_xlsx.rows[-1].reason == "unknown regional group “APT?”"


def test_a_changed_row_updates_the_account_and_says_what_changed(world):
    conference, officer = world
    upload_and_apply(officer, conference, csv_bytes(ROWS))
    changed = [list(r) for r in ROWS]
    changed[0] = [
        "Amina Diallo Sow",
        "AMINA@example.org",
        "Senegal",
        "ASMG" if False else "CEPT",
        "coordinator",
    ]
    upload = read_registration_list(officer, conference, "list.csv", csv_bytes(changed))
    seen = preview(upload)
    assert seen.counts == {"created": 0, "updated": 1, "unchanged": 4, "refused": 0}
    (row,) = seen.with_status("updated")
    assert row.changes == [
        "name: Amina Diallo → Amina Diallo Sow",
        "role: delegate → coordinator",
        "regional group: ATU → CEPT",
    ]
    apply_registration_list(officer, upload.pk)
    amina = User.objects.get(email="amina@example.org")
    assert amina.get_full_name() == "Amina Diallo Sow"
    assert set(amina.groups.values_list("name", flat=True)) == {COORDINATORS}
    assert list(amina.regional_groups.values_list("code", flat=True)) == ["CEPT"]
    assert set(MembershipChange.objects.filter(member=amina).values_list("group__code", "action")) >= {
        ("ATU", "removed"),
        ("CEPT", "added"),
        ("CEPT", "made coordinator"),
    }


REFUSALS = [
    (
        ["No Group", "nogroup@example.org", "Kenya", "Atlantis Union", "delegate"],
        "unknown regional group “Atlantis Union”",
    ),
    (
        ["Bad Mail", "bad-mail.example.org", "Kenya", "ATU", "delegate"],
        "bad e-mail address “bad-mail.example.org”",
    ),
    (["Bad Mail 2", "two@@example.org", "Kenya", "ATU", "delegate"], "bad e-mail address “two@@example.org”"),
    (
        ["Twice", "Amina@Example.org", "Kenya", "ATU", "delegate"],
        "duplicate: the same e-mail address as row 2",
    ),
    (
        ["Who", "who@example.org", "Kenya", "ATU", "minister"],
        "unknown role “minister” (delegate, coordinator, secretariat or observer)",
    ),
    (["", "noname@example.org", "Kenya", "ATU", "delegate"], "no name"),
    (
        ["Lone", "lone@example.org", "Kenya", "", "delegate"],
        "a delegate or coordinator needs a regional group",
    ),
    (["No Role", "norole@example.org", "Kenya", "ATU", ""], "no role"),
    (["No Mail", "", "Kenya", "ATU", "delegate"], "no e-mail address"),
    (
        ["Ctrl\x07Char", "ctrl@example.org", "Kenya", "ATU", "delegate"],
        "a cell holds control characters (often copied from another program)",
    ),
    (
        ["Long " + "x" * 400, "long@example.org", "Kenya", "ATU", "delegate"],
        "a cell is 405 characters long (at most 300)",
    ),
]


def test_every_refused_row_says_why_and_the_others_go_through(world):
    conference, officer = world
    rows = [ROWS[0], *[row for row, _ in REFUSALS]]
    upload = read_registration_list(officer, conference, "list.csv", csv_bytes(rows))
    seen = preview(upload)
    refused = seen.with_status("refused")
    assert [r.reason for r in refused] == [reason for _, reason in REFUSALS]
    assert [r.number for r in refused] == list(range(3, 3 + len(REFUSALS)))
    result = apply_registration_list(officer, upload.pk)
    assert result.counts == {"created": 1, "updated": 0, "unchanged": 0, "refused": len(REFUSALS)}
    assert set(User.objects.values_list("email", flat=True)) == {"", "amina@example.org"}


def test_an_administrators_account_is_not_changed_by_the_list(world):
    conference, officer = world
    admin = User.objects.create_superuser("root", "root@example.org", "pw")
    upload = read_registration_list(
        officer, conference, "l.csv", csv_bytes([["Root", "root@example.org", "", "ATU", "delegate"]])
    )
    (row,) = preview(upload).rows
    assert row.status == "refused" and "administrator" in row.reason
    apply_registration_list(officer, upload.pk)
    assert not admin.regional_groups.exists()


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("empty.csv", b"", "The file is empty"),
        ("l.csv", b"Foo,Bar\n1,2\n", "no column for: name, e-mail, role"),
        ("l.csv", csv_bytes([]), "no person in it"),
        ("l.xls", b"\xd0\xcf\x11\xe0 old excel", "Only CSV and .xlsx"),
        ("l.xlsx", b"PK\x03\x04 not really a zip", "not an Excel .xlsx file"),
        ("l.csv", b"Name,E-mail,Role\x00\n", "not a text (CSV) file"),
    ],
)
def test_a_file_that_is_no_list_is_refused_with_a_message_and_nothing_kept(world, name, data, message):
    conference, officer = world
    with pytest.raises(DomainError) as refused:
        read_registration_list(officer, conference, name, data)
    assert message in refused.value.message
    assert not RegistrationUpload.objects.exists()


def test_the_list_is_bounded_in_rows_and_bytes(world, settings):
    conference, officer = world
    settings.REGISTRATION_MAX_ROWS = 3
    with pytest.raises(DomainError, match="more than 3 people"):
        read_registration_list(officer, conference, "l.csv", csv_bytes(ROWS))
    settings.REGISTRATION_MAX_BYTES = 100
    with pytest.raises(DomainError) as refused:
        read_registration_list(officer, conference, "l.csv", csv_bytes(ROWS[:2]))
    assert refused.value.status == 413


def _bomb_xlsx() -> bytes:
    """A well-formed .xlsx whose sheet inflates a thousand times over."""
    out = io.BytesIO()
    real = zipfile.ZipFile(io.BytesIO(xlsx_bytes(ROWS)))
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        for info in real.infolist():
            data = real.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</sheetData>", b"<!--" + b" " * 20_000_000 + b"--></sheetData>")
            bomb.writestr(info.filename, data)
    return out.getvalue()


def _dtd_xlsx() -> bytes:
    out = io.BytesIO()
    real = zipfile.ZipFile(io.BytesIO(xlsx_bytes(ROWS)))
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as evil:
        for info in real.infolist():
            data = real.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                # After a long comment, where a look at the start alone would miss it.
                data = b"<!--" + b" " * 10_000 + b'--><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>' + data
            evil.writestr(info.filename, data)
    return out.getvalue()


def test_a_hostile_xlsx_is_refused_before_it_is_inflated_or_parsed(world):
    conference, officer = world
    with pytest.raises(DomainError, match="inflates far more than a spreadsheet"):
        read_registration_list(officer, conference, "bomb.xlsx", _bomb_xlsx())
    with pytest.raises(DomainError, match="declares a DTD"):
        read_registration_list(officer, conference, "dtd.xlsx", _dtd_xlsx())
    assert not RegistrationUpload.objects.exists()


def test_semicolons_and_excels_code_page_are_read(world):
    conference, officer = world
    data = csv_bytes([["José Núñez", "jose@example.org", "España", "CEPT", "Delegate"]], delimiter=";")
    upload = read_registration_list(officer, conference, "l.csv", data.decode().encode("cp1252"))
    (row,) = preview(upload).rows
    assert (row.status, row.name, row.administration) == ("created", "José Núñez", "España")


def test_new_accounts_are_invited_with_a_one_time_link_to_choose_a_password(
    world, django_capture_on_commit_callbacks
):
    conference, officer = world
    with django_capture_on_commit_callbacks(execute=True):
        upload_and_apply(officer, conference, csv_bytes(ROWS[:2]), invite=True)
    assert sorted(m.to[0] for m in mail.outbox) == ["amina@example.org", "carlos@example.org"]
    message = next(m for m in mail.outbox if m.to == ["amina@example.org"])
    link = re.search(r"http://127\.0\.0\.1:8000(/accounts/invitation/\S+)", message.body).group(1)
    client = Client()
    page = client.get(link, follow=True)
    assert "choose your password" in page.content.decode()
    set_url = page.redirect_chain[-1][0]
    answer = client.post(
        set_url, {"new_password1": "A-long-passphrase-9", "new_password2": "A-long-passphrase-9"}
    )
    assert answer.status_code == 302 and answer["Location"] == "/home/"
    assert int(client.session["_auth_user_id"]) == User.objects.get(email="amina@example.org").pk
    assert User.objects.get(email="amina@example.org").check_password("A-long-passphrase-9")
    # The link is spent.
    again = Client().get(link, follow=True)
    assert "no longer works" in again.content.decode()
    assert Profile.objects.get(user__email="amina@example.org").invited_at is not None


def test_with_single_sign_on_the_invitation_says_how_to_log_in_instead(
    world, settings, django_capture_on_commit_callbacks
):
    settings.SSO_ENABLED = True
    settings.OIDC_DISCOVERY_URL = "http://127.0.0.1:9/.well-known/openid-configuration"
    settings.OIDC_PROVIDER_NAME = "ITU account"
    conference, officer = world
    with django_capture_on_commit_callbacks(execute=True):
        upload_and_apply(officer, conference, csv_bytes(ROWS[:1]), invite=True)
    (message,) = mail.outbox
    assert "Log in with ITU account" in message.body and "/accounts/invitation/" not in message.body


def test_a_past_conferences_accounts_are_closed_in_one_step_and_never_deleted(world):
    conference, officer = world
    upload_and_apply(officer, conference, csv_bytes(ROWS))
    body = conference.body
    next_one = Conference.objects.create(body=body, code="WTSA-28", place="Geneva", year=2028)
    upload_and_apply(officer, next_one, csv_bytes([ROWS[1]]))  # Carlos comes again
    count = User.objects.count()
    logged_in = Client()
    logged_in.force_login(User.objects.get(email="amina@example.org"))
    assert logged_in.get("/contributions/").status_code == 200
    closed = deactivate_conference_accounts(officer, conference)
    assert closed == 4
    # A closed account's open session ends with it.
    assert logged_in.get("/contributions/").status_code == 302
    assert User.objects.count() == count
    assert set(User.objects.filter(is_active=False).values_list("email", flat=True)) == {
        "amina@example.org",
        "olga@example.org",
        "sam@itu.int",
        "nora@example.org",
    }
    assert User.objects.get(email="carlos@example.org").is_active and officer.is_active
    # Registering again reopens the account.
    upload = read_registration_list(officer, next_one, "l.csv", csv_bytes([ROWS[0]]))
    (row,) = preview(upload).rows
    assert row.status == "updated" and "account reopened" in row.changes
    apply_registration_list(officer, upload.pk)
    assert User.objects.get(email="amina@example.org").is_active


def test_only_the_secretariat_reads_or_applies_a_list(world):
    conference, officer = world
    delegate = person("d", DELEGATES, group("ATU"))
    with pytest.raises(DomainError) as refused:
        read_registration_list(delegate, conference, "l.csv", csv_bytes(ROWS))
    assert refused.value.status == 403
    upload = read_registration_list(officer, conference, "l.csv", csv_bytes(ROWS))
    with pytest.raises(DomainError):
        apply_registration_list(delegate, upload.pk)
    with pytest.raises(DomainError):
        deactivate_conference_accounts(delegate, conference)
    client = Client()
    client.force_login(delegate)
    assert client.get("/people/registration/").status_code == 403
    assert client.get(f"/people/registration/{upload.pk}/").status_code == 403
    assert client.post(f"/people/registration/{upload.pk}/apply/").status_code == 403
    assert client.post(f"/people/conferences/{conference.pk}/close/", {"confirm": "1"}).status_code == 403
    assert User.objects.count() == 2


def test_the_pages_upload_preview_and_apply(world, django_capture_on_commit_callbacks):
    conference, officer = world
    client = Client()
    client.force_login(officer)
    assert "Registration list" in client.get("/people/registration/").content.decode()
    rows = [*ROWS, ["Bad", "nope", "", "ATU", "delegate"]]
    answer = client.post(
        "/people/registration/",
        {"conference": conference.pk, "file": _file("list.csv", csv_bytes(rows))},
    )
    assert answer.status_code == 302
    page = client.get(answer["Location"]).content.decode()
    assert "5 accounts to make" in page and "1 row refused" in page and "bad e-mail address" in page
    upload = RegistrationUpload.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(f"/people/registration/{upload.pk}/apply/", {"invite": "1"})
    assert done.status_code == 200
    assert "5 accounts made" in done.content.decode()
    assert len(mail.outbox) == 5
    # Applying the same preview twice (a double click) changes nothing more.
    again = client.post(f"/people/registration/{upload.pk}/apply/", {"invite": "1"}, follow=True)
    assert "applied or dropped already" in again.content.decode()
    assert len(mail.outbox) == 5


def test_a_bad_upload_answers_with_the_form_and_the_reason(world):
    conference, officer = world
    client = Client()
    client.force_login(officer)
    answer = client.post(
        "/people/registration/", {"conference": conference.pk, "file": _file("l.csv", b"a,b\n")}
    )
    assert answer.status_code == 400
    assert "no column for" in answer.content.decode()


def _file(name: str, data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def test_the_admin_shows_profiles_registrations_and_the_membership_record_read_only(world):
    conference, officer = world
    upload_and_apply(officer, conference, csv_bytes(ROWS))
    client = Client()
    client.force_login(User.objects.create_superuser("root", "root@example.org", "pw"))
    for model in ("profile", "registration", "membershipchange"):
        page = client.get(f"/admin/drafting/{model}/")
        assert page.status_code == 200, model
    assert "amina@example.org" in client.get("/admin/drafting/registration/").content.decode()
    assert client.get("/admin/drafting/membershipchange/add/").status_code == 403


# --- any list: reading it twice changes nothing the second time, and the preview tells what applying does ---


_names = st.text(st.characters(codec="utf-8", categories=["L", "Zs", "Pd"]), min_size=0, max_size=20)
_local = st.sampled_from(["amina", "Amina", "carlos", "olga", "x.y", "bad@", "", "chen+wtsa"])
_row = st.tuples(
    _names,
    st.builds(
        lambda local, domain: f"{local}@{domain}" if domain else local,
        _local,
        st.sampled_from(["example.org", "EXAMPLE.org", ""]),
    ),
    st.sampled_from(["", "Senegal", "Mexico"]),
    st.sampled_from(["", "ATU", "atu", "IAP", "CEPT", "Atlantis"]),
    st.sampled_from(["delegate", "Coordinator", "observer", "secretariat", "minister", ""]),
)


@hsettings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first=st.lists(_row, max_size=8), second=st.lists(_row, max_size=8), as_xlsx=st.booleans())
def test_any_list_previews_what_it_applies_and_applies_once(world, first, second, as_xlsx):
    from django.db import transaction

    conference, officer = world
    encode = (
        (lambda rows: (xlsx_bytes(rows), "l.xlsx")) if as_xlsx else (lambda rows: (csv_bytes(rows), "l.csv"))
    )
    with transaction.atomic():
        for rows in (first, second):
            data, name = encode([list(r) for r in rows])
            try:
                upload = read_registration_list(officer, conference, name, data)
            except DomainError as refused:
                assert "no person in it" in refused.message  # only a list with no row is refused whole
                continue
            seen = preview(upload).counts
            done = apply_registration_list(officer, upload.pk).counts
            assert done == seen
            # Every usable row has its account, with the list's group and role, and no address twice.
            emails = list(User.objects.exclude(email="").values_list("email", flat=True))
            assert len(emails) == len({e.lower() for e in emails})
            before = state()
            again = read_registration_list(officer, conference, name, data)
            counts = preview(again).counts
            assert counts["created"] == counts["updated"] == 0
            apply_registration_list(officer, again.pk)
            assert state() == before
        transaction.set_rollback(True)
