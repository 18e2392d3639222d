def navigation(request):
    """Navigation facts every page needs (the user's organisation and roles)."""
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {}
    return {"nav_roles": user.role_codes}
