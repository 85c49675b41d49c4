"""The header every page shows: the counters, the current group and the menu."""

from .queues import QUEUES, header_counters


def helpdesk(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or request.path.startswith("/admin/"):
        return {}
    return {
        "counters": header_counters(user),
        "current_group": user.home_group(),
        "menu_queues": QUEUES,
    }
