"""The form document: its keys, its blank shape, and how a body or a posted HTML form becomes one."""

import re

from zhunru.text import clean_text, clean_tree

# The fields of FIELDS.md that an application stores. Anything else in a body is dropped;
# submitted_on and head_signoff are set by the server (R-APP-6), never taken from a body.
FORM_KEYS = (
    "department", "procedure", "kind", "adjusts_item", "exit_reason", "task_start", "name", "summary",
    "municipal_comparison", "municipal_item", "involves", "basis", "scope", "scope_committees",
    "time_limit", "duties", "support", "courses", "verbal_report", "verbal_report_id",
)
IGNORED_KEYS = ("key", "expect", "submitted_on", "head_signoff", "as_of")


def blank_form() -> dict:
    return {
        "procedure": "regular", "kind": "new", "name": "", "summary": "",
        "municipal_comparison": None, "municipal_item": None,
        "involves": {"certificate": False, "forms_or_system": False, "system_name": "", "assessment": False,
                     "assessment_name": "", "plaque": False, "plaque_name": "", "ledger": False},
        "basis": {"types": [], "documents": []},
        "scope": None, "scope_committees": [], "time_limit": {"type": None},
        "duties": [], "support": {}, "courses": [],
    }


def clean_body(data: dict) -> dict:
    """Keep the form's own keys; dates as ISO text so the JSON column stores them plainly."""
    out = {}
    for key in FORM_KEYS:
        if key in data:
            out[key] = clean_tree(_plain(data[key]))
    return out


def _plain(value):
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


# The page's own names; anything else in a post is dropped, so a hand-made post can never put
# a scalar where the document holds a list or a dict (or the other way round).
BOOL_FIELDS = {"certificate", "forms_or_system", "assessment", "plaque", "ledger"}
LIST_FIELDS = {"basis.types", "scope_committees", "basis.documents"}
TEXT_FIELDS = {"kind", "adjusts_item", "exit_reason", "name", "summary"}
NULLABLE_FIELDS = {"procedure", "municipal_comparison", "municipal_item", "scope", "task_start"}
INVOLVES_TEXT = {"system_name", "assessment_name", "plaque_name"}
TIME_LIMIT_FIELDS = {"type": True, "start": True, "end": True, "description": False}  # part: blank means None
SUPPORT_PARTS = {"funding": ("amount", "way"), "project": ("name", "description"), "manpower": ("source",),
                 "resource": ("description",), "policy": ("handbook",)}
ROW_PARTS = {"duties": ("text", "mode"), "courses": ("name", "audience", "frequency", "department")}
MAX_ROWS = 200  # a page never has that many rows; a higher index is dropped, the list never grows huge
_ROW = re.compile(r"^(duties|courses)\[(\d{1,6})\]\.([a-z_]+)$")


_clean = clean_text  # NUL and lone surrogates: no text column can store them (zhunru/text.py)


def from_post(post) -> dict:
    """Turn an HTML form's flat names (``involves.system_name``, ``duties[2].text``) into the form document.

    The page and the API save through the same service; this is the only place that knows the page's names.
    """
    doc = blank_form()
    doc["involves"] = {k: (False if k in BOOL_FIELDS else "") for k in doc["involves"]}
    doc["time_limit"] = {"type": None}
    rows = {"duties": {}, "courses": {}}
    support = {}
    for name in post.keys():
        value = _clean(post.get(name) or "")
        if name in LIST_FIELDS:
            values = [_clean(v).strip() for v in post.getlist(name)]
            if name == "basis.documents":
                values = [line.strip() for v in values for line in v.splitlines()]
            values = list(dict.fromkeys(v for v in values if v))  # in order, each once
            if name == "scope_committees":
                doc["scope_committees"] = values
            else:
                doc["basis"][name.split(".")[1]] = values
        elif name in TEXT_FIELDS:
            doc[name] = value
        elif name in NULLABLE_FIELDS:
            doc[name] = value or None
        elif name == "verbal_report_id":
            doc[name] = int(value) if value.isdigit() and len(value) <= 9 else None
        elif name.startswith("involves."):
            key = name[len("involves."):]
            if key in BOOL_FIELDS:
                doc["involves"][key] = value in ("on", "true", "1")
            elif key in INVOLVES_TEXT:
                doc["involves"][key] = value
        elif name.startswith("time_limit."):
            key = name[len("time_limit."):]
            if key in TIME_LIMIT_FIELDS:
                doc["time_limit"][key] = (value or None) if TIME_LIMIT_FIELDS[key] else value
        elif name.startswith("support."):
            parts = name.split(".")
            if parts == ["support", "exception_reason"]:
                if value:
                    support["exception_reason"] = value
            elif len(parts) == 3 and parts[2] in SUPPORT_PARTS.get(parts[1], ()):
                support.setdefault(parts[1], {})[parts[2]] = value
        elif m := _ROW.match(name):
            kind, index, part = m.group(1), int(m.group(2)), m.group(3)
            if index < MAX_ROWS and part in ROW_PARTS[kind]:
                rows[kind].setdefault(index, {})[part] = (value or None) if part == "mode" else value
    # Rows left blank on the page are not duty lines or courses.
    duties = [rows["duties"][i] for i in sorted(rows["duties"])]
    doc["duties"] = [{"text": d.get("text", ""), "mode": d.get("mode")} for d in duties if d.get("text", "").strip()]
    courses = [rows["courses"][i] for i in sorted(rows["courses"])]
    doc["courses"] = [{k: c.get(k, "") for k in ROW_PARTS["courses"]} for c in courses if any(v.strip() for v in c.values())]
    # A support type counts when one of its fields holds text (the page clears an unticked one).
    doc["support"] = {k: v for k, v in support.items() if k == "exception_reason" or any(x.strip() for x in v.values())}
    doc["time_limit"] = _time_limit(doc["time_limit"])
    return doc


# The page keeps every time-limit input (hidden ones too); the document holds those of the chosen type.
TIME_LIMIT_PARTS = {"one_time": ("start", "end"), "annual": (), "ongoing": (), "other": ("description",)}


def _time_limit(limit) -> dict:
    limit = limit if isinstance(limit, dict) else {}
    kind = limit.get("type")
    if kind in TIME_LIMIT_PARTS:
        return {"type": kind, **{k: limit.get(k) for k in TIME_LIMIT_PARTS[kind]}}
    # No type chosen yet: keep whatever was typed, a draft loses nothing (R-APP-8).
    return {"type": kind, **{k: v for k, v in limit.items() if k != "type" and v}}
