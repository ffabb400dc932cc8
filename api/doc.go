// Package api holds the wire types of the central's REST API (/v1): the
// bodies of its requests and answers, the error shape and its codes, the
// ingest's answers (IngestStatus), and the signed head receipts. The
// client (package client) and the central (central/httpapi and the store
// that fills the answers) share them; the workstation's store keeps some
// of them as they came (feed pages, the central's answers, receipts).
// central/httpapi/openapi.yaml describes the same shapes.
//
// The domain's own types and rules stay in package domain; api imports
// domain, never the other way round.
package api
