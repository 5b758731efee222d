"""Accounts: users and roles, patient profiles, care teams, invitations, sign-in."""
