-- Two more indexes no read uses: tickets are read by state, events by case.
DROP INDEX tickets_day;
DROP INDEX events_ticket;
