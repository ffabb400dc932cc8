package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"text/tabwriter"

	"go.yaml.in/yaml/v3"
)

// The config file: one YAML file in the XDG config folder
// ($XDG_CONFIG_HOME/okno/config.yaml, else ~/.config/okno/config.yaml, or
// the file OKNO_CONFIG names) holds what a centre keeps per workstation
// (data folder, central, language, printer, office details) and per
// central (okno serve's address, database, TLS files …). Each setting has
// an OKNO_* variable and a flag; a flag wins over the variable, the
// variable over the file: the file's values are what e.getenv answers for
// variables the environment does not set, so every flag default that reads
// a variable reads the file too.

// setting is one value of the config file.
type setting struct {
	key  string // in the file: a top-level key, or section.key
	env  string // the OKNO_* variable
	flag string // the flag that sets it, and the commands that have it
	help string
}

// settings are every value the config file may hold.
var settings = []setting{
	{"data", "OKNO_DATA", "--data (tui, sync, enrol, audit, export, demo seed)", "the workstation's data folder (default $XDG_DATA_HOME/okno, else ~/.local/share/okno)"},
	{"central", "OKNO_CENTRAL", "--central (enrol, sync, report)", "the central server's URL, https://host:port"},
	{"lang", "OKNO_LANG", "--lang (tui, demo, catalog, report)", "language of the screens and reports: ru, uk or en (default: from LC_ALL, LC_MESSAGES, LANG)"},
	{"printer", "OKNO_PRINTER", "--printer (tui)", "this window's receipt printer"},
	{"lock_after", "OKNO_LOCK_AFTER", "--lock-after (tui)", "lock the screen after this long without a key, e.g. 10m (0: never)"},
	{"office.country", "OKNO_COUNTRY", "--country (tui)", "the office's country, RU or UA"},
	{"office.calendar", "OKNO_CALENDAR", "--calendar (tui)", "the deadline calendar"},
	{"office.receipt_lang", "OKNO_RECEIPT_LANG", "--receipt-lang (tui)", "the language receipts are printed in"},
	{"office.name", "OKNO_OFFICE_NAME", "--office-name (tui)", "the centre's name as receipts print it"},
	{"office.address", "OKNO_OFFICE_ADDRESS", "--office-address (tui)", "the centre's address, for receipts"},
	{"office.phone", "OKNO_OFFICE_PHONE", "--office-phone (tui)", "the centre's phone, for receipts"},
	{"office.hours", "OKNO_OFFICE_HOURS", "--office-hours (tui)", "the centre's opening hours, for receipts"},
	{"office.public_url", "OKNO_PUBLIC_URL", "--public-url (tui)", "the central's public address as visitors reach it, for the rating link on receipts"},
	{"serve.addr", "OKNO_ADDR", "--addr (serve)", "where okno serve listens (default 127.0.0.1:8420)"},
	{"serve.db", "OKNO_DB", "--db (serve)", "the central's database: a SQLite file or a postgres:// URL (default okno-central.db)"},
	{"serve.tls_cert", "OKNO_TLS_CERT", "--tls-cert (serve)", "okno serve's TLS certificate (PEM)"},
	{"serve.tls_key", "OKNO_TLS_KEY", "--tls-key (serve)", "okno serve's TLS private key (PEM)"},
	{"serve.signing_key", "OKNO_SIGNING_KEY", "--signing-key (serve)", "the central's Ed25519 signing key (PEM)"},
	{"serve.trusted_proxies", "OKNO_TRUSTED_PROXIES", "--trusted-proxies (serve)", "reverse proxies whose X-Forwarded-For names the client"},
	{"serve.metrics_token_file", "OKNO_METRICS_TOKEN_FILE", "--metrics-token-file (serve)", "the scrape token's file for GET /metrics"},
	{"serve.calendar", "OKNO_TERMS_CALENDAR", "--calendar (serve)", "the working-day calendar of the departments' terms (default ru)"},
	{"serve.ssh_addr", "OKNO_SSH_ADDR", "--ssh-addr (serve)", "also serve the supervisor's board over SSH on HOST:PORT"},
	{"serve.ssh_host_key", "OKNO_SSH_HOST_KEY", "--ssh-host-key (serve)", "the SSH board's host key file"},
	{"serve.ssh_idle", "OKNO_SSH_IDLE", "--ssh-idle (serve)", "end a board session after this long without a key (default 30m)"},
	{"serve.notices", "OKNO_NOTICES", "--notices (serve)", "the notices file: how e-mail and SMS notices to visitors are sent"},
	{"serve.unclaimed_days", "OKNO_UNCLAIMED_DAYS", "--unclaimed-days (serve)", "days a ready result waits at the office before it is on the supervisor's unclaimed list (default: the catalogue's storage_days, 30)"},
}

// config is the config file as read.
type config struct {
	path   string            // the file looked for
	found  bool              // it exists
	values map[string]string // by OKNO_* variable
}

// configPath is where the config file is: OKNO_CONFIG, else the XDG
// config folder.
func configPath(getenv func(string) string) string {
	if p := getenv("OKNO_CONFIG"); p != "" {
		return p
	}
	if d := getenv("XDG_CONFIG_HOME"); d != "" {
		return filepath.Join(d, "okno", "config.yaml")
	}
	if h := getenv("HOME"); h != "" {
		return filepath.Join(h, ".config", "okno", "config.yaml")
	}
	return ""
}

// loadConfig reads the config file; a missing one is no error, a broken
// one (bad YAML, an unknown key, a value that is not text) is.
func loadConfig(getenv func(string) string) (*config, error) {
	c := &config{path: configPath(getenv), values: map[string]string{}}
	if c.path == "" {
		return c, nil
	}
	data, err := os.ReadFile(c.path)
	if errors.Is(err, fs.ErrNotExist) {
		return c, nil
	}
	if err != nil {
		return nil, fmt.Errorf("config file %s: %w", c.path, err)
	}
	c.found = true
	var doc map[string]any
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("config file %s: %w", c.path, err)
	}
	byKey := map[string]string{}
	for _, s := range settings {
		byKey[s.key] = s.env
	}
	var walk func(prefix string, m map[string]any) error
	walk = func(prefix string, m map[string]any) error {
		for k, v := range m {
			key := prefix + k
			if sub, ok := v.(map[string]any); ok {
				if err := walk(key+".", sub); err != nil {
					return err
				}
				continue
			}
			env, ok := byKey[key]
			if !ok {
				return fmt.Errorf("config file %s: unknown setting %q (okno config show lists them)", c.path, key)
			}
			switch v.(type) {
			case string, int, float64, bool:
				c.values[env] = fmt.Sprint(v)
			case nil:
			default:
				return fmt.Errorf("config file %s: %s must be a single value", c.path, key)
			}
		}
		return nil
	}
	if err := walk("", doc); err != nil {
		return nil, err
	}
	return c, nil
}

// layered is getenv with the config file beneath the environment.
func (c *config) layered(getenv func(string) string) func(string) string {
	return func(name string) string {
		if v := getenv(name); v != "" {
			return v
		}
		return c.values[name]
	}
}

func init() {
	register(command{name: "config", summary: "show the effective settings (flags, OKNO_* variables, the config file) and where each comes from", run: runConfig})
}

const configUsage = `Usage:
  okno config show [--SETTING VALUE …]
                        every setting's effective value and where it comes
                        from: a flag, an OKNO_* variable, the config file or
                        the default; flags given here are shown as they would
                        be taken by a command
  okno config path      where the config file is looked for

The config file is YAML, e.g.:

  central: https://okno.example.ru:8420
  lang: ru
  printer: cups:Receipt
  office:
    name: МФЦ Иркутск
    phone: +7 3952 000-000
  serve:
    db: /var/lib/okno/central.db

A flag wins over the variable, the variable over the file.
`

func runConfig(e *env, args []string) error {
	if len(args) == 0 {
		fmt.Fprint(e.stderr, configUsage)
		return errUsage
	}
	switch args[0] {
	case "show":
		return configShow(e, args[1:])
	case "path":
		fs := e.newFlags("config path", "")
		if err := e.parse(fs, args[1:]); err != nil {
			return err
		}
		fmt.Fprintln(e.stdout, configPath(e.osenv))
		return nil
	case "help", "-h", "-help", "--help":
		fmt.Fprint(e.stdout, configUsage)
		return nil
	}
	fmt.Fprintf(e.stderr, "okno config: unknown subcommand %q\n\n%s", args[0], configUsage)
	return errUsage
}

func configShow(e *env, args []string) error {
	fs := e.newFlags("config show", "[--SETTING VALUE …]")
	given := map[string]*string{}
	for _, s := range settings {
		name, _, _ := strings.Cut(strings.TrimPrefix(s.flag, "--"), " ")
		if fs.Lookup(name) == nil {
			given[s.env] = fs.String(name, "", s.help)
		}
	}
	if err := e.parse(fs, args); err != nil {
		return err
	}
	cfg, err := loadConfig(e.osenv)
	if err != nil {
		return &exitError{code: 2, msg: err.Error()}
	}
	if cfg.path == "" {
		fmt.Fprintln(e.stdout, "config file: none (neither OKNO_CONFIG, XDG_CONFIG_HOME nor HOME is set)")
	} else if cfg.found {
		fmt.Fprintf(e.stdout, "config file: %s\n\n", cfg.path)
	} else {
		fmt.Fprintf(e.stdout, "config file: %s (not there: defaults and variables only)\n\n", cfg.path)
	}
	var b bytes.Buffer
	tw := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SETTING\tVALUE\tFROM")
	keys := make([]setting, len(settings))
	copy(keys, settings)
	sort.SliceStable(keys, func(i, j int) bool { return strings.Count(keys[i].key, ".") < strings.Count(keys[j].key, ".") })
	for _, s := range keys {
		value, from := "", "default"
		switch {
		case given[s.env] != nil && flagSet(fs, s.flag):
			value, from = *given[s.env], "flag "+strings.Fields(s.flag)[0]
		case e.osenv(s.env) != "":
			value, from = e.osenv(s.env), "env "+s.env
		case cfg.values[s.env] != "":
			value, from = cfg.values[s.env], "file"
		default:
			value = defaultOf(s.env, e.osenv)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", s.key, shown(value), from)
	}
	tw.Flush()
	e.stdout.Write(b.Bytes())
	return nil
}

// flagSet says whether the flag was given on the command line.
func flagSet(fs *flag.FlagSet, flagText string) bool {
	name, _, _ := strings.Cut(strings.TrimPrefix(flagText, "--"), " ")
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

// defaultOf is the value a setting takes when nothing sets it.
func defaultOf(env string, getenv func(string) string) string {
	switch env {
	case "OKNO_DATA":
		return defaultDataDir(func(k string) string {
			if k == "OKNO_DATA" {
				return ""
			}
			return getenv(k)
		})
	case "OKNO_LANG":
		l, _ := langFromEnv(getenv, "")
		return l + " (from the locale)"
	case "OKNO_LOCK_AFTER":
		return defaultLockAfter.String()
	case "OKNO_ADDR":
		return "127.0.0.1:8420"
	case "OKNO_DB":
		return "okno-central.db"
	}
	return ""
}

func shown(v string) string {
	if v == "" {
		return "-"
	}
	return v
}
