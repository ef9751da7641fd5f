"""Demo logins, one per role, for a newcomer's first run. Later apps add their own demo data."""

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction

from provinces.choices import Role
from provinces.models import Cluster, Province, UserScope

# username → (role, province code, cluster code, first name, last name)
DEMO_USERS = {
    "planner": (Role.PLANNER, "TH-50", None, "สมศรี", "ใจดี"),
    "secretariat": (Role.SECRETARIAT, None, "N-UP1", "ประเสริฐ", "รักถิ่น"),
    "advisor": (Role.ADVISOR, None, None, "วิชัย", "มั่นคง"),
    "admin": (Role.ADMIN, None, None, "ผู้ดูแล", "ระบบ"),
}
# Demo mail goes to a reserved domain (RFC 2606): in the embedded default it lands in var/mail/ anyway.
DEMO_EMAIL_DOMAIN = "example.org"


@transaction.atomic
def demo_users_load() -> list[tuple[str, Role, str]]:
    """Create the demo logins if missing (never resets a changed password). Returns (username, role, unit)."""
    rows = []
    for username, (role, province_code, cluster_code, first, last) in DEMO_USERS.items():
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@{DEMO_EMAIL_DOMAIN}",
                "is_staff": role == Role.ADMIN,
                "is_superuser": role == Role.ADMIN,
            },
        )
        if created:
            user.set_password(settings.DEMO_PASSWORD)
            user.save()
        elif not user.email:  # demo logins made before they had addresses
            user.email = f"{username}@{DEMO_EMAIL_DOMAIN}"
            user.save(update_fields=["email"])
        province = Province.objects.get(code=province_code) if province_code else None
        cluster = Cluster.objects.get(code=cluster_code) if cluster_code else None
        UserScope.objects.update_or_create(
            user=user, defaults={"role": role, "province": province, "cluster": cluster}
        )
        rows.append((username, role, (province or cluster or "").__str__()))
    return rows
