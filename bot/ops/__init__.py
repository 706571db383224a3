"""Operations: logging that redacts, metrics, rate limits, signed links."""
