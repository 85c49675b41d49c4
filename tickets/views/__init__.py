"""Views, one module per area: queues and the homepage, one incident, JSON for the form."""
