"""Cross-cutting pieces shared by every domain: errors, auth, permissions, audit, events."""
