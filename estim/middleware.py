"""Request checks that apply to every page, Django admin included."""

from django.core.exceptions import BadRequest


def _holds_nul(params) -> bool:
    return any(
        "\x00" in key or any("\x00" in value for value in values) for key, values in params.lists()
    )


class RefuseNullCharactersMiddleware:
    """Answer 400 to a request with a NUL character in its path or its parameters.

    No one types a NUL, but a crafted address such as /incidents/INC%00/ or ?q=%00 would reach
    a query, and PostgreSQL refuses NUL in text with an error: a server error instead of an
    answer. Forms already say "Null characters are not allowed" beside the field; this covers
    addresses, query parameters and posted values no form checks (list selections, look-ups).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or _holds_nul(request.GET):
            raise BadRequest("NUL character in the request")
        if request.method == "POST" and _holds_nul(request.POST):
            raise BadRequest("NUL character in the request")
        return self.get_response(request)
