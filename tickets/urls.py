from django.urls import path

from .views import api, incident, queues

app_name = "tickets"

urlpatterns = [
    path("", queues.home, name="home"),
    path("queues/<slug:slug>/", queues.queue, name="queue"),
    path("queues/<slug:slug>/pick-up/", queues.bulk_pick_up, name="bulk_pick_up"),
    path("queues/<slug:slug>/export.csv", queues.export_csv, name="export_csv"),
    # One incident: its page, its actions and its tabs.
    path("incidents/new/", incident.create, name="create"),
    path("incidents/<str:number>/", incident.detail, name="detail"),
    path("incidents/<str:number>/print/", incident.print_view, name="print"),
    path("incidents/<str:number>/act/<slug:action>/", incident.act, name="act"),
    path("incidents/<str:number>/notes/", incident.add_note, name="add_note"),
    path("incidents/<str:number>/watch-list/", incident.add_watcher, name="add_watcher"),
    path(
        "incidents/<str:number>/watch-list/<int:entry_id>/remove/",
        incident.remove_watcher,
        name="remove_watcher",
    ),
    path("incidents/<str:number>/attachments/", incident.upload, name="upload"),
    path(
        "incidents/<str:number>/attachments/<int:attachment_id>/",
        incident.download,
        name="download",
    ),
    path("incidents/<str:number>/related/", incident.link_related, name="link_related"),
    path(
        "incidents/<str:number>/related/<str:other>/unlink/",
        incident.unlink_related,
        name="unlink_related",
    ),
    # Small JSON answers for the incident form.
    path("api/taxonomy/children/", api.taxonomy_children, name="api_taxonomy_children"),
    path("api/requesters/", api.requesters, name="api_requesters"),
    path("api/groups/", api.groups, name="api_groups"),
    path("api/groups/<int:group_id>/members/", api.group_members, name="api_group_members"),
    path("api/templates/<int:template_id>/", api.template_values, name="api_template"),
    path("api/incidents/", api.incidents, name="api_incidents"),
]
