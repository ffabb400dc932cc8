package main

import (
	"bytes"
	"io"
	"path/filepath"
	"strings"
	"testing"
)

// runWith runs okno in-process with stdin and returns its output and exit code.
func runWith(t *testing.T, stdin io.Reader, stderr io.Writer, args ...string) (stdout string, code int) {
	t.Helper()
	var out bytes.Buffer
	e := &env{stdin: stdin, stdout: &out, stderr: stderr, getenv: func(string) string { return "" }}
	code = e.main(args)
	return out.String(), code
}

func TestUserAddList(t *testing.T) {
	db := filepath.Join(t.TempDir(), "central.db")
	var errOut bytes.Buffer
	if _, code := runWith(t, strings.NewReader("short\n"), &errOut, "user", "add", "--db", db, "--login", "anna", "--role", "clerk", "--office", "IRK"); code != 1 ||
		!strings.Contains(errOut.String(), "at least 8") {
		t.Fatalf("short password: code %d, %s", code, errOut.String())
	}
	errOut.Reset()
	if _, code := runWith(t, strings.NewReader("\n"), &errOut, "user", "add", "--db", db, "--login", "anna", "--role", "clerk", "--office", "IRK"); code != 1 ||
		!strings.Contains(errOut.String(), "empty") {
		t.Fatalf("empty password: code %d, %s", code, errOut.String())
	}
	errOut.Reset()
	if _, code := runWith(t, strings.NewReader("long enough 1\n"), &errOut, "user", "add", "--db", db, "--login", "anna", "--role", "boss", "--office", "IRK"); code != 2 ||
		!strings.Contains(errOut.String(), "role") {
		t.Fatalf("bad role: code %d, %s", code, errOut.String())
	}
	errOut.Reset()
	out, code := runWith(t, strings.NewReader("long enough 1\r\n"), &errOut, "user", "add", "--db", db, "--login", "anna", "--role", "clerk", "--office", "IRK", "--name", "Анна Петрова")
	if code != 0 || !strings.Contains(out, "added anna") {
		t.Fatalf("add: code %d, %s %s", code, out, errOut.String())
	}
	if _, code := runWith(t, strings.NewReader("long enough 1\n"), &errOut, "user", "add", "--db", db, "--login", "anna", "--role", "clerk", "--office", "IRK"); code != 1 {
		t.Fatalf("add twice: code %d", code)
	}
	runWith(t, strings.NewReader("another one 2\n"), &errOut, "user", "add", "--db", db, "--login", "boss", "--role", "admin", "--office", "*")
	out, code = runWith(t, nil, &errOut, "user", "list", "--db", db)
	if code != 0 || !strings.Contains(lineWith(t, out, "anna"), "clerk") || !strings.Contains(lineWith(t, out, "boss"), "*") || strings.Contains(out, "argon2") {
		t.Fatalf("list: code %d\n%s", code, out)
	}
	// A department's officer: the department must be one the catalogue knows.
	errOut.Reset()
	if _, code := runWith(t, strings.NewReader("long enough 3\n"), &errOut, "user", "add", "--db", db, "--login", "arch", "--role", "department", "--office", "*"); code != 2 ||
		!strings.Contains(errOut.String(), "department") {
		t.Fatalf("an officer without a department: code %d, %s", code, errOut.String())
	}
	errOut.Reset()
	if _, code := runWith(t, strings.NewReader("long enough 3\n"), &errOut, "user", "add", "--db", db, "--login", "arch", "--role", "department", "--office", "*", "--department", "Отдел архитектуры"); code != 2 ||
		!strings.Contains(errOut.String(), "Управление образования администрации") {
		t.Fatalf("an unknown department: code %d, %s", code, errOut.String())
	}
	errOut.Reset()
	if _, code := runWith(t, strings.NewReader("long enough 3\n"), &errOut, "user", "add", "--db", db, "--login", "anna2", "--role", "clerk", "--office", "IRK", "--department", "*"); code != 2 {
		t.Fatalf("a clerk with a department: code %d, %s", code, errOut.String())
	}
	out, code = runWith(t, strings.NewReader("long enough 3\n"), &errOut, "user", "add", "--db", db, "--login", "arch", "--role", "department", "--office", "*", "--department", "Управление образования администрации")
	if code != 0 || !strings.Contains(out, "department Управление образования администрации") {
		t.Fatalf("an officer: code %d, %s %s", code, out, errOut.String())
	}
	out, _ = runWith(t, nil, &errOut, "user", "list", "--db", db)
	if !strings.Contains(lineWith(t, out, "arch"), "Управление образования администрации") {
		t.Fatalf("list: %s", out)
	}
	// Moved to another department; a clerk has none to move.
	out, code = runWith(t, nil, &errOut, "user", "department", "--db", db, "--login", "arch", "--department", "Архивный отдел администрации")
	if code != 0 || !strings.Contains(out, "arch now works for department Архивный отдел администрации") {
		t.Fatalf("department: code %d %s %s", code, out, errOut.String())
	}
	errOut.Reset()
	if _, code := runWith(t, nil, &errOut, "user", "department", "--db", db, "--login", "anna", "--department", "*"); code != 1 || !strings.Contains(errOut.String(), "only a department's officer") {
		t.Fatalf("a clerk's department: code %d %s", code, errOut.String())
	}
	errOut.Reset()
	if _, code := runWith(t, nil, &errOut, "user", "department", "--db", db, "--login", "arch", "--department", "Нет такого"); code != 2 {
		t.Fatalf("an unknown department: code %d %s", code, errOut.String())
	}
	out, _ = runWith(t, nil, &errOut, "user", "list", "--db", db)
	if !strings.Contains(lineWith(t, out, "arch"), "Архивный отдел администрации") {
		t.Fatalf("list after the move: %s", out)
	}
	if _, code := runWith(t, strings.NewReader("a new password\n"), &errOut, "user", "passwd", "--db", db, "--login", "anna"); code != 0 {
		t.Fatalf("passwd: %d %s", code, errOut.String())
	}
}
