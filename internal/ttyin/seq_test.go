package ttyin

import "testing"

func TestBoundary(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		want int
	}{
		{"empty", "", 0},
		{"ascii", "abc", 3},
		{"cyrillic whole", "ёЁ", 4},
		{"cyrillic cut", "аб\xd0", 4},
		{"ukrainian cut", "ґ\xd2", 2},
		{"three-byte cut after two", "a\xe2\x80", 1},
		{"four-byte whole", "😀", 4},
		{"invalid byte is its own token", "\xffa", 2},
		{"lone esc", "ab\x1b", 2},
		{"csi whole", "a\x1b[A", 4},
		{"csi cut in params", "a\x1b[1;5", 1},
		{"csi cut after bracket", "a\x1b[", 1},
		{"bracketed paste start", "\x1b[200~пр", 10},
		{"ss3 whole", "\x1bOP", 3},
		{"ss3 cut", "\x1bO", 0},
		{"alt letter", "\x1bё", 3},
		{"alt letter cut", "\x1b\xd1", 0},
		{"alt arrow", "\x1b\x1b[A", 4},
		{"alt arrow cut", "\x1b\x1b[", 0},
		{"osc bel", "\x1b]11;rgb:0000/0000/0000\x07x", 25},
		{"osc st", "\x1b]10;rgb:ffff/ffff/ffff\x1b\\", 25},
		{"osc cut", "\x1b]11;rgb:00", 0},
		{"osc cut at st", "\x1b]11;rgb:00\x1b", 0},
		{"x10 mouse whole", "\x1b[M !!", 6},
		{"x10 mouse cut", "\x1b[M !", 0},
		{"csi broken by a control byte", "\x1b[1\rb", 5},
		{"da1 answer", "\x1b[?62;22c", 9},
	}
	for _, tt := range tests {
		if got := Boundary([]byte(tt.in)); got != tt.want {
			t.Errorf("%s: Boundary(%q) = %d, want %d", tt.name, tt.in, got, tt.want)
		}
	}
}
