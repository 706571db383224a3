"""Small, specific exceptions shared across packages."""


class SendFailed(Exception):
    """A message could not be delivered to the platform after retries."""

    def __init__(self, channel: str, reason: str, code: int | str | None = None, permanent: bool = False):
        self.channel, self.reason, self.code, self.permanent = channel, reason, code, permanent
        super().__init__(f"{channel}: {reason}" + (f" (code {code})" if code else ""))


class SendUncertain(SendFailed):
    """The platform did not answer and may have taken the message: ask it before sending again."""


class OutsideWindow(SendFailed):
    """WhatsApp refused a free-form message: the citizen's last message is older than 24 hours (63016)."""


class MediaRefused(Exception):
    """An attachment that will not be stored; ``reason`` is a wording key suffix (type, size, mismatch, download)."""

    def __init__(self, reason: str, **detail):
        self.reason, self.detail = reason, detail
        super().__init__(reason)
