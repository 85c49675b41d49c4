"""The forms of one incident's pages: the incident form, the actions' small forms and the tabs.

Forms only check input; the views hand ``cleaned_data`` to tickets/workflow.py. The options of
their selects come from one ``PickLists`` query (tickets/picklists.py) that the page shares.
"""

from .actions import (
    ACTION_FORMS,
    ActionForm,
    AssignForm,
    CloseForm,
    ConfirmForm,
    ReasonForm,
    ResolveForm,
    ThirdPartyForm,
)
from .incident import IncidentForm, script_text
from .tabs import (
    AttachmentForm,
    NoteForm,
    RelatedForm,
    WatchForm,
    max_upload_bytes,
    safe_file_name,
)

__all__ = [
    "ACTION_FORMS",
    "ActionForm",
    "AssignForm",
    "AttachmentForm",
    "CloseForm",
    "ConfirmForm",
    "IncidentForm",
    "NoteForm",
    "ReasonForm",
    "RelatedForm",
    "ResolveForm",
    "ThirdPartyForm",
    "WatchForm",
    "max_upload_bytes",
    "safe_file_name",
    "script_text",
]
