package receipt

import (
	"bytes"
	"context"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/charmbracelet/x/exp/golden"
	"golang.org/x/text/encoding/charmap"
)

func withCentre() Receipt {
	r := sample()
	r.Centre = Centre{Name: "МФЦ «Мои документы» г. Иркутск", Address: "664003, г. Иркутск, ул. Ленина, д. 1",
		Phone: "+7 3952 00-00-00", Hours: "пн–пт 8:00–20:00, сб 9:00–15:00"}
	return r
}

// TestEscPos: the thermal receipt's bytes against goldens (go test
// ./receipt -update rewrites them; review the diff), and no printed line
// wider than 48 columns.
func TestEscPos(t *testing.T) {
	t.Parallel()
	for _, l := range []string{"ru", "uk"} {
		t.Run(l, func(t *testing.T) {
			t.Parallel()
			r := withCentre()
			if l == "uk" {
				r.Visitor, r.MissingReason = "Ґудзь Мар'яна Їжакевич", "заявниця подасть проєкт до відомства сама"
			}
			out, err := EscPos(r, l)
			if err != nil {
				t.Fatal(err)
			}
			golden.RequireEqual(t, out)
			if !bytes.HasPrefix(out, []byte("\x1b@\x1bt\x2e")) || !bytes.HasSuffix(out, []byte("\x1bd\x04\x1dVB\x00")) {
				t.Errorf("not initialised in code page 1251, or not cut at the end")
			}
			if !bytes.Contains(out, append([]byte{0x1d, 'k', 73, byte(len(r.CaseNumber) + 2), '{', 'B'}, r.CaseNumber...)) {
				t.Error("no Code 128 of the case number")
			}
			if !bytes.Contains(out, append([]byte{49, 80, 48}, r.CaseNumber...)) {
				t.Error("no QR code of the case number")
			}
			decoded, _ := charmap.Windows1251.NewDecoder().Bytes(out)
			for _, want := range []string{r.Visitor, "Иркутск", "Телефон:", r.CaseNumber} {
				if !strings.Contains(string(decoded), want) {
					t.Errorf("the receipt does not say %q", want)
				}
			}
			for i, line := range bytes.Split(out, []byte("\n")) {
				if bytes.Contains(line, []byte{0x1d, 'k'}) || bytes.Contains(line, []byte{0x1d, '('}) {
					continue // barcode data
				}
				for _, cmd := range [][]byte{escInit, escCodePage, escCenter, escLeft, escBoldOn, escBoldOff, escDouble, escNormal} {
					line = bytes.ReplaceAll(line, cmd, nil)
				}
				if len(line) > EscPosColumns {
					t.Errorf("line %d has %d columns: %q", i, len(line), line)
				}
			}
		})
	}
}

func TestParsePrinter(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		spec string
		want any
	}{
		{"cups:office-a4", &CUPS{Name: "office-a4"}},
		{"escpos:/dev/usb/lp0", &ESCPOS{Addr: "/dev/usb/lp0"}},
		{"escpos:10.0.0.5:9100", &ESCPOS{Addr: "10.0.0.5:9100"}},
		{"file:/tmp/receipts", &FilePrinter{Dir: "/tmp/receipts"}},
	} {
		p, err := ParsePrinter(tc.spec)
		if err != nil {
			t.Errorf("%s: %v", tc.spec, err)
			continue
		}
		if got, want := p, tc.want; !equalPrinters(got, want) {
			t.Errorf("%s: %#v, want %#v", tc.spec, got, want)
		}
	}
	for _, bad := range []string{"", "cups", "cups:", "laser:x", "/dev/usb/lp0"} {
		if _, err := ParsePrinter(bad); err == nil || !strings.Contains(err.Error(), "escpos:") {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

func equalPrinters(a, b any) bool {
	switch a := a.(type) {
	case *CUPS:
		b, ok := b.(*CUPS)
		return ok && *a == *b
	case *ESCPOS:
		b, ok := b.(*ESCPOS)
		return ok && *a == *b
	case *FilePrinter:
		b, ok := b.(*FilePrinter)
		return ok && *a == *b
	}
	return false
}

// TestCUPSWithAFakeLP: lp -d NAME -t NUMBER FILE, with the receipt's PDF in
// FILE, through a fake lp on PATH that records what it was given.
func TestCUPSWithAFakeLP(t *testing.T) {
	dir := t.TempDir()
	script := "#!/bin/sh\nprintf '%s\\n' \"$@\" > " + dir + "/args\ncp \"$5\" " + dir + "/job.pdf\necho 'request id is office-a4-7 (1 file(s))'\n"
	if err := os.WriteFile(filepath.Join(dir, "lp"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
	r := withCentre()
	where, err := (&CUPS{Name: "office-a4"}).Print(context.Background(), r, "ru")
	if err != nil || where != "CUPS office-a4" {
		t.Fatalf("%q %v", where, err)
	}
	args, _ := os.ReadFile(filepath.Join(dir, "args"))
	lines := strings.Split(strings.TrimSpace(string(args)), "\n")
	if len(lines) != 5 || lines[0] != "-d" || lines[1] != "office-a4" || lines[2] != "-t" || lines[3] != r.CaseNumber {
		t.Errorf("lp was given %q", lines)
	}
	job, _ := os.ReadFile(filepath.Join(dir, "job.pdf"))
	if !bytes.HasPrefix(job, []byte("%PDF-")) {
		t.Errorf("lp got no PDF")
	}
	if _, err := os.Stat(lines[len(lines)-1]); !os.IsNotExist(err) {
		t.Errorf("the temporary PDF is left behind: %v", err)
	}
	// A failing lp is reported with what it said.
	os.WriteFile(filepath.Join(dir, "lp"), []byte("#!/bin/sh\necho 'lp: The printer or class does not exist.' >&2\nexit 1\n"), 0o755)
	if _, err := (&CUPS{Name: "nope"}).Print(context.Background(), r, "ru"); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("a failing lp: %v", err)
	}
	if _, err := (&CUPS{Name: "x", LP: "okno-no-such-lp"}).Print(context.Background(), r, "ru"); err == nil || !strings.Contains(err.Error(), "cups-client") {
		t.Errorf("without lp: %v", err)
	}
}

// TestCUPSReal prints through a real CUPS when one runs and
// OKNO_TEST_CUPS_PRINTER names a queue; it skips otherwise.
func TestCUPSReal(t *testing.T) {
	name := os.Getenv("OKNO_TEST_CUPS_PRINTER")
	if name == "" {
		t.Skip("OKNO_TEST_CUPS_PRINTER is not set: no CUPS queue to print on")
	}
	if out, err := exec.Command("lpstat", "-r").Output(); err != nil || !strings.Contains(string(out), "is running") {
		t.Skipf("the CUPS scheduler is not running: %s %v", out, err)
	}
	if _, err := (&CUPS{Name: name}).Print(context.Background(), withCentre(), "ru"); err != nil {
		t.Fatal(err)
	}
}

// TestESCPOSOverTheNetwork: the bytes arrive whole at a printer's port (a
// listener on 127.0.0.1).
func TestESCPOSOverTheNetwork(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	got := make(chan []byte, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			got <- nil
			return
		}
		defer c.Close()
		b, _ := io.ReadAll(c)
		got <- b
	}()
	r := withCentre()
	if _, err := (&ESCPOS{Addr: ln.Addr().String()}).Print(context.Background(), r, "ru"); err != nil {
		t.Fatal(err)
	}
	want, _ := EscPos(r, "ru")
	if b := <-got; !bytes.Equal(b, want) {
		t.Errorf("the printer got %d bytes, want %d", len(b), len(want))
	}
	ln.Close()
	if _, err := (&ESCPOS{Addr: ln.Addr().String()}).Print(context.Background(), r, "ru"); err == nil || !strings.Contains(err.Error(), "network") {
		t.Errorf("a printer that is off: %v", err)
	}
}

// TestESCPOSToADevice: the bytes go to the device file; a missing device
// is a clear error.
func TestESCPOSToADevice(t *testing.T) {
	t.Parallel()
	dev := filepath.Join(t.TempDir(), "lp0")
	if err := os.WriteFile(dev, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	r := withCentre()
	if _, err := (&ESCPOS{Addr: dev}).Print(context.Background(), r, "uk"); err != nil {
		t.Fatal(err)
	}
	want, _ := EscPos(r, "uk")
	if b, _ := os.ReadFile(dev); !bytes.Equal(b, want) {
		t.Errorf("the device got %d bytes, want %d", len(b), len(want))
	}
	if _, err := (&ESCPOS{Addr: dev + "-missing"}).Print(context.Background(), r, "uk"); err == nil || !strings.Contains(err.Error(), "printer on") {
		t.Errorf("a missing device: %v", err)
	}
}

func TestFilePrinter(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "printed")
	r := withCentre()
	where, err := (&FilePrinter{Dir: dir}).Print(context.Background(), r, "en")
	if err != nil || where != filepath.Join(dir, r.CaseNumber+".pdf") {
		t.Fatalf("%q %v", where, err)
	}
	b, _ := os.ReadFile(where)
	st, _ := os.Stat(where)
	if !bytes.HasPrefix(b, []byte("%PDF-")) || st.Mode().Perm() != 0o600 {
		t.Errorf("%s: %d bytes, mode %v", where, len(b), st.Mode().Perm())
	}
}
