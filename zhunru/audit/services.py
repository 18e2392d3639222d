"""Writing and verifying the audit chain (R-AUD-1)."""

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from .models import AuditEvent, ChainHead


def _jsonable(changes: dict) -> dict:
    # Round-trip now so the stored JSON and the hashed JSON are the same text (dates, Decimals).
    return json.loads(json.dumps(changes, cls=DjangoJSONEncoder, ensure_ascii=False))


def record(*, actor, action: str, obj, district_id: int, changes: dict | None = None, role: str = "") -> AuditEvent:
    """Append one event. Call inside the service's transaction, so the event and the change commit together."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record must run inside the service's transaction")
    head, _ = ChainHead.objects.get_or_create(district_id=district_id)
    head = ChainHead.objects.select_for_update().get(pk=head.pk)
    org = getattr(actor, "organisation", None)
    if not role and getattr(actor, "pk", None):
        role = ",".join(sorted(actor.role_codes))
    event = AuditEvent(
        district_id=district_id,
        seq=head.seq + 1,
        at=timezone.now().replace(microsecond=0),
        actor=getattr(actor, "username", str(actor)),
        role=role,
        organisation=org.code if org else "",
        action=action,
        object_type=type(obj).__name__,
        object_id=str(obj.pk),
        changes=_jsonable(changes or {}),
        prev_hash=head.hash,
    )
    event.hash = event.compute_hash()
    event.save()
    head.seq, head.hash = event.seq, event.hash
    head.save(update_fields=["seq", "hash"])
    return event


# Packages above register how to read the current state of the objects they audit, so that
# verify_audit can tell when the tail of a chain was cut off and its head rewound in step:
# each object's state must be the state its last audited change left it in.
StateCheck = Callable[[], Iterable[tuple[str, str, str]]]  # -> (object_type, object_id, status)
STATE_CHECKS: list[StateCheck] = []


def register_state_check(fn: StateCheck) -> StateCheck:
    STATE_CHECKS.append(fn)
    return fn


def _status_after(changes: dict):
    status = changes.get("status") if isinstance(changes, dict) else None
    if isinstance(status, list) and status:
        return status[-1]
    return status if isinstance(status, str) else None


@dataclass
class Break:
    district_id: int
    seq: int
    event_id: int
    reason: str


def verify_chain() -> list[Break]:
    """Walk every district's chain; return the first broken entry of each broken chain."""
    breaks: list[Break] = []
    last_status: dict[tuple[str, str], tuple[str, int, int]] = {}
    expected_prev: dict[int, str] = {}
    expected_seq: dict[int, int] = {}
    broken: set[int] = set()
    for event in AuditEvent.objects.order_by("district_id", "seq").iterator(chunk_size=2000):
        d = event.district_id
        if d in broken:
            continue
        prev = expected_prev.get(d, "0" * 64)
        seq = expected_seq.get(d, 0) + 1
        reason = None
        if event.seq != seq:
            reason = f"序号不连续：应为 {seq}，实为 {event.seq}（有记录被删除或插入）"
        elif event.prev_hash != prev:
            reason = "前一条记录的哈希不符（链被改写）"
        elif event.compute_hash() != event.hash:
            reason = "记录内容与其哈希不符（记录被修改）"
        if reason:
            breaks.append(Break(d, event.seq, event.pk, reason))
            broken.add(d)
            continue
        expected_prev[d], expected_seq[d] = event.hash, event.seq
        status = _status_after(event.changes)
        if status:
            last_status[(event.object_type, event.object_id)] = (status, d, event.seq)
    for head in ChainHead.objects.exclude(district_id__in=broken):
        if head.seq != expected_seq.get(head.district_id, 0):
            breaks.append(Break(head.district_id, head.seq, 0, "链尾记录缺失（最后的记录被删除）"))
    for check in STATE_CHECKS:
        for object_type, object_id, status in check():
            recorded = last_status.get((object_type, str(object_id)))
            if recorded is None:
                breaks.append(Break(0, 0, 0, f"{object_type} {object_id} 没有任何审计记录（记录被删除）"))
            elif recorded[0] != status and recorded[1] not in broken:
                breaks.append(Break(recorded[1], recorded[2], 0,
                                    f"{object_type} {object_id} 当前状态为 {status}，最后的审计记录为 {recorded[0]}（其后的记录被删除）"))
    return breaks
