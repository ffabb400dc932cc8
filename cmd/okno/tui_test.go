package main

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"

	"github.com/okno-mfc/okno/domain"
	"github.com/okno-mfc/okno/localdb"
)

func TestTUIWithoutOfficeSaysWhatToDo(t *testing.T) {
	t.Parallel()
	data := t.TempDir()
	var errOut bytes.Buffer
	ptm, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pty here: %v", err)
	}
	defer ptm.Close()
	defer tty.Close()
	e := &env{stdin: tty, stdout: tty, stderr: &errOut, getenv: func(string) string { return "" }}
	if code := e.main([]string{"--data", data}); code != 2 || !strings.Contains(errOut.String(), "--office CODE --window N") {
		t.Fatalf("code %d: %s", code, errOut.String())
	}
	errOut.Reset()
	if _, code := runWith(t, strings.NewReader(""), &errOut, "tui", "--data", data, "--office", "IRK"); code != 2 || !strings.Contains(errOut.String(), "go together") {
		t.Errorf("--office alone: code %d: %s", code, errOut.String())
	}
	errOut.Reset()
	if _, code := runWith(t, strings.NewReader(""), &errOut, "tui", "--data", data, "--lang", "de"); code != 2 || !strings.Contains(errOut.String(), "ru, uk, en") {
		t.Errorf("--lang de: code %d: %s", code, errOut.String())
	}
}

func TestTUIAddOperatorForOfflineSignIn(t *testing.T) {
	t.Parallel()
	data := t.TempDir()
	var errOut bytes.Buffer
	args := []string{"tui", "--data", data, "--office", "IRK", "--window", "3", "--add-operator", "ivanova", "--operator-name", "Иванова Ирина"}
	if _, code := runWith(t, strings.NewReader("secret12\n"), &errOut, args...); code != 2 || !strings.Contains(errOut.String(), "--password-stdin") {
		t.Fatalf("without --password-stdin: code %d: %s", code, errOut.String())
	}
	errOut.Reset()
	if _, code := runWith(t, strings.NewReader("short\n"), &errOut, append(args, "--password-stdin")...); code != 2 {
		t.Fatalf("a short password: code %d: %s", code, errOut.String())
	}
	out, code := runWith(t, strings.NewReader("secret12\n"), &errOut, append(args, "--password-stdin", "--equipment", "biometric, scanner")...)
	if code != 0 || !strings.Contains(out, "ivanova can now sign in") {
		t.Fatalf("code %d: %s %s", code, out, errOut.String())
	}
	ctx := context.Background()
	st, err := localdb.Open(ctx, filepath.Join(data, "okno.db"), localdb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	op, err := st.SignInOffline(ctx, "ivanova", "secret12")
	if err != nil || op.Name != "Иванова Ирина" || st.Office() != "IRK" || st.Window() != 3 {
		t.Errorf("sign-in: %+v %v (office %s window %d)", op, err, st.Office(), st.Window())
	}
	if _, err := st.SignInOffline(ctx, "ivanova", "wrong"); !errors.Is(err, domain.ErrBadCredentials) {
		t.Errorf("a wrong password: %v", err)
	}
	if eq, _ := st.Meta(ctx, "equipment"); eq != "biometric, scanner" {
		t.Errorf("the equipment kept is %q", eq)
	}
}

func TestWindowEquipment(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st, err := localdb.Open(ctx, filepath.Join(t.TempDir(), "okno.db"), localdb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	got, err := windowEquipment(ctx, st, tuiFlags{equipment: " biometric , ,scanner"})
	if err != nil || strings.Join(got, "|") != "biometric|scanner" {
		t.Fatalf("%q %v", got, err)
	}
	got, err = windowEquipment(ctx, st, tuiFlags{})
	if err != nil || strings.Join(got, "|") != "biometric|scanner" {
		t.Errorf("the next start reads %q %v", got, err)
	}
}

// TestTUIOfficeFlags: --country and --calendar are kept in the store and
// count its deadlines; a wrong one is refused with exit 2.
func TestTUIOfficeFlags(t *testing.T) {
	t.Parallel()
	data := t.TempDir()
	var errOut bytes.Buffer
	args := []string{"tui", "--data", data, "--office", "KYV", "--window", "1", "--add-operator", "olena", "--password-stdin"}
	if _, code := runWith(t, strings.NewReader("secret12\n"), &errOut, append(args, "--country", "DE")...); code != 2 || !strings.Contains(errOut.String(), "RU or UA") {
		t.Fatalf("--country DE: code %d: %s", code, errOut.String())
	}
	if _, code := runWith(t, strings.NewReader("secret12\n"), &errOut, append(args, "--country", "UA")...); code != 0 {
		t.Fatalf("code %d: %s", code, errOut.String())
	}
	ctx := context.Background()
	st, err := localdb.Open(ctx, filepath.Join(data, "okno.db"), localdb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if o, err := st.OfficeSettings(ctx); err != nil || o.Country != "UA" || o.CalendarName() != "ua" {
		t.Errorf("%+v %v", o, err)
	}
	if !st.Calendar().IsWorkingDay(time.Date(2027, 1, 7, 12, 0, 0, 0, time.UTC)) {
		t.Error("Jan 7 is a working day in Ukraine")
	}
}

// TestTUIPrinterAndOfficeDetails: a wrong --printer is refused with exit 2
// and the kinds listed; the office's details are kept for the receipts.
func TestTUIPrinterAndOfficeDetails(t *testing.T) {
	t.Parallel()
	data := t.TempDir()
	var errOut bytes.Buffer
	if _, code := runWith(t, strings.NewReader(""), &errOut, "tui", "--data", data, "--printer", "laser:x"); code != 2 || !strings.Contains(errOut.String(), "escpos:") {
		t.Fatalf("--printer laser:x: code %d: %s", code, errOut.String())
	}
	args := []string{"tui", "--data", data, "--office", "IRK", "--window", "3", "--add-operator", "ivanova", "--password-stdin",
		"--office-name", "МФЦ г. Иркутск", "--office-address", "ул. Ленина, 1", "--office-phone", "+7 3952 00-00-00",
		"--office-hours", "пн–пт 8:00–20:00", "--receipt-lang", "ru"}
	if _, code := runWith(t, strings.NewReader("secret12\n"), &errOut, args...); code != 0 {
		t.Fatalf("code %d: %s", code, errOut.String())
	}
	ctx := context.Background()
	st, err := localdb.Open(ctx, filepath.Join(data, "okno.db"), localdb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	o, err := st.OfficeSettings(ctx)
	if err != nil || o.Name != "МФЦ г. Иркутск" || o.Address != "ул. Ленина, 1" || o.Phone != "+7 3952 00-00-00" || o.Hours != "пн–пт 8:00–20:00" || o.Lang() != "ru" {
		t.Errorf("%+v %v", o, err)
	}
}
