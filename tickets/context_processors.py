"""The header every page shows: the counters and the current group (the menu tag draws the
menu)."""

from django.utils.functional import SimpleLazyObject

from .queues import header_counters


def helpdesk(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or request.path.startswith("/admin/"):
        return {}
    return {
        # Lazy: a page that counts its own totals passes the counters with them (one round
        # trip), and this query is then never made.
        "counters": SimpleLazyObject(lambda: header_counters(user)),
        "current_group": user.home_group(),
    }
