from django.http import Http404


def create(request, *args, **kwargs):
    raise Http404


def detail(request, *args, **kwargs):
    raise Http404


def print_view(request, *args, **kwargs):
    raise Http404


def act(request, *args, **kwargs):
    raise Http404


def add_note(request, *args, **kwargs):
    raise Http404


def add_watcher(request, *args, **kwargs):
    raise Http404


def remove_watcher(request, *args, **kwargs):
    raise Http404


def upload(request, *args, **kwargs):
    raise Http404


def download(request, *args, **kwargs):
    raise Http404


def link_related(request, *args, **kwargs):
    raise Http404


def unlink_related(request, *args, **kwargs):
    raise Http404

