from .models import Notification


def unread_count(user) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def notifications_for(user, limit: int = 100):
    return Notification.objects.filter(user=user)[:limit]
