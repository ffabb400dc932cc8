package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/okno-mfc/okno/domain"
)

// runCatalogCmd runs okno in-process with the given environment variables
// and returns its output and exit code.
func runCatalogCmd(t *testing.T, vars map[string]string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errOut bytes.Buffer
	e := &env{
		stdin:  strings.NewReader(""),
		stdout: &out,
		stderr: &errOut,
		getenv: func(k string) string { return vars[k] },
	}
	code = e.main(args)
	return out.String(), errOut.String(), code
}

// lineWith returns the line of text that contains s.
func lineWith(t *testing.T, text, s string) string {
	t.Helper()
	for _, l := range strings.Split(text, "\n") {
		if strings.Contains(l, s) {
			return l
		}
	}
	t.Fatalf("no line with %q in:\n%s", s, text)
	return ""
}

var (
	ruLocale = map[string]string{"LANG": "ru_RU.UTF-8"}
	ukLocale = map[string]string{"LANG": "uk_UA.UTF-8"}
)

func TestCatalogListRussian(t *testing.T) {
	t.Parallel()
	out, errOut, code := runCatalogCmd(t, ruLocale, "catalog", "list")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if header := strings.Fields(strings.SplitN(out, "\n", 2)[0]); strings.Join(header, " ") != "КОД ПРЕФИКС СРОК ПОШЛИНА УСЛУГА" {
		t.Errorf("header = %v", header)
	}
	ad := lineWith(t, out, "advertising_permit")
	for _, want := range []string{" A ", "60 кал. дн.", "5 000 ₽", "Выдача разрешения на установку и эксплуатацию рекламной конструкции"} {
		if !strings.Contains(ad, want) {
			t.Errorf("advertising_permit row %q lacks %q", ad, want)
		}
	}
	if row := lineWith(t, out, "kindergarten_queue"); !strings.Contains(row, "7 раб. дн.") || !strings.Contains(row, " 0 ") {
		t.Errorf("kindergarten_queue row %q", row)
	}
	if row := lineWith(t, out, "foreign_passport"); !strings.Contains(row, "782 ₴") {
		t.Errorf("foreign_passport row %q", row)
	}
	if n := strings.Count(strings.TrimSpace(out), "\n"); n != len(domain.DefaultCatalog().Services) {
		t.Errorf("%d rows, want one per service", n)
	}
}

func TestCatalogListEnglishAndUkrainian(t *testing.T) {
	t.Parallel()
	// --lang wins over the locale.
	out, _, code := runCatalogCmd(t, ruLocale, "catalog", "list", "--lang", "en")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	ad := lineWith(t, out, "advertising_permit")
	if !strings.Contains(ad, "60 calendar days") || !strings.Contains(ad, "Permit to install and operate an advertising structure") {
		t.Errorf("advertising_permit row %q", ad)
	}
	out, _, _ = runCatalogCmd(t, ukLocale, "catalog", "list")
	if ad := lineWith(t, out, "advertising_permit"); !strings.Contains(ad, "Видача дозволу") {
		t.Errorf("Ukrainian row %q", ad)
	}
	// No locale at all: English.
	out, _, _ = runCatalogCmd(t, nil, "catalog", "list")
	if !strings.HasPrefix(out, "CODE") {
		t.Errorf("without a locale the header is %q", strings.SplitN(out, "\n", 2)[0])
	}
}

func TestCatalogListJSON(t *testing.T) {
	t.Parallel()
	out, errOut, code := runCatalogCmd(t, ruLocale, "catalog", "list", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var services []domain.Service
	if err := json.Unmarshal([]byte(out), &services); err != nil {
		t.Fatalf("--json output does not parse: %v", err)
	}
	if len(services) < 15 {
		t.Fatalf("%d services", len(services))
	}
	def := domain.DefaultCatalog()
	if services[0].Code != def.Services[0].Code || len(services[0].Documents) != len(def.Services[0].Documents) {
		t.Errorf("first service %+v", services[0])
	}
}

func TestCatalogUnknownLang(t *testing.T) {
	t.Parallel()
	_, errOut, code := runCatalogCmd(t, nil, "catalog", "list", "--lang", "de")
	if code != 2 || !strings.Contains(errOut, `"de"`) || !strings.Contains(errOut, "ru, uk, en") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
}

func TestCatalogShow(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{"catalog", "show", "advertising_permit", "--lang", "en"},
		{"catalog", "show", "--lang", "en", "advertising_permit"},
	} {
		out, errOut, code := runCatalogCmd(t, ruLocale, args...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errOut)
		}
		for _, want := range []string{
			"advertising_permit — Permit to install and operate an advertising structure",
			"Name (ru):", "Department:", "60 calendar days", "5 000 ₽", "Ticket prefix:", "38-ФЗ",
			"Documents (9):",
		} {
			if !strings.Contains(out, want) {
				t.Errorf("%v: output lacks %q:\n%s", args, want, out)
			}
		}
		if norm := lineWith(t, out, "Waiting norm:"); !strings.HasSuffix(norm, " 15 min") {
			t.Errorf("waiting norm %q", norm)
		}
		egrn := lineWith(t, out, "egrn_extract")
		for _, f := range []string{"optional", "original", "1", "yes", "Extract from the real estate register"} {
			if !strings.Contains(egrn, f) {
				t.Errorf("egrn_extract row %q lacks %q", egrn, f)
			}
		}
		if poa := lineWith(t, out, "power_of_attorney"); !strings.Contains(poa, "if available") || strings.Contains(poa, "yes") {
			t.Errorf("power_of_attorney row %q", poa)
		}
	}
	out, _, _ := runCatalogCmd(t, ruLocale, "catalog", "show", "foreign_passport")
	for _, want := range []string{"biometric", "20 раб. дн.", "782 ₴", "обязательно", "при наличии"} {
		if !strings.Contains(out, want) {
			t.Errorf("foreign_passport in Russian lacks %q:\n%s", want, out)
		}
	}
}

func TestCatalogShowUnknownCode(t *testing.T) {
	t.Parallel()
	out, errOut, code := runCatalogCmd(t, nil, "catalog", "show", "passport")
	if code != 1 || out != "" {
		t.Fatalf("exit %d, stdout %q", code, out)
	}
	for _, want := range []string{`no service "passport"`, "okno catalog list", "foreign_passport"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr %q lacks %q", errOut, want)
		}
	}
	if _, _, code := runCatalogCmd(t, nil, "catalog", "show"); code != 2 {
		t.Errorf("show without a code: exit %d, want 2", code)
	}
	if _, _, code := runCatalogCmd(t, nil, "catalog", "show", "a", "b"); code != 2 {
		t.Errorf("show with two codes: exit %d, want 2", code)
	}
}

func writeFile(t *testing.T, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestCatalogValidate(t *testing.T) {
	t.Parallel()
	def := domain.DefaultCatalog()
	good := writeFile(t, "catalog.yaml", domain.DefaultCatalogYAML())
	out, errOut, code := runCatalogCmd(t, nil, "catalog", "validate", good)
	want := fmt.Sprintf("%s: ok, %d services, %d categories\n", good, len(def.Services), len(def.Categories))
	if code != 0 || out != want || errOut != "" {
		t.Errorf("exit %d, stdout %q (want %q), stderr %q", code, out, want, errOut)
	}

	jsonFile := writeFile(t, "catalog.json", def.JSON())
	if out, errOut, code := runCatalogCmd(t, nil, "catalog", "validate", jsonFile); code != 0 || !strings.Contains(out, ": ok,") {
		t.Errorf("JSON: exit %d, %q %q", code, out, errOut)
	}

	broken := writeFile(t, "broken.yaml", []byte(`version: "1"
services:
  - code: a
    names: {ru: а, uk: а, en: a}
    department: d
    deadline: 0
    prefix: A
    documents:
      - code: passport
        names: {ru: П, uk: П, en: P}
        need: requird
        form: copy
        count: 1
`))
	out, errOut, code = runCatalogCmd(t, nil, "catalog", "validate", broken)
	if code != 1 || out != "" {
		t.Fatalf("broken file: exit %d, stdout %q", code, out)
	}
	for _, want := range []string{
		broken + ":6: services[0].deadline: must be a positive number of days, not 0\n",
		broken + `:11: services[0].documents[0].need: "requird" is not one of required, optional, if_available` + "\n",
		"okno catalog: 2 problems in " + broken + "\n",
	} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}

	// The same file given to list is refused with its problems.
	if _, errOut, code := runCatalogCmd(t, nil, "catalog", "list", "--file", broken); code != 1 || !strings.Contains(errOut, ":11:") {
		t.Errorf("list --file broken: exit %d, stderr %q", code, errOut)
	}
	if _, _, code := runCatalogCmd(t, nil, "catalog", "validate", filepath.Join(t.TempDir(), "none.yaml")); code != 1 {
		t.Errorf("missing file: exit %d, want 1", code)
	}
	if _, _, code := runCatalogCmd(t, nil, "catalog", "validate"); code != 2 {
		t.Errorf("validate without a file: exit %d, want 2", code)
	}
}

func TestCatalogListFile(t *testing.T) {
	t.Parallel()
	c := domain.DefaultCatalog()
	c.Services = c.Services[:1]
	c.Services[0].Names["en"] = "Only service"
	path := writeFile(t, "one.json", c.JSON())
	out, errOut, code := runCatalogCmd(t, nil, "catalog", "list", "--file", path)
	if code != 0 || strings.Count(out, "\n") != 2 || !strings.Contains(out, "Only service") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	_, errOut, code = runCatalogCmd(t, nil, "catalog", "show", "--file", path, "kindergarten_queue")
	if code != 1 || !strings.Contains(errOut, "okno catalog list --file "+path) {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
}

func TestCatalogUsage(t *testing.T) {
	t.Parallel()
	if _, errOut, code := runCatalogCmd(t, nil, "catalog"); code != 2 || !strings.Contains(errOut, "okno catalog list") {
		t.Errorf("no subcommand: exit %d, %q", code, errOut)
	}
	if _, errOut, code := runCatalogCmd(t, nil, "catalog", "lst"); code != 2 || !strings.Contains(errOut, `"lst"`) {
		t.Errorf("unknown subcommand: exit %d, %q", code, errOut)
	}
	if out, _, code := runCatalogCmd(t, nil, "catalog", "--help"); code != 0 || !strings.Contains(out, "validate FILE") {
		t.Errorf("--help: exit %d, %q", code, out)
	}
	if _, _, code := runCatalogCmd(t, nil, "catalog", "list", "extra"); code != 2 {
		t.Errorf("list with an argument: exit %d, want 2", code)
	}
}

func TestLangFromEnv(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		vars map[string]string
		flag string
		want string
	}{
		{map[string]string{"LANG": "ru_RU.UTF-8"}, "", "ru"},
		{map[string]string{"LANG": "uk_UA"}, "", "uk"},
		{map[string]string{"LANG": "uk_UA.UTF-8@euro"}, "", "uk"},
		{map[string]string{"LANG": "en_GB.UTF-8"}, "", "en"},
		{map[string]string{"LANG": "C"}, "", "en"},
		{map[string]string{"LANG": "de_DE.UTF-8"}, "", "en"},
		{nil, "", "en"},
		{map[string]string{"LANG": "ru_RU.UTF-8", "LC_ALL": "uk_UA.UTF-8"}, "", "uk"},
		{map[string]string{"LANG": "ru_RU.UTF-8", "LC_MESSAGES": "C"}, "", "en"},
		{map[string]string{"LANG": "ru_RU.UTF-8"}, "en", "en"},
		{nil, "UK", "uk"},
	} {
		vars := tc.vars
		got, err := langFromEnv(func(k string) string { return vars[k] }, tc.flag)
		if err != nil || got != tc.want {
			t.Errorf("%v --lang %q: %q, %v; want %q", tc.vars, tc.flag, got, err, tc.want)
		}
	}
	if _, err := langFromEnv(nil, "fr"); err == nil || !strings.Contains(err.Error(), "ru, uk, en") {
		t.Errorf("--lang fr: %v", err)
	}
}

func TestFormatFee(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		fee      int64
		currency string
		want     string
	}{
		{0, "", "0"},
		{500000, "", "5 000 ₽"},
		{500000, "RUB", "5 000 ₽"},
		{78200, "UAH", "782 ₴"},
		{109850, "UAH", "1 098,50 ₴"},
		{123456789, "RUB", "1 234 567,89 ₽"},
		{5, "EUR", "0,05 EUR"},
	} {
		if got := formatFee(tc.fee, tc.currency); got != tc.want {
			t.Errorf("formatFee(%d, %q) = %q, want %q", tc.fee, tc.currency, got, tc.want)
		}
	}
}
