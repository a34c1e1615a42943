"""pkcecheck_serve: set up the test site's database, then serve it.

It migrates the (fresh) SQLite database, creates the one user and the three
applications pkcecheck's profile names, and runs Django's development server
on the address given, without the autoreloader (one process, stopped by its
PID), serving the static files too. The confidential application's secret and the user's password come
from the environment (PKCECHECK_DJANGO_CONFIDENTIAL_SECRET,
PKCECHECK_DJANGO_PASSWORD), never from the command line.
"""
import os

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand
from oauth2_provider.models import get_application_model

REDIRECT_URI = "http://127.0.0.1:8765/callback"
USERNAME = "alice"


class Command(BaseCommand):
    help = "Create the pkcecheck user and applications, then serve on ADDRPORT."

    def add_arguments(self, parser):
        parser.add_argument("addrport", help="e.g. 127.0.0.1:8000")

    def handle(self, *args, addrport, **options):
        call_command("migrate", interactive=False, verbosity=0)
        self.setup(os.environ["PKCECHECK_DJANGO_PASSWORD"], os.environ["PKCECHECK_DJANGO_CONFIDENTIAL_SECRET"])
        # insecure_serving: staticfiles' runserver serves the stylesheets
        # with DEBUG off (what a deployed site's web server would do).
        call_command("runserver", addrport, use_reloader=False, skip_checks=True, insecure_serving=True)

    def setup(self, password, secret):
        # The admin's login form only lets staff in.
        user = get_user_model().objects.create_user(
            USERNAME, email="alice@example.com", password=password, is_staff=True
        )
        Application = get_application_model()
        common = dict(
            user=user,
            authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
            redirect_uris=REDIRECT_URI,
            algorithm=Application.RS256_ALGORITHM,
            skip_authorization=False,
        )
        Application.objects.create(
            client_id="django-public", name="pkcecheck public", client_type=Application.CLIENT_PUBLIC, **common
        )
        Application.objects.create(
            client_id="django-confidential",
            name="pkcecheck confidential",
            client_type=Application.CLIENT_CONFIDENTIAL,
            client_secret=secret,
            **common,
        )
        Application.objects.create(
            client_id="django-other", name="pkcecheck other", client_type=Application.CLIENT_PUBLIC, **common
        )
