"""The OpenAPI schema's view of errors: every operation documents what it can answer besides 200, so that a
schema-driven client (or a fuzzer such as schemathesis) meets no undocumented status."""

from drf_spectacular import openapi
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(
        help_text="Why, in the user's language (Thai unless English is asked for)."
    )


# A 400 names each bad query parameter with its messages (DRF's validation error), e.g. {"page": ["..."]}.
BAD_PARAMETERS = {
    "type": "object",
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
    "description": "Each malformed query parameter with its messages.",
}


class AutoSchema(openapi.AutoSchema):
    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        error = {"application/json": {"schema": self.resolve_serializer(ErrorSerializer, "response").ref}}
        responses = operation.setdefault("responses", {})
        if any(p.get("in") == "query" for p in operation.get("parameters", [])):
            responses.setdefault(
                "400",
                {
                    "description": "A malformed query parameter (a number out of its bounds, an unknown code).",
                    "content": {"application/json": {"schema": BAD_PARAMETERS}},
                },
            )
        responses.setdefault(
            "401",
            {"description": "No or an unknown token (header `WWW-Authenticate: Token`).", "content": error},
        )
        responses.setdefault(
            "403",
            {"description": "An account without a role, or figures it may not see.", "content": error},
        )
        responses.setdefault(
            "404",
            {"description": "Unknown, outside your scope, or a page past the last.", "content": error},
        )
        return operation
