"""The driver layer's exceptions, each with a Korean and an English message.

``DriverError`` is the root (trezorlib's ``TransportException`` idea); the
seal and document modules derive their own problems from it so a caller can
show ``exc.message`` to the clerk whatever went wrong.
"""

from __future__ import annotations

from decoding.errors import CounterError


class DriverError(CounterError):
    """A device or image problem; ``message_ko`` first, then ``message_en``."""

    code = "DEVICE"

    def __init__(self, message_ko: str, message_en: str) -> None:
        super().__init__(message_ko, message_en)

    @property
    def message(self) -> str:
        return f"{self.message_ko} / {self.message_en}"


class SourceNameError(DriverError):
    """A scanner name that is not ``serial:``, ``hid:``, ``camera:``, ``keyboard`` or ``fake:``."""

    def __init__(self, name: str, detail: str = "") -> None:
        extra = f" ({detail})" if detail else ""
        super().__init__(
            f"스캐너 이름이 올바르지 않습니다: {name!r}{extra}",
            f"bad scanner name {name!r}{extra}; use serial:PORT, hid:VID:PID, camera:N, "
            "keyboard or fake:NAME",
        )
        self.name = name


class Unavailable(DriverError):
    """A library the device needs is missing (e.g. hidapi)."""
