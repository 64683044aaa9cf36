"""The FastAPI web app: owns the knowledge base and its index; JSON API for the action server."""
