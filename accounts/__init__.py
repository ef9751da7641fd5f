"""Sign-in with government accounts (OpenID Connect) and the login page: who may sign in, and how."""
