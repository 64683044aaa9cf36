"""The assistant's own package: knowledge base, search, languages, web app, the `faq` command."""
