"""The form document: its keys, its blank shape, and how a body or a posted HTML form becomes one."""

import re

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
            out[key] = _plain(data[key])
    return out


def _plain(value):
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")
BOOL_FIELDS = {"certificate", "forms_or_system", "assessment", "plaque", "ledger"}
LIST_FIELDS = {"basis.types", "scope_committees", "basis.documents"}


def from_post(post) -> dict:
    """Turn an HTML form's flat names (``involves.system_name``, ``duties[2].text``) into the form document.

    The page and the API save through the same service; this is the only place that knows the page's names.
    """
    doc = blank_form()
    doc["involves"] = {k: (False if k in BOOL_FIELDS else "") for k in doc["involves"]}
    for name in post.keys():
        if name in ("csrfmiddlewaretoken", "action") or name.startswith("_"):
            continue
        if name in LIST_FIELDS:
            values = [v.strip() for v in post.getlist(name)]
            if name == "basis.documents":
                values = [line.strip() for v in values for line in v.splitlines()]
            _set(doc, name, [v for v in values if v])
            continue
        value = post.get(name)
        leaf = name.rsplit(".", 1)[-1]
        if leaf in BOOL_FIELDS and name.startswith("involves."):
            value = value in ("on", "true", "1")
        elif value == "":
            value = None if leaf in ("mode", "procedure", "municipal_comparison", "scope", "type", "task_start", "start", "end", "channel", "on") else ""
        _set(doc, name, value)
    # Rows left blank on the page are not duty lines or courses.
    doc["duties"] = [d for d in doc.get("duties", []) if d and (d.get("text") or "").strip()]
    doc["courses"] = [c for c in doc.get("courses", []) if c and any((v or "").strip() for v in c.values())]
    support = doc.get("support") or {}
    doc["support"] = {k: v for k, v in support.items()
                      if (isinstance(v, dict) and any((x or "").strip() for x in v.values())) or (k == "exception_reason" and v)}
    if "verbal_report_id" in doc:
        doc["verbal_report_id"] = int(doc["verbal_report_id"]) if str(doc["verbal_report_id"] or "").isdigit() else None
    return doc


def _set(doc, name, value):
    parts = [(m.group(1), m.group(2)) for m in _PART.finditer(name)]
    target = doc
    for i, (key, index) in enumerate(parts):
        last = i == len(parts) - 1
        nxt = parts[i + 1] if not last else None
        if key is not None:
            if last:
                target[key] = value
            else:
                default = [] if nxt[1] is not None else {}
                if not isinstance(target.get(key), type(default)):
                    target[key] = default
                target = target[key]
        else:
            idx = int(index)
            if idx > 500:
                return  # a page never has that many rows; refuse to grow a huge list
            while len(target) <= idx:
                target.append({})
            if last:
                target[idx] = value
            else:
                target = target[idx]
