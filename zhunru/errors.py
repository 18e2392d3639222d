"""Refusals a service can give. Views and the API turn them into messages and 4xx answers."""


class ServiceError(Exception):
    status = 400

    def __init__(self, message: str, errors: list[dict] | None = None):
        super().__init__(message)
        self.message = message
        self.errors = errors or [{"rule": None, "field": None, "message": message}]


class NotAllowed(ServiceError):
    """The user may see the object but this action is not theirs to take."""

    status = 403


class WrongState(ServiceError):
    """The action does not fit the object's state (often: someone else acted first)."""

    status = 409


class RuleViolation(ServiceError):
    """One or more rules of SPEC.md refuse the action; ``errors`` lists each, on its field."""

    status = 422
