package receipt

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"strings"
	"time"
)

// QueueTicket is a visitor's queue ticket as the hall's kiosk prints it:
// no personal data, the number large, and the QR code of the page that
// follows it on a phone.
type QueueTicket struct {
	Office    string        // the office's name
	Number    string
	Service   string        // the service's name
	Category  string        // a privileged category's name, "" for none
	Proof     string        // the document the window checks for it
	IssuedAt  time.Time     // in the office's zone
	Ahead     int           // people ahead
	Wait      time.Duration // expected
	FollowURL string        // absolute: the ticket's tracking page
	// RatingCode and RateURL rate the service once the visitor was served
	// (issue 15 §4): the code printed as K7M2-9QXA-3FHD, the absolute
	// /rate/{code} address as a second QR code. Empty: not printed.
	RatingCode string
	RateURL    string
}

var ticketLabels = map[string]map[string]string{
	"ru": {"ticket": "Талон", "issued": "Выдан", "ahead": "Перед вами", "wait": "Ожидание около %d мин", "proof": "Покажите в окне", "rate": "Оцените обслуживание, код", "follow": "Следите за очередью:"},
	"uk": {"ticket": "Талон", "issued": "Видано", "ahead": "Перед вами", "wait": "Очікування близько %d хв", "proof": "Покажіть у вікні", "rate": "Оцініть обслуговування, код", "follow": "Стежте за чергою:"},
	"en": {"ticket": "Ticket", "issued": "Issued", "ahead": "Ahead of you", "wait": "Expected wait about %d min", "proof": "Show at the window", "rate": "Rate the service, code", "follow": "Follow the queue:"},
}

// EscPosTicket renders a queue ticket for an 80 mm thermal printer in lang
// (ru, uk or en): 48 columns in code page 1251, the number in quadruple
// size, the tracking page's address as a QR code in the printer's own
// symbology, then a feed and a partial cut.
func EscPosTicket(t QueueTicket, lang string) ([]byte, error) {
	L, ok := ticketLabels[lang]
	if !ok {
		L = ticketLabels["en"]
	}
	if t.Number == "" {
		return nil, fmt.Errorf("a ticket without a number")
	}
	var b bytes.Buffer
	text := func(s string) {
		enc, err := win1251.String(s)
		if err != nil {
			enc = strings.Repeat("?", len([]rune(s)))
		}
		b.WriteString(enc)
		b.WriteByte('\n')
	}
	wrapped := func(s string) {
		for _, line := range wrap(s, EscPosColumns) {
			text(line)
		}
	}
	b.Write(escInit)
	b.Write(escCodePage)
	b.Write(escCenter)
	b.Write(escBoldOn)
	wrapped(t.Office)
	b.Write(escBoldOff)
	b.WriteByte('\n')
	text(L["ticket"])
	b.Write(escBoldOn)
	b.Write([]byte{0x1d, '!', 0x33}) // four times as wide and as high
	text(t.Number)
	b.Write(escNormal)
	b.Write(escBoldOff)
	b.WriteByte('\n')
	wrapped(t.Service)
	if t.Category != "" {
		b.Write(escBoldOn)
		wrapped(t.Category)
		b.Write(escBoldOff)
		if t.Proof != "" {
			wrapped(L["proof"] + ": " + t.Proof)
		}
	}
	b.WriteByte('\n')
	text(L["issued"] + " " + t.IssuedAt.Format("02.01.2006 15:04"))
	text(fmt.Sprintf("%s: %d", L["ahead"], t.Ahead))
	text(fmt.Sprintf(L["wait"], max(1, int((t.Wait+30*time.Second)/time.Minute))))
	qr := func(data string) {
		store := append([]byte{49, 80, 48}, data...)
		n := len(store)
		b.Write([]byte{0x1d, '(', 'k', 4, 0, 49, 65, 50, 0})          // QR model 2
		b.Write([]byte{0x1d, '(', 'k', 3, 0, 49, 67, 6})              // module size 6 dots
		b.Write([]byte{0x1d, '(', 'k', 3, 0, 49, 69, 49})             // error correction M
		b.Write([]byte{0x1d, '(', 'k', byte(n % 256), byte(n / 256)}) // store the data
		b.Write(store)
		b.Write([]byte{0x1d, '(', 'k', 3, 0, 49, 81, 48}) // print it
		b.WriteByte('\n')
	}
	if t.FollowURL != "" {
		b.WriteByte('\n')
		text(L["follow"])
		qr(t.FollowURL)
		wrapped(t.FollowURL)
	}
	if t.RatingCode != "" {
		b.WriteByte('\n')
		wrapped(L["rate"] + " " + t.RatingCode)
		if t.RateURL != "" {
			qr(t.RateURL)
			wrapped(t.RateURL)
		}
	}
	b.Write(escLeft)
	b.Write(escFeedCut)
	return b.Bytes(), nil
}

// SendEscPos writes ESC/POS bytes to a thermal printer: a device file
// (/dev/usb/lp0) or a network printer (HOST[:PORT], raw TCP, port 9100 by
// default). It returns where it printed.
func SendEscPos(ctx context.Context, addr string, data []byte) (string, error) {
	if strings.HasPrefix(addr, "/") || strings.HasPrefix(addr, ".") {
		f, err := os.OpenFile(addr, os.O_WRONLY|os.O_APPEND, 0)
		if err != nil {
			return "", fmt.Errorf("print on %s: %w (is the printer on, and may this user write to it?)", addr, err)
		}
		if _, err := f.Write(data); err != nil {
			f.Close()
			return "", fmt.Errorf("print on %s: %w", addr, err)
		}
		return addr, f.Close()
	}
	if _, _, err := net.SplitHostPort(addr); err != nil {
		addr = net.JoinHostPort(addr, "9100")
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	conn, err := (&net.Dialer{}).DialContext(ctx, "tcp", addr)
	if err != nil {
		return "", fmt.Errorf("print on %s: %w (is the printer on and on the network?)", addr, err)
	}
	defer conn.Close()
	if d, ok := ctx.Deadline(); ok {
		_ = conn.SetWriteDeadline(d)
	}
	if _, err := conn.Write(data); err != nil {
		return "", fmt.Errorf("print on %s: %w", addr, err)
	}
	return addr, nil
}
