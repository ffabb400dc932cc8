package api

// The visitors' ratings (issue 15 §4, Government Decree 1284): a rating
// code printed on a kiosk ticket or a case's receipt rates the service
// once, after the visitor was served or the result issued.

// Rating code states (RatingTarget.State).
const (
	RatingOpen   = "open"    // may be rated now
	RatingNotYet = "not_yet" // the ticket is not served or the result not issued yet
	RatingRated  = "rated"   // rated already
)

// CodeAlreadyRated is the error code (409) of a second rating of a code,
// a ticket or a case; CodeNotYet (409) of a rating before the visitor was
// served or the result issued.
const (
	CodeAlreadyRated = "already_rated"
	CodeNotYet       = "not_yet"
)

// RatingTarget answers GET /v1/public/ratings/{code}: what the code rates,
// without anything personal.
type RatingTarget struct {
	Office       string            `json:"office"`
	Subject      string            `json:"subject"` // ticket | case
	Service      string            `json:"service"`
	ServiceNames map[string]string `json:"service_names"` // ru, uk, en
	State        string            `json:"state"`         // open | not_yet | rated
}

// RatingRequest is the body of POST /v1/public/ratings/{code}.
type RatingRequest struct {
	Score   int    `json:"score"`             // 1 (bad) … 5 (excellent)
	Comment string `json:"comment,omitempty"` // at most 500 characters; never shown publicly
}

// RatingResponse answers it (201).
type RatingResponse struct {
	Office  string `json:"office"`
	Subject string `json:"subject"`
	Service string `json:"service"`
	Score   int    `json:"score"`
}

// RatingFigures are the ratings of a report's day or period (by the day
// they were given), all together and per window, service and clerk.
// Below4Pct is the share of scores below 4, in percent.
type RatingFigures struct {
	Count     int           `json:"count"`
	Avg       float64       `json:"avg"`
	Below4Pct float64       `json:"below4_pct"`
	Windows   []RatingGroup `json:"windows"`
	Services  []RatingGroup `json:"services"`
	Clerks    []RatingGroup `json:"clerks"`
}

// RatingGroup is the ratings of one window (Key: its number), service
// (its code) or clerk (their login).
type RatingGroup struct {
	Key       string  `json:"key"`
	Count     int     `json:"count"`
	Avg       float64 `json:"avg"`
	Below4Pct float64 `json:"below4_pct"`
}
