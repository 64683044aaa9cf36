"""Rasa custom channels. Imported by the Rasa process (.venv-rasa, Python 3.10): keep them light."""
