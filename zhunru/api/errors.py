"""One error shape for every refusal: {"errors": [{"rule", "field", "message"}]}, in Chinese."""

from ninja.errors import ValidationError

_TYPES = {
    "missing": "缺少必填字段",
    "literal_error": "取值不在允许范围内",
    "date_parsing": "不是有效的日期（应为 YYYY-MM-DD）",
    "date_from_datetime_parsing": "不是有效的日期（应为 YYYY-MM-DD）",
    "date_type": "不是有效的日期（应为 YYYY-MM-DD）",
    "bool_parsing": "应为 true 或 false",
    "bool_type": "应为 true 或 false",
    "string_type": "应为文本",
    "list_type": "应为列表",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "model_type": "应为对象",
    "dict_type": "应为对象",
    "json_invalid": "请求体不是有效的 JSON",
    "model_attributes_type": "应为对象",
}


SOURCES = ("body", "query", "form", "path", "file", "header", "cookie")


def _path(loc) -> str:
    # ninja's loc starts with where the value came from (body, query, file …), then the parameter.
    parts = list(loc)
    if parts and parts[0] in SOURCES:
        parts = parts[1:]
    if len(parts) > 1 and parts[0] in ("body", "payload"):
        parts = parts[1:]
    out = ""
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out


def validation_errors(exc: ValidationError) -> list[dict]:
    errors = []
    for e in exc.errors:
        field = _path(e.get("loc", ()))
        kind = e.get("type", "")
        text = _TYPES.get(kind, "格式不正确")
        if kind == "literal_error" and e.get("ctx", {}).get("expected"):
            text += f"：应为 {e['ctx']['expected']}"
        errors.append({"rule": None, "field": field or None, "message": f"{field or '请求体'}：{text}"})
    return errors
