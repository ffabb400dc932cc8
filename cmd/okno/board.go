package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"os"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/okno-mfc/okno/client"
	"github.com/okno-mfc/okno/domain"
	"github.com/okno-mfc/okno/internal/ttyin"
	"github.com/okno-mfc/okno/tui/hallboard"
)

func init() {
	register(command{name: "board", summary: "the hall board in a terminal, full screen (a hall screen with no browser)", run: runBoard})
}

const boardUsage = "--central URL --office CODE [--ca FILE] [--insecure-http]"

func runBoard(e *env, args []string) error {
	fs := e.newFlags("board", boardUsage)
	central := fs.String("central", "", "the central's address, https://host:port")
	office := fs.String("office", "", "the office whose board to show, e.g. IRK")
	ca := fs.String("ca", "", "trust this CA's PEM certificates for the central (a centre's own CA)")
	insecure := fs.Bool("insecure-http", false, insecureHTTPUsage)
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if *central == "" || !domain.ValidOffice(*office) {
		fmt.Fprintln(e.stderr, "okno board: give --central URL and --office CODE (2–8 capital Latin letters or digits), e.g. --central https://okno.example --office IRK")
		return errUsage
	}
	if err := client.CheckTransport(*central, *insecure); err != nil {
		return &exitError{code: 2, msg: err.Error()}
	}
	hc := &http.Client{}
	if *ca != "" {
		pem, err := os.ReadFile(*ca)
		if err != nil {
			return &exitError{code: 1, msg: fmt.Sprintf("read the CA: %v", err)}
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return &exitError{code: 1, msg: fmt.Sprintf("%s holds no PEM certificate", *ca)}
		}
		hc.Transport = &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}}
	}
	tin, tout, err := e.terminal()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	p := tea.NewProgram(hallboard.New(*office, nil), tea.WithAltScreen(), tea.WithContext(ctx),
		tea.WithInput(ttyin.Wrap(tin)), tea.WithOutput(tout))
	go hallboard.Follow(ctx, hc, *central, *office, p.Send)
	if _, err := p.Run(); err != nil && !errors.Is(err, tea.ErrProgramKilled) && !errors.Is(err, context.Canceled) {
		return fmt.Errorf("the board stopped: %w", err)
	}
	return nil
}
