from django.http import Http404


def home(request, *args, **kwargs):
    raise Http404


def queue(request, *args, **kwargs):
    raise Http404


def bulk_pick_up(request, *args, **kwargs):
    raise Http404
