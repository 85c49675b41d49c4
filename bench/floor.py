"""The floor: a minimal page behind a login that renders 50 rows from one indexed query."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.template import engines

from tickets.models import Ticket

TEMPLATE = engines["django"].from_string(
    "<!doctype html><title>floor</title><table>{% for number, text, status in rows %}"
    "<tr><td>{{ number }}</td><td>{{ text }}</td><td>{{ status }}</td></tr>{% endfor %}</table>"
)


@login_required
def floor(request):
    rows = Ticket.objects.order_by("-opened_at").values_list(
        "number", "short_description", "status"
    )[:50]
    # No request context: the product's context processors (header counters) stay out of it.
    return HttpResponse(TEMPLATE.render({"rows": rows}))
