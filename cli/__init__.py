"""The command line: `loket ...` (content, import, officers, db, demo, worker, scheduler)."""
