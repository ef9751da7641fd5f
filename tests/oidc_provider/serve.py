"""Start the test provider: ``python -m tests.oidc_provider.serve PORT`` with OIDC_PROVIDER_DB and
OIDC_PROVIDER_KEY (a PEM file; made here when missing) in the environment. Migrates, creates the users of
users.py and the planner's confidential client (PKCE required), then serves until it is stopped."""

import os
import sys
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa


def _make_key(path: Path) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )


def main(port: int) -> None:
    key = Path(os.environ["OIDC_PROVIDER_KEY"])
    if not key.exists():
        _make_key(key)
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.oidc_provider.settings"
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from oauth2_provider.models import Application

    from .users import CLIENT_ID, CLIENT_SECRET, PASSWORD, USERS

    call_command("migrate", verbosity=0)
    for username, data in USERS.items():
        if not User.objects.filter(username=username).exists():
            User.objects.create_user(username, email=data["email"], password=PASSWORD)
    Application.objects.get_or_create(
        client_id=CLIENT_ID,
        defaults={
            "name": "ASEAN Readiness Planner",
            "client_secret": CLIENT_SECRET,
            "client_type": Application.CLIENT_CONFIDENTIAL,
            "authorization_grant_type": Application.GRANT_AUTHORIZATION_CODE,
            "algorithm": Application.RS256_ALGORITHM,
            "skip_authorization": True,
            "redirect_uris": "http://testserver/accounts/oidc/callback/ http://localhost/accounts/oidc/callback/",
            "post_logout_redirect_uris": "http://testserver/accounts/login/ http://localhost/accounts/login/",
        },
    )
    call_command("runserver", f"127.0.0.1:{port}", use_reloader=False, use_threading=True, skip_checks=True)


if __name__ == "__main__":
    main(int(sys.argv[1]))
