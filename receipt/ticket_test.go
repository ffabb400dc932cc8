package receipt

import (
	"bytes"
	"context"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"
	"golang.org/x/text/encoding/charmap"
)

func kioskTicket() QueueTicket {
	return QueueTicket{Office: "МФЦ «Мои документы», Иркутск", Number: "A-017", Service: "Выдача разрешения на установку рекламной конструкции",
		Category: "Инвалиды и участники Великой Отечественной войны", Proof: "Удостоверение инвалида или участника ВОВ",
		IssuedAt: time.Date(2026, 3, 10, 9, 41, 0, 0, time.UTC), Ahead: 4, Wait: 37 * time.Minute,
		FollowURL: "https://okno.example/hall/IRK/t/A-017"}
}

// TestEscPosTicket: the kiosk ticket's bytes against goldens (go test
// ./receipt -update rewrites them), in each language; no line wider than
// 48 columns but the number's, which prints four times as wide.
func TestEscPosTicket(t *testing.T) {
	t.Parallel()
	for _, l := range []string{"ru", "uk", "en"} {
		t.Run(l, func(t *testing.T) {
			t.Parallel()
			tk := kioskTicket()
			if l == "en" {
				tk.Category, tk.Proof = "", ""
			}
			out, err := EscPosTicket(tk, l)
			if err != nil {
				t.Fatal(err)
			}
			golden.RequireEqual(t, out)
			if !bytes.HasPrefix(out, []byte("\x1b@\x1bt\x2e")) || !bytes.HasSuffix(out, []byte("\x1bd\x04\x1dVB\x00")) {
				t.Error("not initialised in code page 1251, or not cut at the end")
			}
			if !bytes.Contains(out, append([]byte{49, 80, 48}, tk.FollowURL...)) {
				t.Error("no QR code of the tracking page")
			}
			if !bytes.Contains(out, []byte("\x1d!\x33A-017\n")) {
				t.Error("the number is not printed large")
			}
			decoded, _ := charmap.Windows1251.NewDecoder().Bytes(out)
			for _, want := range []string{"Иркутск", "A-017", "10.03.2026 09:41"} {
				if !strings.Contains(string(decoded), want) {
					t.Errorf("the ticket lacks %q", want)
				}
			}
			for _, line := range strings.Split(string(decoded), "\n") {
				if strings.Contains(line, "\x1d(k") {
					continue
				}
				clean := strings.Map(func(r rune) rune {
					if r < 0x20 {
						return -1
					}
					return r
				}, line)
				if n := len([]rune(clean)); n > EscPosColumns+8 {
					t.Errorf("a line of %d columns: %q", n, clean)
				}
			}
		})
	}
	if _, err := EscPosTicket(QueueTicket{}, "ru"); err == nil {
		t.Error("a ticket without a number printed")
	}
}

// TestSendEscPos: the bytes reach a network printer on port 9100's
// stand-in, and a device file.
func TestSendEscPos(t *testing.T) {
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
			return
		}
		b, _ := io.ReadAll(c)
		got <- b
	}()
	data, _ := EscPosTicket(kioskTicket(), "ru")
	where, err := SendEscPos(context.Background(), ln.Addr().String(), data)
	if err != nil || where != ln.Addr().String() {
		t.Fatalf("send: %s %v", where, err)
	}
	select {
	case b := <-got:
		if !bytes.Equal(b, data) {
			t.Error("the printer got other bytes")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("nothing reached the printer")
	}
	dev := filepath.Join(t.TempDir(), "lp0")
	if err := os.WriteFile(dev, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := SendEscPos(context.Background(), dev, data); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(dev); !bytes.Equal(b, data) {
		t.Error("the device got other bytes")
	}
	if _, err := SendEscPos(context.Background(), filepath.Join(t.TempDir(), "none"), data); err == nil {
		t.Error("a missing device printed")
	}
}

// TestRatingPrinted: a ticket and a receipt with a rating code print the
// code and the rating page's address (the QR's data), in each language;
// without one nothing of it is printed.
func TestRatingPrinted(t *testing.T) {
	t.Parallel()
	const url = "https://okno.example/rate/K7M29QXA3FHD"
	for _, l := range []string{"ru", "uk", "en"} {
		tk := QueueTicket{Office: "МФЦ", Number: "A-001", Service: "Услуга", RatingCode: "K7M2-9QXA-3FHD", RateURL: url}
		b, err := EscPosTicket(tk, l)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(b, []byte("K7M2-9QXA-3FHD")) || bytes.Count(b, []byte(url)) != 2 {
			t.Errorf("%s: the ticket lacks the rating code or its QR and address", l)
		}
		tk.RatingCode, tk.RateURL = "", ""
		if b, _ := EscPosTicket(tk, l); bytes.Contains(b, []byte("/rate/")) {
			t.Errorf("%s: a ticket without a code prints a rating", l)
		}
		r := Receipt{CaseNumber: "IRK-03-261122-0007-8", RatingCode: "K7M29QXA3FHD", RateURL: url, Date: time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)}
		txt := Text(r, l)
		if !strings.Contains(txt, "K7M2-9QXA-3FHD") || !strings.Contains(txt, url) {
			t.Errorf("%s: the text receipt lacks the rating:\n%s", l, txt)
		}
		var pdf bytes.Buffer
		if err := PDF(r, l, &pdf); err != nil || pdf.Len() == 0 {
			t.Errorf("%s: PDF with a rating: %v", l, err)
		}
	}
}
