package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// The commands README.md and docs/ show, run in a temporary folder (issue
// 18: a documented command that exits 2 is a bug of the docs). Each
// `okno …` line of a sh block, and each `okno …` code span of the prose:
//
//   - a command that ends by itself and needs nothing but its folder (okno
//     user add|list|passwd, config, version, catalog list) is run for real,
//     with /var/lib/okno and /etc/okno moved into the folder and a password
//     on stdin, and must exit 0;
//   - any other complete command (okno serve, the TUI, enrol, sync …: they
//     run on, or need a central) is run with --help appended, which parses
//     every flag and value given before it and must exit 0;
//   - a fragment (a placeholder such as DIR or URL, "…", "|", "[") must name
//     only flags its command has.

var (
	fenceRE = regexp.MustCompile("(?s)```([a-z]*)\n(.*?)```")
	spanRE  = regexp.MustCompile("`(okno(?: [^`]*)?)`")
	placeRE = regexp.MustCompile(`(^|[\s=])(DIR|URL|FILE|LOGIN|NAME|CODE|N|CIDR|BALANCER|DATE|TOKEN|DB|ROLE|KEY|HOST|PORT|DURATION)([\s,…]|$)`)
)

// docCommand is one documented command.
type docCommand struct {
	where string
	text  string
	fence bool
}

func documentedCommands(t *testing.T) []docCommand {
	t.Helper()
	files, _ := filepath.Glob("../../docs/*.md")
	files = append([]string{"../../README.md"}, files...)
	var out []docCommand
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		name := strings.TrimPrefix(f, "../../")
		text := string(b)
		for _, m := range fenceRE.FindAllStringSubmatch(text, -1) {
			if m[1] != "sh" && m[1] != "bash" {
				continue
			}
			lines := strings.Split(m[2], "\n")
			for i := 0; i < len(lines); i++ {
				l := strings.TrimSpace(lines[i])
				for strings.HasSuffix(l, "\\") && i+1 < len(lines) {
					i++
					l = strings.TrimSuffix(l, "\\") + " " + strings.TrimSpace(lines[i])
				}
				if c, _, _ := strings.Cut(l, " #"); strings.HasPrefix(c, "okno ") || c == "okno" {
					out = append(out, docCommand{where: name, text: strings.TrimSpace(c), fence: true})
				}
			}
		}
		prose := fenceRE.ReplaceAllString(text, "")
		for _, m := range spanRE.FindAllStringSubmatch(strings.ReplaceAll(prose, "\n", " "), -1) {
			out = append(out, docCommand{where: name, text: strings.Join(strings.Fields(m[1]), " ")})
		}
	}
	return out
}

// words splits a command line as sh would (quotes; no expansion), and
// takes out the stdin redirections.
func words(line string) (args []string, stdinFile, stdinText string) {
	var cur strings.Builder
	var quote rune
	in := false
	flush := func() {
		if in {
			args = append(args, cur.String())
		}
		cur.Reset()
		in = false
	}
	for _, r := range line {
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote != 0:
			cur.WriteRune(r)
		case r == '\'' || r == '"':
			quote, in = r, true
		case r == ' ' || r == '\t':
			flush()
		default:
			cur.WriteRune(r)
			in = true
		}
	}
	flush()
	for i := 0; i < len(args); i++ {
		switch args[i] {
		case "<<<":
			if i+1 < len(args) {
				stdinText = args[i+1] + "\n"
			}
			args = append(args[:i], args[min(i+2, len(args)):]...)
			i--
		case "<":
			if i+1 < len(args) {
				stdinFile = args[i+1]
			}
			args = append(args[:i], args[min(i+2, len(args)):]...)
			i--
		}
	}
	return args, stdinFile, stdinText
}

// subcommands of the groups, to find where a command's path ends.
var subcommands = map[string][]string{
	"user": {"add", "passwd", "department", "list", "key"}, "user key": {"add", "list", "remove"},
	"catalog": {"list", "show", "validate"}, "audit": {"verify"}, "demo": {"seed"}, "config": {"show", "path"},
}

// commandPath splits okno's arguments into the command's path and the rest.
func commandPath(args []string) (path, rest []string) {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return []string{"tui"}, args
	}
	path = []string{args[0]}
	rest = args[1:]
	for len(rest) > 0 && slices.Contains(subcommands[strings.Join(path, " ")], rest[0]) {
		path = append(path, rest[0])
		rest = rest[1:]
	}
	return path, rest
}

var runsForReal = []string{"user add", "user list", "user passwd", "config show", "config path", "version", "catalog list"}

func TestDocumentedCommands(t *testing.T) {
	cmds := documentedCommands(t)
	dir := t.TempDir()
	t.Chdir(dir)
	vars := map[string]string{"HOME": dir, "LANG": "en_US.UTF-8"}
	run := func(stdin string, args ...string) (string, string, int) {
		var out, errOut bytes.Buffer
		e := &env{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errOut, getenv: func(k string) string { return vars[k] }}
		code := e.main(args)
		return out.String(), errOut.String(), code
	}
	helpOf := map[string]string{}
	if len(cmds) < 20 {
		t.Fatalf("only %d commands found in the docs", len(cmds))
	}
	ran, parsed, named := 0, 0, 0
	for _, c := range cmds {
		line := strings.NewReplacer("/var/lib/okno", filepath.Join(dir, "var"), "/etc/okno", filepath.Join(dir, "etc")).Replace(c.text)
		args, stdinFile, stdinText := words(line)
		args = args[1:] // okno
		path, rest := commandPath(args)
		key := strings.Join(path, " ")
		if _, ok := commands[path[0]]; !ok {
			t.Errorf("%s: `%s`: okno has no command %q", c.where, c.text, path[0])
			continue
		}
		fragment := strings.ContainsAny(c.text, "|…[") || placeRE.MatchString(strings.Join(rest, " "))
		switch {
		case !fragment && slices.Contains(runsForReal, key):
			if stdinText == "" {
				stdinText = "a long password 1\n"
			}
			if stdinFile != "" {
				if b, err := os.ReadFile(stdinFile); err == nil {
					stdinText = string(b)
				}
			}
			os.MkdirAll(filepath.Join(dir, "var"), 0o755)
			if _, errOut, code := run(stdinText, args...); code != 0 && !strings.Contains(errOut, "already exists") {
				t.Errorf("%s: `%s` exits %d: %s", c.where, c.text, code, errOut)
			}
			ran++
		case !fragment && (c.fence || len(rest) > 1):
			if _, errOut, code := run("", append(slices.Clone(args), "--help")...); code != 0 {
				t.Errorf("%s: `%s`: its flags do not parse (exit %d): %s", c.where, c.text, code, errOut)
			}
			parsed++
		default:
			help, ok := helpOf[key]
			if !ok {
				help, _, _ = run("", append(slices.Clone(path), "--help")...)
				helpOf[key] = help
			}
			for _, a := range rest {
				name, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "=")
				if strings.HasPrefix(a, "--") && name != "" && name != "help" && !regexp.MustCompile(`(?m)^\s+-`+regexp.QuoteMeta(name)+`\b`).MatchString(help) {
					t.Errorf("%s: `%s`: okno %s has no flag --%s", c.where, c.text, key, name)
				}
			}
			named++
		}
	}
	t.Logf("%d documented commands: %d run, %d parsed with --help, %d fragments checked for flag names", len(cmds), ran, parsed, named)
}
