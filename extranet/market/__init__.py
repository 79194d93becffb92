"""Market information (observations submitted by retailers and account managers, reviewed by
the sales department) and market analysis (the sales department's dashboards)."""
