// Command okno is the workstation software of a single-window public service
// centre: with no subcommand it opens the clerk's terminal UI; its
// subcommands run the central server, the sync, the demo and the tools.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

// version is set by the build (-ldflags "-X main.version=…").
var version = "dev"

// command is one subcommand of okno. Each lives in its own file and adds
// itself to the table with register.
type command struct {
	name    string
	summary string
	run     func(env *env, args []string) error
}

var commands = map[string]command{}

func register(c command) { commands[c.name] = c }

// env is what a command runs with: its streams and environment, so tests can
// run commands in-process.
type env struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string // the environment, then the config file (config.go)
	osenv  func(string) string // the environment alone
}

// errUsage marks a usage error: the message was printed, exit 2.
var errUsage = errors.New("usage")

func main() {
	e := &env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv}
	os.Exit(e.main(os.Args[1:]))
}

func (e *env) main(args []string) int {
	if e.osenv == nil {
		e.osenv = e.getenv
	}
	cfg, cfgErr := loadConfig(e.osenv)
	if cfgErr == nil {
		e.getenv = cfg.layered(e.osenv)
	}
	name := ""
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		name, args = args[0], args[1:]
	}
	switch name {
	case "help":
		e.usage()
		return 0
	case "":
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "-help") {
			e.usage()
			return 0
		}
		name = "tui"
	}
	if cfgErr != nil && name != "config" {
		fmt.Fprintf(e.stderr, "okno: %v\n", cfgErr)
		return 2
	}
	c, ok := commands[name]
	if !ok {
		fmt.Fprintf(e.stderr, "okno: unknown command %q; 'okno --help' lists the commands\n", name)
		return 2
	}
	err := c.run(e, args)
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		return 2
	}
	var ex *exitError
	if errors.As(err, &ex) {
		if ex.msg != "" {
			fmt.Fprintf(e.stderr, "okno %s: %s\n", name, ex.msg)
		}
		return ex.code
	}
	fmt.Fprintf(e.stderr, "okno %s: %v\n", name, err)
	return 1
}

// exitError ends a command with a given exit code.
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

func (e *env) usage() {
	fmt.Fprintf(e.stdout, "okno — the single-window clerk's workstation\n\nUsage:\n  okno [flags]            open the clerk's terminal UI (okno tui --help)\n  okno COMMAND [flags]    run a command; okno COMMAND --help tells more\n\nCommands:\n")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(e.stdout, "  %-10s %s\n", n, commands[n].summary)
	}
}

// newFlags makes a flag set for a subcommand that prints its usage to the
// command's stderr after a mistake (and to stdout when asked for: see
// parse) and returns errors instead of exiting.
func (e *env) newFlags(name, usage string) *flag.FlagSet {
	fs := flag.NewFlagSet("okno "+name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: okno %s %s\n\nFlags:\n", name, usage)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses flags, mapping a flag error to errUsage (already printed).
// Help asked for (-h, -help, --help) is printed to stdout, and the command
// ends with flag.ErrHelp: exit 0, like every group's help.
func (e *env) parse(fs *flag.FlagSet, args []string) error {
	e.helpToStdout(fs, args)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(fs.Output(), "%s: unexpected argument %q\n", fs.Name(), fs.Arg(0))
		fs.Usage()
		return errUsage
	}
	return nil
}

// helpToStdout sends fs's output to stdout when args ask for help: the
// usage then is the answer, not a complaint.
func (e *env) helpToStdout(fs *flag.FlagSet, args []string) {
	for _, a := range args {
		if a == "--" {
			return
		}
		name, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if strings.HasPrefix(a, "-") && (name == "h" || name == "help") {
			fs.SetOutput(e.stdout)
			return
		}
	}
}

func init() {
	register(command{name: "version", summary: "print the version", run: func(e *env, args []string) error {
		fs := e.newFlags("version", "")
		if err := e.parse(fs, args); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "okno %s\n", version)
		return nil
	}})
}
