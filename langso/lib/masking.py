"""Hiding personal numbers from those whose role does not need them (Decree 13/2023)."""


def mask_id(value: str | None) -> str:
    """An ID number with all but its last three digits hidden: "*********123"."""
    if not value:
        return ""
    return "*" * (len(value) - 3) + value[-3:]
