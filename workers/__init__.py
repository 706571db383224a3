"""RQ jobs: run the flows, apply their effects, send, watch the SLA.

Jobs are plain importable functions that take ids, never objects; each is
safe to run twice.
"""
