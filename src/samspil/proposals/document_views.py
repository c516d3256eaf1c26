"""Downloads: a proposal as DOCX or PDF, a round's overview as XLSX or PDF.

Whoever sees the proposal (or round) may download it; others get 404, as on its page. The
document is in the page's language.
"""

from django.http import Http404, HttpResponse
from django.utils import translation
from django.utils.http import content_disposition_header

from samspil.core import permissions
from samspil.core.uploads import safe_file_name

from . import documents

PROPOSAL_FORMATS = {"docx": documents.DOCX_TYPE, "pdf": documents.PDF_TYPE}
ROUND_FORMATS = {"xlsx": documents.XLSX_TYPE, "pdf": documents.PDF_TYPE}
# A slash in a title is part of the name, not a folder (safe_file_name keeps the last part).
SEPARATORS = str.maketrans({"/": "-", "\\": "-"})


def download(content: bytes, content_type: str, title: str, extension: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    name = safe_file_name(f"{title.translate(SEPARATORS)}.{extension}", limit=120)
    response["Content-Disposition"] = content_disposition_header(True, name) or "attachment"
    return response


def proposal_file(user, proposal, file_format: str, language: str) -> HttpResponse:
    """The proposal as ``file_format`` (one of ``PROPOSAL_FORMATS``); pages and API share it."""
    document = documents.proposal_document(proposal, language, user)
    if file_format == "docx":
        content = documents.proposal_docx(document)
    else:
        content = documents.proposal_pdf(document)
    return download(content, PROPOSAL_FORMATS[file_format], proposal.title, file_format)


def round_file(user, round_, file_format: str, language: str) -> HttpResponse:
    overview = documents.round_overview(round_, language, user)
    if file_format == "xlsx":
        content = documents.round_xlsx(overview)
    else:
        content = documents.round_pdf(overview)
    return download(content, ROUND_FORMATS[file_format], round_.title, file_format)


def proposal_document(request, pk: int, file_format: str):
    proposal = permissions.get_proposal_for_user(request.user, pk)
    if file_format not in PROPOSAL_FORMATS:
        raise Http404
    return proposal_file(request.user, proposal, file_format, translation.get_language())


def round_overview(request, pk: int, file_format: str):
    round_ = permissions.get_round_for_user(request.user, pk)
    if file_format not in ROUND_FORMATS:
        raise Http404
    return round_file(request.user, round_, file_format, translation.get_language())
