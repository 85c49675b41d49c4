"""The health check a load balancer polls: is this process up and can it reach the database?"""

import logging

from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


@never_cache
@require_safe
def health(request):
    """200 {"status": "ok"} when a trivial query succeeds, 503 {"status": "unavailable"} if not.

    No login, no session and no HTTPS redirect (SECURE_REDIRECT_EXEMPT), so a load balancer can
    poll it over plain http.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("Health check: the database did not answer.")
        return JsonResponse({"status": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})
