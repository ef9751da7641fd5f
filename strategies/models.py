"""Models of this app arrive with its issue; the app is registered so that URLs and migrations have a home."""
