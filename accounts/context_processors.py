from accounts import policy


def navigation(request):
    """What the menu may offer: ``can.<action>`` for the current visitor, straight from the matrix."""
    user = getattr(request, "user", None)
    return {"can": {action.name.lower(): policy.can(user, action) for action in policy.Action}}
