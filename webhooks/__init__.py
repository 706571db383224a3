"""The Flask app: thin webhook views that verify, record, queue and answer 200."""
from webhooks.app import create_app

__all__ = ["create_app"]
