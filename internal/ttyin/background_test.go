package ttyin

import "testing"

func TestParseColorReport(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in       string
		dark, ok bool
	}{
		{"\x1b]11;rgb:0000/0000/0000\x1b\\", true, true},
		{"\x1b]11;rgb:ffff/ffff/ffff\a", false, true},
		{"\x1b]11;rgb:1e1e/1e1e/2e2e\a", true, true},
		{"\x1b]11;rgb:fd/f6/e3\x1b\\", false, true}, // solarized light, 2 digits
		{"\x1b]11;rgb:f/f/f\a", false, true},
		{"\x1b]11;rgba:ffff/ffff/ffff/ffff\a", false, false},
		{"\x1b]11;rgb:ffff/ffff\a", false, false},
		{"\x1b]11;rgb:zzzz/0000/0000\a", false, false},
		{"\x1b]11;?\a", false, false},
	}
	for _, tt := range tests {
		dark, ok := parseColorReport([]byte(tt.in))
		if dark != tt.dark || ok != tt.ok {
			t.Errorf("parseColorReport(%q) = %v, %v; want %v, %v", tt.in, dark, ok, tt.dark, tt.ok)
		}
	}
}
