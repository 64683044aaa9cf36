"""The web app's database: SQLite by default, PostgreSQL by URL."""

from bot.db.engine import Database
from bot.db.models import Base, Feedback, QuestionLog

__all__ = ["Base", "Database", "Feedback", "QuestionLog"]
