package notify

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// sendError is a failed send: temporary ones are tried again.
type sendError struct {
	temporary bool
	err       error
}

func (e *sendError) Error() string { return e.err.Error() }
func (e *sendError) Unwrap() error { return e.err }

func temporary(err error) error { return &sendError{temporary: true, err: err} }
func permanent(err error) error { return &sendError{temporary: false, err: err} }

// mailer sends e-mail through one SMTP server with STARTTLS (mandatory:
// a server that does not offer it gets nothing).
type mailer struct {
	cfg  SMTPConfig
	host string
	port int
	tls  *tls.Config
}

func newMailer(cfg SMTPConfig) (*mailer, error) {
	host, p, err := net.SplitHostPort(cfg.Addr)
	if err != nil {
		return nil, err
	}
	port, err := strconv.Atoi(p)
	if err != nil {
		return nil, fmt.Errorf("smtp port %q: %w", p, err)
	}
	tc := &tls.Config{ServerName: host, MinVersion: tls.VersionTLS12}
	if cfg.CAFile != "" {
		pem, err := os.ReadFile(cfg.CAFile)
		if err != nil {
			return nil, fmt.Errorf("smtp ca_file: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("smtp ca_file %s: no PEM certificate in it", cfg.CAFile)
		}
		tc.RootCAs = pool
	}
	return &mailer{cfg: cfg, host: host, port: port, tls: tc}, nil
}

// send sends one e-mail; msgID makes every try of one notice the same
// message, so a mail system that saw it already can tell.
func (m *mailer) send(ctx context.Context, to, subject, body, msgID string) error {
	msg := gomail.NewMsg()
	if err := msg.From(m.cfg.From); err != nil {
		return permanent(fmt.Errorf("the sender: %w", err))
	}
	if err := msg.To(to); err != nil {
		return permanent(errors.New("the visitor's e-mail address is not one a mail server takes"))
	}
	msg.Subject(subject)
	msg.SetBodyString(gomail.TypeTextPlain, body)
	msg.SetMessageIDWithValue(msgID)
	msg.SetDate()
	opts := []gomail.Option{
		gomail.WithPort(m.port), gomail.WithTLSPolicy(gomail.TLSMandatory), gomail.WithTLSConfig(m.tls),
		gomail.WithTimeout(30 * time.Second),
	}
	if m.cfg.HELO != "" {
		opts = append(opts, gomail.WithHELO(m.cfg.HELO))
	}
	if m.cfg.Username != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover), gomail.WithUsername(m.cfg.Username), gomail.WithPassword(m.cfg.Password))
	}
	c, err := gomail.NewClient(m.host, opts...)
	if err != nil {
		return permanent(err)
	}
	if err := c.DialAndSendWithContext(ctx, msg); err != nil {
		var se *gomail.SendError
		if errors.As(err, &se) && !se.IsTemp() && se.Reason != gomail.ErrConnCheck && se.Reason != gomail.ErrSMTPReset {
			return permanent(err)
		}
		return temporary(err) // the network, a 4xx, a server that went away
	}
	return nil
}

// gateway sends SMS through an HTTP gateway.
type gateway struct {
	cfg    SMSConfig
	client *http.Client
}

func newGateway(cfg SMSConfig) *gateway {
	return &gateway{cfg: cfg, client: &http.Client{Timeout: cfg.Timeout}}
}

// send posts one SMS. A 2xx is sent; a 429 or 5xx (or no answer) is
// tried again; any other answer is final.
func (g *gateway) send(ctx context.Context, phone, text string) error {
	body, err := smsBody(g.cfg.Body, phone, text)
	if err != nil {
		return permanent(err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, g.cfg.URL, bytes.NewReader(body))
	if err != nil {
		return permanent(err)
	}
	req.Header.Set("Content-Type", "application/json")
	for k, v := range g.cfg.Headers {
		req.Header.Set(k, v)
	}
	resp, err := g.client.Do(req)
	if err != nil {
		return temporary(fmt.Errorf("the SMS gateway: %w", err))
	}
	defer resp.Body.Close()
	snippet, _ := io.ReadAll(io.LimitReader(resp.Body, 200))
	switch {
	case resp.StatusCode >= 200 && resp.StatusCode < 300:
		return nil
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500 || resp.StatusCode == http.StatusRequestTimeout:
		return temporary(fmt.Errorf("the SMS gateway answered %d: %s", resp.StatusCode, bytes.TrimSpace(snippet)))
	default:
		return permanent(fmt.Errorf("the SMS gateway refused it with %d: %s", resp.StatusCode, bytes.TrimSpace(snippet)))
	}
}
