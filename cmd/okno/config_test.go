package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runEnv runs okno in-process with an environment of vars.
func runEnv(t *testing.T, vars map[string]string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errOut bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errOut, getenv: func(k string) string { return vars[k] }}
	code = e.main(args)
	return out.String(), errOut.String(), code
}

func writeConfig(t *testing.T, text string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "okno"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "okno", "config.yaml"), []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestConfigPrecedence: a flag wins over the variable, the variable over
// the file, the file over the default; okno config show says which.
func TestConfigPrecedence(t *testing.T) {
	t.Parallel()
	dir := writeConfig(t, `
central: https://file.example:8420
lang: uk
printer: cups:FromFile
office:
  name: МФЦ из файла
serve:
  db: /srv/okno/central.db
`)
	vars := map[string]string{"XDG_CONFIG_HOME": dir, "OKNO_PRINTER": "cups:FromEnv", "LANG": "ru_RU.UTF-8"}
	out, errOut, code := runEnv(t, vars, "config", "show", "--lang", "en")
	if code != 0 {
		t.Fatalf("config show: %d %s", code, errOut)
	}
	for _, want := range []string{
		filepath.Join(dir, "okno", "config.yaml"),
		"lang ", "en", "flag --lang",
		"printer", "cups:FromEnv", "env OKNO_PRINTER",
		"central", "https://file.example:8420", "file",
		"office.name", "МФЦ из файла",
		"serve.addr", "127.0.0.1:8420", "default",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("config show lacks %q:\n%s", want, out)
		}
	}
	lines := map[string]string{}
	for _, l := range strings.Split(out, "\n") {
		if f := strings.Fields(l); len(f) > 0 {
			lines[f[0]] = l
		}
	}
	for key, from := range map[string]string{"lang": "flag --lang", "printer": "env OKNO_PRINTER", "central": "file", "serve.db": "file", "serve.addr": "default"} {
		if !strings.HasSuffix(strings.TrimSpace(lines[key]), from) {
			t.Errorf("%s: %q, want from %s", key, lines[key], from)
		}
	}
	// The commands take the file's values as their defaults.
	out, _, _ = runEnv(t, vars, "serve", "--help")
	if !strings.Contains(out, "/srv/okno/central.db") {
		t.Errorf("okno serve --help does not show the file's database:\n%s", out)
	}
	out, _, _ = runEnv(t, vars, "report", "--help")
	if !strings.Contains(out, "https://file.example:8420") {
		t.Errorf("okno report --help does not show the file's central:\n%s", out)
	}
}

// TestConfigBroken: an unknown key or bad YAML stops every command with
// exit 2 and the file's name; okno config path still answers.
func TestConfigBroken(t *testing.T) {
	t.Parallel()
	for _, text := range []string{"prnter: x\n", "office: {nmae: x}\n", "central: [a, b]\n", "lang: ru\n  bad: indent\n"} { //nolint:misspell // the misspelt keys are the test
		dir := writeConfig(t, text)
		vars := map[string]string{"XDG_CONFIG_HOME": dir}
		_, errOut, code := runEnv(t, vars, "version")
		if code != 2 || !strings.Contains(errOut, "config.yaml") {
			t.Errorf("%q: exit %d, %s", text, code, errOut)
		}
		if out, _, code := runEnv(t, vars, "config", "path"); code != 0 || !strings.Contains(out, dir) {
			t.Errorf("config path with a broken file: %d %s", code, out)
		}
	}
	// OKNO_CONFIG names another file; a missing one is no error.
	if out, _, code := runEnv(t, map[string]string{"OKNO_CONFIG": "/nonexistent/okno.yaml"}, "config", "show"); code != 0 || !strings.Contains(out, "not there") {
		t.Errorf("a missing file: %d %s", code, out)
	}
}
