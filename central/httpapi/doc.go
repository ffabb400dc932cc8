// Package httpapi is the central's REST API (`okno serve`): the routes and
// the roles that may call each (routes.go, the one place roles are
// decided), sign-in and sessions, the rate limits, the handlers, the
// office queue's live stream (Server-Sent Events fed by the store's
// commits), the /metrics page and the OpenAPI document (openapi.yaml,
// served at /v1/openapi.yaml and explained in docs/api.md).
//
// It keeps no data of its own: the store (package store) holds everything,
// the ingest (package ingest) takes the windows' events, and package
// figures counts the queue. The wire types are package api's.
package httpapi
