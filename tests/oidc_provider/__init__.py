"""A real OpenID Connect provider for the sign-in tests: a small Django project on django-oauth-toolkit, started as
a subprocess by tests/accounts/conftest.py (serve.py), with its own settings and an SQLite file in a temporary
folder. It stands for a government identity service: a login form, authorization code flow with PKCE required,
RS256-signed ID tokens, discovery, userinfo and RP-initiated logout."""
