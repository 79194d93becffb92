"""The email directory: colleagues by department, search, cards, exports and bulk import."""
