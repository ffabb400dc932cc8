package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"strings"
	"sync"

	"github.com/okno-mfc/okno/central/notify"
	"github.com/okno-mfc/okno/central/store"
)

// The flags of okno serve for notices to visitors (issue 15): a file
// (--notices FILE, YAML) and flags that override it.
type noticeOpts struct {
	file                                           *string
	smtpAddr, smtpFrom, smtpUser, smtpPass, smtpCA *string
	smsURL, smsBody                                *string
	smsHeaders                                     []string
}

func noticeFlags(fs *flag.FlagSet, file string) *noticeOpts {
	o := &noticeOpts{
		file:     fs.String("notices", file, "notices to visitors: a YAML file of smtp, sms and retry settings (docs/operations.md); the flags below override it (env OKNO_NOTICES)"),
		smtpAddr: fs.String("smtp-addr", "", "send e-mail notices through this SMTP server, host:port (STARTTLS is required; 587 for submission)"),
		smtpFrom: fs.String("smtp-from", "", "the sender of e-mail notices, e.g. 'МФЦ <noreply@mfc.example>'"),
		smtpUser: fs.String("smtp-user", "", "SMTP AUTH user name (with --smtp-password-file)"),
		smtpPass: fs.String("smtp-password-file", "", "a file holding the SMTP AUTH password"),
		smtpCA:   fs.String("smtp-ca", "", "trust this CA (PEM) for the SMTP server's certificate, instead of the system's"),
		smsURL:   fs.String("sms-url", "", "send SMS notices by POSTing JSON to this gateway URL"),
		smsBody:  fs.String("sms-body", "", "the gateway's JSON body, with {{.Phone}} and {{.Text}} inside quotes (default "+notify.DefaultSMSBody+")"),
	}
	fs.Func("sms-header", "a header for the gateway, 'Name: value' (repeat for more)", func(v string) error {
		if _, _, ok := strings.Cut(v, ":"); !ok {
			return fmt.Errorf("give 'Name: value'")
		}
		o.smsHeaders = append(o.smsHeaders, v)
		return nil
	})
	return o
}

// config is the notices' configuration from the file and the flags.
func (o *noticeOpts) config() (notify.Config, error) {
	var c notify.Config
	if *o.file != "" {
		if err := c.LoadFile(*o.file); err != nil {
			return c, err
		}
	}
	set := func(dst *string, v string) {
		if v != "" {
			*dst = v
		}
	}
	set(&c.SMTP.Addr, *o.smtpAddr)
	set(&c.SMTP.From, *o.smtpFrom)
	set(&c.SMTP.Username, *o.smtpUser)
	set(&c.SMTP.PassFile, *o.smtpPass)
	set(&c.SMTP.CAFile, *o.smtpCA)
	set(&c.SMS.URL, *o.smsURL)
	set(&c.SMS.Body, *o.smsBody)
	for _, h := range o.smsHeaders {
		k, v, _ := strings.Cut(h, ":")
		if c.SMS.Headers == nil {
			c.SMS.Headers = map[string]string{}
		}
		c.SMS.Headers[strings.TrimSpace(k)] = strings.TrimSpace(v)
	}
	return c, c.Check()
}

// startNotices runs the notices' worker when a channel is configured; the
// function it returns stops it after the sends under way are recorded.
func startNotices(st *store.Store, cfg notify.Config, log *slog.Logger) (stop func(), err error) {
	if !cfg.Enabled() {
		log.Info("notices to visitors are off: no --smtp-addr, --sms-url or --notices file; they wait in the outbox")
		return func() {}, nil
	}
	w, err := notify.New(st, cfg, log)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		w.Run(ctx)
	}()
	log.Info("notices to visitors are on", "email", cfg.EmailEnabled(), "sms", cfg.SMSEnabled())
	var once sync.Once
	return func() {
		once.Do(func() {
			cancel()
			<-done
		})
	}, nil
}
