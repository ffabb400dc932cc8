// Package figures computes the queue's figures from tickets: today's
// figures of the live queue (GET /v1/offices/{office}/queue) and the day
// figures of a period (GET /v1/offices/{office}/report, `okno report`),
// per service and per operator. It is arithmetic only: the store reads the
// tickets and hands them here, so the snapshot and the report count alike.
package figures
