"""Rasa custom channels. Imported by the Rasa process (.venv-rasa, Python 3.10): keep them light."""

from bot.logs import keep_json_logging

keep_json_logging()
