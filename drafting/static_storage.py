"""The static files in production: which are collected, and their storage (hashed names, gzip and Brotli
copies, built in seconds).

whitenoise's ``CompressedManifestStaticFilesStorage`` compresses every file with Brotli at its
best quality: 3.3 s of CPU for the API docs' Swagger bundle alone (1.5 MB), at every build. Files
past ``BROTLI_BEST_BELOW`` bytes get a quicker quality, a few per cent bigger and a hundred times
faster; the pages' own files (tens of kilobytes) keep the best.
"""

from __future__ import annotations

import brotli
from django.contrib.staticfiles.apps import StaticFilesConfig as BaseStaticFilesConfig
from whitenoise.compress import Compressor
from whitenoise.storage import CompressedManifestStaticFilesStorage

BROTLI_BEST_BELOW = 128 * 1024


class QuickCompressor(Compressor):
    @staticmethod
    def compress_brotli(data: bytes) -> bytes:
        return brotli.compress(data, quality=11 if len(data) < BROTLI_BEST_BELOW else 5)


class StaticStorage(CompressedManifestStaticFilesStorage):
    def create_compressor(self, **kwargs) -> Compressor:
        return QuickCompressor(**kwargs)


class StaticFilesConfig(BaseStaticFilesConfig):
    """Django's static files, without what the libraries ship and no page of the tool loads: the htmx
    versions and extensions it does not use (django-htmx ships htmx 2 and 4, each plain and minified),
    ReDoc beside the Swagger UI the API docs show, the admin's unminified libraries. Less for collectstatic to hash and compress at
    every build (the image, ``./dev run``, the load test)."""

    ignore_patterns = [
        *BaseStaticFilesConfig.ignore_patterns,
        "django_htmx/htmx-4*",
        "django_htmx/htmax-*",
        "django_htmx/htmx-2.js",
        "django_htmx/ext/*",
        "ninja/redoc*",
        # The admin loads these only with DEBUG on (then from the apps' folders), the .min ones otherwise.
        "admin/js/vendor/jquery/jquery.js",
        "admin/js/vendor/xregexp/xregexp.js",
        "admin/js/vendor/select2/select2.full.js",
    ]
