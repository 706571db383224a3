"""Storage behind verb-first functions; each takes a ``Session`` first and never commits.

The caller owns the transaction: ``with session_scope(factory) as session:``
(``bot.store.db``) commits when the block ends and rolls back if it raises.
"""
