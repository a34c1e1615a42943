"""Settings of the pkcecheck test site: django-oauth-toolkit (DOT) as an
OpenID Connect provider with its defaults, behind Django's admin login page.

Everything that differs between starts comes from the environment, which
e2e/providers/django sets: PKCECHECK_DJANGO_DIR (a fresh folder holding the
SQLite database and the OIDC signing key) and PKCECHECK_DJANGO_SECRET_KEY
(Django's own signing key, random per start).
"""
import os
from pathlib import Path

STATE_DIR = Path(os.environ["PKCECHECK_DJANGO_DIR"])
SECRET_KEY = os.environ["PKCECHECK_DJANGO_SECRET_KEY"]

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # Serves the admin's and DOT's stylesheets (runserver --insecure), so
    # the pages look as on a deployed site.
    "django.contrib.staticfiles",
    "oauth2_provider",
    "pkcesite",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "pkcesite.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": STATE_DIR / "db.sqlite3",
        # Concurrent token requests (pkcecheck's races) wait for the write
        # lock instead of failing at once.
        "OPTIONS": {"timeout": 20},
    }
}

# DOT's tutorial setup: the admin's login page is the login page.
LOGIN_URL = "/admin/login/"

USE_TZ = True
TIME_ZONE = "UTC"
STATIC_URL = "static/"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# DOT with its defaults (PKCE_REQUIRED True, REQUEST_APPROVAL_PROMPT "force",
# the COMPLIANT_BCP_RFC9700_* gates off), plus OpenID Connect so that it
# serves a discovery document.
OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_RSA_PRIVATE_KEY": (STATE_DIR / "oidc-key.pem").read_text(),
    "SCOPES": {"openid": "OpenID Connect", "read": "Reading scope", "write": "Writing scope"},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
