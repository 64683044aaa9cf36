"""Curating the knowledge base from the staff console: edits, history, import and export,
the inbox of unanswered questions and the dashboard."""
