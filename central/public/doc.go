// Package public is the central's visitor side: server-rendered pages
// (html/template, files embedded in the binary, no JavaScript build step)
// and the JSON API under /v1/public/, for people with no session: the hall
// board, the ticket kiosk, a visitor's phone. Package httpapi mounts its
// routes (Server.Routes) with no session, limited per client address
// (behind --trusted-proxies, the X-Forwarded-For client), and logged like
// every other route.
//
// Rules for every page: the office's language (domain.Office.LangCode:
// ru, uk or en) whatever the browser says; large readable type and high
// contrast (the shared layout, pages/layout.html and static/okno.css);
// never personal data (no names, no operators, no case contents: ticket
// numbers, services and windows only); live updates only through
// EventSource; scripts and styles only from /public/static/ (the pages are
// served with a Content-Security-Policy of 'self', so no inline script).
//
// Adding a page takes three things:
//
//  1. A template file pages/NAME.html defining "title" and "content" (and
//     "scripts" for its <script src> tags, or leave it empty). It runs
//     inside "layout" with a *Page as dot: {{.T "key"}} is a text in the
//     office's language, {{.Office}} the *domain.Office, {{.Data}} what
//     the handler passed. Static files go in static/ and are linked as
//     /public/static/FILE.
//  2. A handler: a method of *Server that finds the office with
//     s.office(w, r) (it answers 404 itself) and calls
//     s.render(w, r, http.StatusOK, "NAME", office, data). A JSON handler
//     writes with writeJSON and fails with apiError (the API's error body).
//     Add the route to Server.Routes; httpapi mounts every route listed
//     there. Add it to the route × role matrix test and the OpenAPI
//     document when it is under /v1/public/.
//  3. Its texts in i18n.go, under keys "NAME.…", in ru, uk and en alike
//     (TestTextsComplete fails on a key missing from one language).
//
// The browser tests drive headless Chromium through package
// public/browsertest (browsertest.New(t) skips without /usr/bin/chromium).
package public
