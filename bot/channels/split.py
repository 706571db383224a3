"""Split long answers at the platform's limit without breaking lines or words where avoidable."""
from __future__ import annotations


def split_text(text: str, limit: int) -> list[str]:
    """Chunks of at most ``limit`` characters, cut at paragraph, line, then word boundaries."""
    text = text.strip()
    if len(text) <= limit:
        return [text] if text else []
    chunks: list[str] = []
    rest = text
    while len(rest) > limit:
        window = rest[:limit + 1]
        cut = -1
        for sep in ("\n\n", "\n", " "):
            cut = window.rfind(sep, 0, limit + 1)
            if cut > limit // 3:
                break
        if cut <= 0:
            cut = limit
        chunks.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        chunks.append(rest)
    return chunks
