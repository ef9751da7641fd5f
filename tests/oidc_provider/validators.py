"""The claims the provider puts in ID tokens and userinfo: the address and whether it is verified."""

from oauth2_provider.oauth2_validators import OAuth2Validator

from .users import USERS


class ClaimsValidator(OAuth2Validator):
    oidc_claim_scope = {**OAuth2Validator.oidc_claim_scope, "email_verified": "email"}

    def get_additional_claims(self, request):
        user = USERS.get(request.user.username, {})
        return {
            "email": user.get("email", request.user.email),
            "email_verified": user.get("verified", False),
            "given_name": user.get("given_name", ""),
            "family_name": user.get("family_name", ""),
            "preferred_username": request.user.username,
        }
