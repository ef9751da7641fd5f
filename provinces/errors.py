"""The error every app's services raise for a refused action; views show its message and change nothing."""


class WorkflowError(Exception):
    """An action that is not allowed now, for this user, or with this input. The message is for the user."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)
