"""The provider's accounts. ``verified`` is the email_verified claim the provider gives for the address."""

PASSWORD = "gov-pass-2570"

USERS = {
    # A civil servant with no account in the planner yet: signs in and gets one, without a role.
    "somying": {
        "email": "somying.r@example.go.th",
        "verified": True,
        "given_name": "สมหญิง",
        "family_name": "รักชาติ",
    },
    # Her address is not verified by the provider: it may not be matched to anything.
    "unverified": {
        "email": "unverified@example.go.th",
        "verified": False,
        "given_name": "ยังไม่",
        "family_name": "ยืนยัน",
    },
    # The tests give two planner accounts this address: it then names no one.
    "shared": {"email": "shared@example.go.th", "verified": True, "given_name": "ร่วม", "family_name": "ใช้"},
    # The tests give an existing planner this address: the first sign-in links the two.
    "known": {
        "email": "known.planner@example.go.th",
        "verified": True,
        "given_name": "สมศรี",
        "family_name": "ใจดี",
    },
}

CLIENT_ID = "planner-test-client"
CLIENT_SECRET = "planner-test-secret-not-secret"
