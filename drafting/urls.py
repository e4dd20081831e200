from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import urls as auth_urls
from django.urls import include, path

from drafting.api import api
from drafting.throttling import ThrottledPasswordResetView
from drafting.views import (
    account,
    amendments,
    api_reference,
    citations,
    consolidation,
    contributions,
    imports,
    language,
    library,
    live,
    notifications,
    people,
    projector,
    since,
    sso,
    undo,
    word,
)
from drafting.views.home import home

# Password reset mails a link: without an e-mail server (EMAIL_HOST) it is not offered at all,
# rather than failing on a refused connection. The secretariat resets passwords in the admin.
# Its mails are counted per address and per recipient (drafting.throttling).
account_patterns = [
    path("password_reset/", ThrottledPasswordResetView.as_view(), name="password_reset")
    if p.name == "password_reset"
    else p
    for p in auth_urls.urlpatterns
    if (settings.PASSWORD_RESET_BY_EMAIL or not p.name.startswith("password_reset"))
    and p.name not in ("login", "logout")
]

urlpatterns = [
    path("", library.resolution_list, name="resolution_list"),
    path("healthz", library.healthz, name="healthz"),
    path("language/", language.set_language, name="set_language"),
    path("jsi18n/<str:language>.js", language.javascript_catalog, name="javascript_catalog"),
    path("home/", home, name="home"),
    path("accounts/login/", account.Login.as_view(), name="login"),
    path("accounts/logout/", sso.logout_view, name="logout"),
    path("accounts/sso/", sso.sso_login, name="sso_login"),
    path("accounts/sso/callback/", sso.sso_callback, name="sso_callback"),
    path("accounts/invitation/<uidb64>/<token>/", sso.invitation_accept, name="invitation_accept"),
    path("accounts/", include(account_patterns)),
    path("admin/", admin.site.urls),
    path("api/", api_reference.api_reference, name="api_reference"),
    path("api/", api.urls),
    path("account/tokens/", account.api_tokens, name="api_tokens"),
    path("live/events", live.live_events, name="live_events"),
    path("live/ticket", live.live_ticket, name="live_ticket"),
    path("live/presence", live.live_presence, name="live_presence"),
    path("live/citations", live.live_citations, name="live_citations"),
    path("live/proposals/<int:pk>/draft", live.live_draft, name="live_draft"),
    path("live/consolidations/<int:pk>/page", live.live_consolidation, name="live_consolidation"),
    path("notifications/", notifications.notification_list, name="notification_list"),
    path("notifications/bell/", notifications.notification_bell, name="notification_bell"),
    path("notifications/<int:pk>/", notifications.notification_open, name="notification_open"),
    path(
        "notifications/unsubscribe/<str:token>/", notifications.unsubscribe, name="notifications_unsubscribe"
    ),
    path("groups/", people.group_list, name="group_list"),
    path("groups/<str:code>/", people.group_detail, name="group_detail"),
    path("people/registration/", people.registration, name="registration"),
    path("people/registration/<int:pk>/", people.registration_preview, name="registration_preview"),
    path("people/registration/<int:pk>/apply/", people.registration_apply, name="registration_apply"),
    path("people/conferences/<int:pk>/close/", people.conference_accounts, name="conference_accounts"),
    path("library/import/", imports.import_upload, name="import_upload"),
    path("library/import/confirm/", imports.import_confirm, name="import_confirm"),
    path("citations/stale/", citations.stale_report, name="citations_stale"),
    path("citations/update/", citations.update_preview, name="citations_update"),
    path("citations/update/draft/", citations.update_apply, name="citations_update_apply"),
    path("proposals/<int:pk>/citations/", citations.editor_citations, name="editor_citations"),
    path("contributions/", contributions.contribution_list, name="contribution_list"),
    path("contributions/new/", contributions.contribution_new, name="contribution_new"),
    path("contributions/<int:pk>/", contributions.contribution_detail, name="contribution_detail"),
    path("contributions/<int:pk>/edit/", contributions.contribution_update, name="contribution_update"),
    path("contributions/<int:pk>/proposals/", contributions.proposal_new, name="proposal_new"),
    path("exports/", word.export_list, name="export_list"),
    path("exports/new/", word.export_request, name="export_request"),
    path("exports/<int:pk>/", word.export_detail, name="export_detail"),
    path("exports/<int:pk>/download/", word.export_download, name="export_download"),
    path("contributions/<int:pk>/import/", word.proposal_import, name="proposal_import"),
    path(
        "contributions/<int:pk>/import/confirm/", word.proposal_import_confirm, name="proposal_import_confirm"
    ),
    path(
        "contributions/<int:pk>/withdraw/", contributions.contribution_withdraw, name="contribution_withdraw"
    ),
    path("contributions/<int:pk>/revise/", contributions.contribution_revise, name="contribution_revise"),
    path("proposals/<int:pk>/text/", contributions.proposal_new_text, name="proposal_new_text"),
    path("proposals/<int:pk>/reasons/", contributions.proposal_reasons, name="proposal_reasons"),
    path("contributions/<int:pk>/submit/", contributions.contribution_submit, name="contribution_submit"),
    path("proposals/<int:pk>/", amendments.proposal_editor, name="proposal_editor"),
    path("proposals/<int:pk>/replace/", amendments.proposal_replace, name="proposal_replace"),
    path("proposals/<int:pk>/changes/", amendments.proposal_changes, name="proposal_changes"),
    path("proposals/<int:pk>/clauses/<uuid:key>/edit/", amendments.clause_edit, name="clause_edit"),
    path("proposals/<int:pk>/clauses/<uuid:key>/add/", amendments.clause_add, name="clause_add"),
    path(
        "proposals/<int:pk>/clauses/<uuid:key>/suppress/", amendments.clause_suppress, name="clause_suppress"
    ),
    path("proposals/<int:pk>/clauses/<uuid:key>/restore/", amendments.clause_restore, name="clause_restore"),
    path("proposals/<int:pk>/clauses/<uuid:key>/panel/", amendments.clause_panel, name="clause_panel"),
    path(
        "proposals/<int:pk>/clauses/<uuid:key>/restore-version/",
        amendments.clause_restore_version,
        name="clause_restore_version",
    ),
    path("proposals/<int:pk>/clauses/<uuid:key>/cancel/", amendments.clause_cancel, name="clause_cancel"),
    path("consolidations/", consolidation.consolidation_list, name="consolidation_list"),
    path(
        "consolidations/open/<int:conference>/<int:resolution>/",
        consolidation.consolidation_open,
        name="consolidation_open",
    ),
    path("consolidations/<int:pk>/", consolidation.consolidation_detail, name="consolidation_detail"),
    path("consolidations/<int:pk>/settle/", consolidation.consolidation_settle, name="consolidation_settle"),
    path(
        "consolidations/<int:pk>/settle-many/",
        consolidation.consolidation_settle_many,
        name="consolidation_settle_many",
    ),
    path("undo/<int:pk>/", undo.undo_action, name="undo_action"),
    path("proposals/<int:pk>/since/", since.proposal_since_view, name="proposal_since"),
    path("consolidations/<int:pk>/since/", since.consolidation_since_view, name="consolidation_since"),
    path("proposals/<int:pk>/comments/", amendments.proposal_comments, name="proposal_comments"),
    path("consolidations/<int:pk>/draft/", consolidation.consolidation_draft, name="consolidation_draft"),
    path(
        "consolidations/<int:pk>/projector/",
        projector.consolidation_projector,
        name="consolidation_projector",
    ),
    path("proposals/<int:pk>/projector/", projector.proposal_projector, name="proposal_projector"),
    path(
        "consolidations/<int:pk>/projector/point",
        projector.projector_point,
        {"kind": "consolidation"},
        name="consolidation_projector_point",
    ),
    path(
        "proposals/<int:pk>/projector/point",
        projector.projector_point,
        {"kind": "proposal"},
        name="proposal_projector_point",
    ),
    path("consolidations/<int:pk>/fates/", consolidation.consolidation_fates, name="consolidation_fates"),
    path("consolidations/<int:pk>/adopt/", consolidation.consolidation_adopt, name="consolidation_adopt"),
    path(
        "consolidations/<int:pk>/adoption/",
        consolidation.consolidation_adopt_confirm,
        name="consolidation_adopt_confirm",
    ),
    path("consolidations/<int:pk>/edition/", consolidation.consolidation_move, name="consolidation_move"),
    path("proposals/<int:pk>/rebase/", consolidation.proposal_rebase, name="proposal_rebase"),
    path(
        "proposals/<int:pk>/rebase/conflicts/<int:conflict>/settle/",
        consolidation.proposal_rebase_settle,
        name="proposal_rebase_settle",
    ),
    path("resolutions/<str:body>/<slug:slug>/", library.resolution_detail, name="resolution_detail"),
    path(
        "resolutions/<str:body>/<slug:slug>/latest/", library.latest_edition_redirect, name="latest_edition"
    ),
    path("resolutions/<str:body>/<slug:slug>/compare/", library.edition_compare, name="edition_compare"),
    path("resolutions/<str:body>/<slug:slug>/<slug:edition>/", library.edition_detail, name="edition_detail"),
    path(
        "resolutions/<str:body>/<slug:slug>/<slug:edition>/export.<str:fmt>",
        library.edition_export,
        name="edition_export",
    ),
]
