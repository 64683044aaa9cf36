"""Custom actions of the assistant, split by feature; rasa-sdk registers every Action subclass here.

Actions stay thin: the web app owns the knowledge base, search and language detection; actions
ask it over HTTP and turn its answers into responses from domain.yml.
"""
