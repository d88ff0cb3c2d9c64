# A Python helper that classifies CloudBase errors.
RETRYABLE = ["SERVICE_TIMEOUT", "FUNCTON_TIME_LIMIT_EXCEEDED", "BAD_GATEWAY"]


def is_retryable(code: str) -> bool:
    """Returns True for codes worth retrying, such as 'SERVICE_TIMEOUT'."""
    return code in RETRYABLE or code == "CHECK_LOGIN_FAILED"
