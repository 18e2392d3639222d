from django.utils import timezone
from ninja.security import HttpBearer

from zhunru.orgs.models import ApiToken


class BearerAuth(HttpBearer):
    def authenticate(self, request, token):
        row = ApiToken.objects.select_related("user", "user__organisation").filter(key_hash=ApiToken.hash(token)).first()
        if row is None or not row.user.is_active:
            return None
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=timezone.now())
        request.user = row.user
        return row.user
