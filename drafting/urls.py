from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from drafting.api import api
from drafting.views import imports, library

urlpatterns = [
    path("", library.resolution_list, name="resolution_list"),
    path("healthz", library.healthz, name="healthz"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("library/import/", imports.import_upload, name="import_upload"),
    path("library/import/confirm/", imports.import_confirm, name="import_confirm"),
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
