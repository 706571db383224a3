"""The time and calendar: working days, closures, SLA deadlines, dates as citizens read them."""
