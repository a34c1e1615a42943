#!/usr/bin/env python3
"""Django's command-line utility for the pkcecheck test site.

The tests run `python manage.py pkcecheck_serve 127.0.0.1:PORT`: it creates
the database, the user and the three applications, then serves.
"""
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pkcesite.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
