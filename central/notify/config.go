// Package notify sends the central's notices to visitors: the outbox rows
// the store makes when a case is ready, its deadline moves or documents
// are asked for (store.ClaimNotices), by e-mail over SMTP with STARTTLS
// (github.com/wneessen/go-mail) or by SMS through an HTTP gateway, in the
// visitor's language, naming the case number and the office only.
//
// Each notice is sent by the process holding its lease and marked sent
// as soon as the mail server or the gateway took it; failures are retried
// with a doubling backoff and given up after Config.MaxAttempts (or at
// once when the server refuses for good), which the supervisor sees.
package notify

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/url"
	"os"
	"strings"
	"text/template"
	"time"

	"go.yaml.in/yaml/v3"
)

// Config is where and how notices go. The zero value sends nothing
// (Enabled is false).
type Config struct {
	SMTP SMTPConfig `yaml:"smtp"`
	SMS  SMSConfig  `yaml:"sms"`

	MaxAttempts int           `yaml:"max_attempts"` // tries before a notice is failed; default 8
	Backoff     time.Duration `yaml:"backoff"`      // wait after the first failure, doubling; default 30 s
	MaxBackoff  time.Duration `yaml:"max_backoff"`  // at most; default 1 h
	Lease       time.Duration `yaml:"lease"`        // how long a claimed notice is this process's; default 2 min
	Poll        time.Duration `yaml:"poll"`         // look for due notices at least this often; default 5 s
	Batch       int           `yaml:"batch"`        // notices claimed at a time; default 20
}

// SMTPConfig is the mail server the e-mails go through.
type SMTPConfig struct {
	Addr     string `yaml:"addr"`     // host:port (587 for submission with STARTTLS)
	From     string `yaml:"from"`     // the sender, e.g. "МФЦ <noreply@mfc.example>"
	Username string `yaml:"username"` // for SMTP AUTH; none when empty
	Password string `yaml:"password"` // or PasswordFile
	PassFile string `yaml:"password_file"`
	CAFile   string `yaml:"ca_file"` // trust this CA for the server's certificate (else the system's)
	HELO     string `yaml:"helo"`    // the name to greet with; default the machine's
}

// SMSConfig is the HTTP gateway the SMS go through: a POST of Body (a
// JSON template) to URL.
type SMSConfig struct {
	URL     string            `yaml:"url"`
	Body    string            `yaml:"body"`    // JSON with {{.Phone}} and {{.Text}} (inserted as JSON strings' content)
	Headers map[string]string `yaml:"headers"` // e.g. Authorization: Bearer …
	Timeout time.Duration     `yaml:"timeout"` // default 10 s
}

// DefaultSMSBody is the body when none is configured.
const DefaultSMSBody = `{"to": "{{.Phone}}", "text": "{{.Text}}"}`

// EmailEnabled and SMSEnabled say which channels are configured.
func (c *Config) EmailEnabled() bool { return c.SMTP.Addr != "" }

// SMSEnabled says whether SMS are configured.
func (c *Config) SMSEnabled() bool { return c.SMS.URL != "" }

// Enabled says whether any channel is configured.
func (c *Config) Enabled() bool { return c.EmailEnabled() || c.SMSEnabled() }

// LoadFile reads a YAML (or JSON) file of a Config into c; fields the file
// leaves out keep their values.
func (c *Config) LoadFile(path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("read the notices file: %w", err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(c); err != nil {
		return fmt.Errorf("the notices file %s: %w", path, err)
	}
	return nil
}

// Check fills in the defaults and says what is wrong, in words an
// administrator can act on.
func (c *Config) Check() error {
	if c.MaxAttempts <= 0 {
		c.MaxAttempts = 8
	}
	if c.Backoff <= 0 {
		c.Backoff = 30 * time.Second
	}
	if c.MaxBackoff <= 0 {
		c.MaxBackoff = time.Hour
	}
	if c.Lease <= 0 {
		c.Lease = 2 * time.Minute
	}
	if c.Poll <= 0 {
		c.Poll = 5 * time.Second
	}
	if c.Batch <= 0 {
		c.Batch = 20
	}
	if c.SMS.Timeout <= 0 {
		c.SMS.Timeout = 10 * time.Second
	}
	if c.EmailEnabled() {
		if _, _, err := net.SplitHostPort(c.SMTP.Addr); err != nil {
			return fmt.Errorf("smtp addr %q: give host:port (587 for STARTTLS submission)", c.SMTP.Addr)
		}
		if _, err := mail.ParseAddress(c.SMTP.From); err != nil {
			return fmt.Errorf("smtp from %q: give the sender's address, e.g. \"МФЦ <noreply@mfc.example>\"", c.SMTP.From)
		}
		if c.SMTP.PassFile != "" {
			b, err := os.ReadFile(c.SMTP.PassFile)
			if err != nil {
				return fmt.Errorf("smtp password file: %w", err)
			}
			c.SMTP.Password = strings.TrimSpace(string(b))
		}
		if c.SMTP.Username != "" && c.SMTP.Password == "" {
			return errors.New("smtp: a username without a password (give password_file or --smtp-password-file)")
		}
	}
	if c.SMSEnabled() {
		u, err := url.Parse(c.SMS.URL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return fmt.Errorf("sms url %q: give the gateway's http(s) URL", c.SMS.URL)
		}
		if c.SMS.Body == "" {
			c.SMS.Body = DefaultSMSBody
		}
		if _, err := smsBody(c.SMS.Body, "+79991234567", "Проверка \"текста\"\n"); err != nil {
			return fmt.Errorf("sms body: %w", err)
		}
	}
	return nil
}

// smsBody renders the gateway's JSON body: the phone and the text go in as
// the content of JSON strings (escaped), and the result must be JSON.
func smsBody(tmpl, phone, text string) ([]byte, error) {
	t, err := template.New("sms").Option("missingkey=error").Parse(tmpl)
	if err != nil {
		return nil, fmt.Errorf("not a template: %w", err)
	}
	esc := func(s string) string {
		b, _ := json.Marshal(s)
		return string(b[1 : len(b)-1])
	}
	var out bytes.Buffer
	if err := t.Execute(&out, struct{ Phone, Text string }{esc(phone), esc(text)}); err != nil {
		return nil, fmt.Errorf("cannot fill it: %w (use {{.Phone}} and {{.Text}})", err)
	}
	if !json.Valid(out.Bytes()) {
		return nil, fmt.Errorf("filled in, it is not JSON: put {{.Phone}} and {{.Text}} inside quotes: %s", out.String())
	}
	return out.Bytes(), nil
}
