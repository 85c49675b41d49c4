from django.http import Http404


def taxonomy_children(request, *args, **kwargs):
    raise Http404


def requesters(request, *args, **kwargs):
    raise Http404


def groups(request, *args, **kwargs):
    raise Http404


def group_members(request, *args, **kwargs):
    raise Http404


def template_values(request, *args, **kwargs):
    raise Http404


def incidents(request, *args, **kwargs):
    raise Http404

