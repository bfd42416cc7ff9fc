"""Reading a list of people to invite from a CSV or XLSX file, and saying line by line what will
happen to each: invited, already a member, already invited, invalid, or a duplicate.

Spreadsheets come in every shape: UTF-8 with or without a byte-order mark or Latin-1 (Windows
Excel), commas, semicolons or tabs, headers in French or English, formulas. Whatever is wrong is
said before anything is done; nothing is sent until the person confirms the preview.
"""

import csv
import io
import zipfile

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models.functions import Lower
from django.template.defaultfilters import filesizeformat
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cercles.accounts.models import User

from .models import Invitation, InvitationStatus, Involvement, MembershipStatus

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 2000
MAX_CELL = {"email": 254, "name": 120, "organisation": 160, "objective": 2000, "involvement": 40}

# Column names understood, in French and English, compared without case or accents' worries.
COLUMN_NAMES = {
    "email": {"email", "e-mail", "mail", "courriel", "adresse", "adresse email",
              "adresse e-mail", "adresse électronique", "adresse electronique", "email address"},
    "name": {"name", "nom", "full name", "nom complet", "prénom nom", "prenom nom",
             "display name", "nom et prénom"},
    "organisation": {"organisation", "organization", "organisme", "structure", "org"},
    "objective": {"objective", "objectif", "attentes", "expectations", "what they expect",
                  "ce qu'il attend", "ce qu'elle attend"},
    "involvement": {"involvement", "implication", "engagement", "niveau d'implication"},
}  # fmt: skip
FORMULA_STARTS = ("=", "+", "@", "-")

# What will happen to a line (`outcome`), and why a line is invalid (`problem`).
OUTCOMES = {
    "invite": gettext_lazy("Will be invited"),
    "member": gettext_lazy("Already a member"),
    "invited": gettext_lazy("Already invited"),
    "invalid": gettext_lazy("Invalid line"),
    "duplicate": gettext_lazy("Duplicate"),
}
PROBLEMS = {
    "email": gettext_lazy("The email address is not valid."),
    "no_email": gettext_lazy("The line has no email address."),
    "formula": gettext_lazy("A cell holds a spreadsheet formula: write the value itself."),
    "involvement": gettext_lazy(
        "Unknown involvement: write active, occasional or observer (or leave it empty)."
    ),
    "too_long": gettext_lazy("A cell is too long."),
}


def _involvement_words():
    words = {}
    for value, label in Involvement.choices:
        words[value] = value
        for language in ("fr", "en"):
            with translation.override(language):
                words[str(label).lower()] = value
    words.update(
        {
            "actif": Involvement.ACTIVE,
            "occasionnel": Involvement.OCCASIONAL,
            "occasionnelle": Involvement.OCCASIONAL,
            "observateur": Involvement.OBSERVER,
            "observatrice": Involvement.OBSERVER,
        }
    )
    return words


def read_rows(upload):
    """The rows of the uploaded file as lists of strings, header first; ValidationError if the
    file cannot be used at all."""
    if upload.size > MAX_BYTES:
        raise ValidationError(
            _("The file is too large (%(size)s): an import takes at most %(max)s.")
            % {"size": filesizeformat(upload.size), "max": filesizeformat(MAX_BYTES)}
        )
    data = upload.read()
    if not data.strip():
        raise ValidationError(_("The file is empty."))
    name = (upload.name or "").lower()
    if data[:4] == b"PK\x03\x04" or name.endswith((".xlsx", ".xlsm")):
        rows = _xlsx_rows(data)
    elif name.endswith((".xls", ".ods", ".numbers", ".pdf", ".doc", ".docx")):
        raise ValidationError(
            _("Send a CSV file or an Excel workbook (.xlsx): save the spreadsheet in one of them.")
        )
    else:
        rows = _csv_rows(data)
    rows = [row for row in rows if any(cell for cell in row)]
    if not rows:
        raise ValidationError(_("The file is empty."))
    if len(rows) - 1 > MAX_ROWS:
        raise ValidationError(
            _(
                "The file has %(count)s lines: an import takes at most %(max)s. Split it into "
                "several files."
            )  # fmt: skip
            % {"count": len(rows) - 1, "max": MAX_ROWS}
        )
    return rows


def _decode(data):
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on Windows writes CSV in its ANSI code page: Windows-1252 in French.
        return data.decode("cp1252", errors="replace")


def _csv_rows(data):
    text = _decode(data)
    if "\x00" in text:
        raise ValidationError(_("This file is not a CSV text file."))
    first_line = text.split("\n", 1)[0]
    try:
        dialect = csv.Sniffer().sniff(text[:8192], delimiters=",;\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = max(",;\t", key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    try:
        for row in reader:
            rows.append([cell.strip() for cell in row])
            if len(rows) > MAX_ROWS + 1:
                break
    except csv.Error as error:
        raise ValidationError(
            _("The file could not be read as CSV (line %(line)s).") % {"line": reader.line_num}
        ) from error
    return rows


def _xlsx_rows(data):
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as error:
        raise ValidationError(_("This file could not be read as an Excel workbook.")) from error
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for values in sheet.iter_rows(values_only=True):
            rows.append(["" if value is None else str(value).strip() for value in values])
            if len(rows) > MAX_ROWS + 1:
                break
    except Exception as error:  # openpyxl raises many kinds on a damaged sheet
        raise ValidationError(_("This file could not be read as an Excel workbook.")) from error
    finally:
        workbook.close()
    return rows


def column_map(header):
    """{field: column index} from the header line; ValidationError without an email column."""
    found = {}
    for index, cell in enumerate(header):
        word = " ".join(cell.lower().replace("_", " ").split())
        for field, names in COLUMN_NAMES.items():
            if word in names and field not in found:
                found[field] = index
    if "email" not in found:
        raise ValidationError(
            _(
                "The first line must name the columns, among them an email column. Expected: "
                "email, name, organisation, objective, involvement (or courriel, nom, "
                "organisation, objectif, implication). Found: %(found)s."
            )  # fmt: skip
            % {"found": ", ".join(cell for cell in header if cell) or _("nothing")}
        )
    return found


def classify(community, rows):
    """One dict per data line, with its values and what will happen to it."""
    columns = column_map(rows[0])
    words = _involvement_words()
    lines = []
    for number, row in enumerate(rows[1:], start=2):
        line = {"line": number}
        for field in COLUMN_NAMES:
            index = columns.get(field)
            line[field] = row[index] if index is not None and index < len(row) else ""
        line["email"] = line["email"].lower()
        line["outcome"], line["problem"] = "invite", ""
        involvement = line["involvement"].lower()
        if not line["email"]:
            line["outcome"], line["problem"] = "invalid", "no_email"
        elif any(len(line[f]) > size for f, size in MAX_CELL.items()):
            line["outcome"], line["problem"] = "invalid", "too_long"
        elif any(line[f].startswith(FORMULA_STARTS) for f in COLUMN_NAMES if f != "email") or (
            line["email"].startswith(FORMULA_STARTS)
        ):
            line["outcome"], line["problem"] = "invalid", "formula"
        elif involvement and involvement not in words:
            line["outcome"], line["problem"] = "invalid", "involvement"
        else:
            try:
                validate_email(line["email"])
            except ValidationError:
                line["outcome"], line["problem"] = "invalid", "email"
        line["involvement"] = words.get(involvement, "") if involvement else ""
        lines.append(line)
    _mark_duplicates_and_known(community, lines)
    return lines


def _mark_duplicates_and_known(community, lines):
    """Three queries whatever the number of lines: members, pending invitations."""
    seen = set()
    for line in lines:
        if line["outcome"] != "invite":
            continue
        if line["email"] in seen:
            line["outcome"] = "duplicate"
        seen.add(line["email"])
    emails = {line["email"] for line in lines if line["outcome"] == "invite"}
    if not emails:
        return
    members = set(
        User.objects.annotate(lower_email=Lower("email"))
        .filter(
            lower_email__in=emails,
            memberships__community=community,
            memberships__status=MembershipStatus.ACTIVE,
        )
        .values_list("lower_email", flat=True)
    )
    invited = set(
        Invitation.objects.annotate(lower_email=Lower("email"))
        .filter(
            community=community,
            purpose=Invitation.Purpose.MEMBER,
            status=InvitationStatus.PENDING,
            lower_email__in=emails,
        )
        .values_list("lower_email", flat=True)
    )
    for line in lines:
        if line["outcome"] == "invite":
            if line["email"] in members:
                line["outcome"] = "member"
            elif line["email"] in invited:
                line["outcome"] = "invited"


def summary(lines):
    """{outcome: count} in the order of OUTCOMES."""
    counts = dict.fromkeys(OUTCOMES, 0)
    for line in lines:
        counts[line["outcome"]] += 1
    return counts
