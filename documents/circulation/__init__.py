"""Report circulation: report types and their forms, reports on their way between departments,
their steps, notifications and the daily overdue reminders."""
