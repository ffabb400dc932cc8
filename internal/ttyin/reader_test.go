//go:build unix

package ttyin

import (
	"bytes"
	"errors"
	"io"
	"os"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// sample mixes what a clerk's terminal sends: Russian and Ukrainian text
// with apostrophes, keys sent as escape sequences, an Alt-letter and a
// terminal's answer to a colour query.
const sample = "Щербаков-Ёлкин Мар'яна Ґудзь їжак є Іваненко О’Коннор \x1b[A\x1bOP\x1bё\x1b[1;5C " +
	"\x1b]4;1;rgb:cdcd/0000/0000\x07слово19 «кавычки» — тире 😀 ЁЁЁЁЁ іїєґ ІЇЄҐ"

// readAll reads r the way bubbletea does, 256 bytes a time, and checks
// every read: shorter than the buffer, whole tokens only.
func readAll(t *testing.T, r io.Reader, want int) []byte {
	t.Helper()
	var got []byte
	buf := make([]byte, 256)
	for len(got) < want {
		n, err := r.Read(buf)
		chunk := buf[:n]
		if n >= len(buf) {
			t.Fatalf("a read filled the whole buffer (%d bytes)", n)
		}
		if Boundary(chunk) != n {
			t.Fatalf("a read ends inside a token: %q", chunk[max(0, n-8):])
		}
		got = append(got, chunk...)
		if err != nil {
			t.Fatalf("read: %v after %d bytes", err, len(got))
		}
	}
	return got
}

func pipe(t *testing.T) (*os.File, *os.File) {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close(); w.Close() })
	return r, w
}

// TestReaderEverySplitPosition writes the input in two writes cut at every
// byte position, and, separately, shifts it so that the reader's own buffer
// ends at every position of it.
func TestReaderEverySplitPosition(t *testing.T) {
	t.Parallel()
	text := []byte(strings.Repeat(sample, 3))
	for k := 0; k <= len(text); k++ {
		pr, pw := pipe(t)
		rd := New(pr)
		rd.Wait = 5 * time.Second // the rest always comes in a test
		go func() {
			pw.Write(text[:k])
			pw.Write(text[k:])
		}()
		if got := readAll(t, rd, len(text)); !bytes.Equal(got, text) {
			t.Fatalf("split at %d: read %q", k, got)
		}
		pr.Close()
		pw.Close()
	}
	for shift := 0; shift < 300; shift++ {
		in := append([]byte(strings.Repeat("a", shift)), text...)
		pr, pw := pipe(t)
		rd := New(pr)
		rd.Wait = 5 * time.Second
		go pw.Write(in)
		if got := readAll(t, rd, len(in)); !bytes.Equal(got, in) {
			t.Fatalf("shift %d: read %q", shift, got)
		}
		if !utf8.Valid(in) {
			t.Fatal("the sample is not valid UTF-8")
		}
		pr.Close()
		pw.Close()
	}
}

// TestReaderHandsOnALoneEsc: an Esc key is a sequence that never goes on;
// it is handed on after Wait, with what came before it.
func TestReaderHandsOnALoneEsc(t *testing.T) {
	t.Parallel()
	for _, in := range []string{"\x1b", "ab\x1b", "ё\x1b\x1b"} {
		pr, pw := pipe(t)
		rd := New(pr)
		rd.Wait = 20 * time.Millisecond
		if _, err := pw.Write([]byte(in)); err != nil {
			t.Fatal(err)
		}
		buf := make([]byte, 256)
		n, err := rd.Read(buf)
		if err != nil || string(buf[:n]) != in {
			t.Errorf("read %q, %v; want %q", buf[:n], err, in)
		}
	}
}

// TestReaderEOF: the end of input is passed on, with the last bytes.
func TestReaderEOF(t *testing.T) {
	t.Parallel()
	pr, pw := pipe(t)
	rd := New(pr)
	pw.Write([]byte("ab\xd0"))
	pw.Close()
	var got []byte
	buf := make([]byte, 256)
	for {
		n, err := rd.Read(buf)
		got = append(got, buf[:n]...)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if string(got) != "ab\xd0" {
		t.Errorf("read %q", got)
	}
}

// TestReaderDropsLateAnswers: a colour or DA1 answer that comes after
// Background gave up is not handed on as typed text; keys around it are.
func TestReaderDropsLateAnswers(t *testing.T) {
	t.Parallel()
	pr, pw := pipe(t)
	rd := New(pr)
	rd.Wait = 5 * time.Second
	in := "ё\x1b]11;rgb:0000/0000/0000\x1b\\ж\x1b[?62;22cз\x1b]10;rgb:ffff/ffff/ffff\x07и\x1b[Aй"
	go pw.Write([]byte(in))
	want := "ёжзи\x1b[Aй"
	var got []byte
	buf := make([]byte, 256)
	for len(got) < len(want) {
		n, err := rd.Read(buf)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, buf[:n]...)
	}
	if string(got) != want {
		t.Errorf("read %q, want %q", got, want)
	}
}
