"""The web shell: base templates, static assets, rendering helpers shared by every domain's pages."""
