package main

import (
	"fmt"
	"slices"
	"strings"
)

// langs are the languages okno speaks.
var langs = []string{"ru", "uk", "en"}

// langFromEnv picks the language of a command's output: the --lang flag's
// value when given, else OKNO_LANG (the environment or the config file),
// else the locale (LC_ALL, LC_MESSAGES, then LANG, as
// POSIX orders them): ru_RU.UTF-8 gives ru, uk_UA gives uk, anything else en.
// An unknown flag value is a usage error (exit 2) naming the allowed ones.
func langFromEnv(getenv func(string) string, flagValue string) (string, error) {
	if flagValue != "" {
		l := strings.ToLower(strings.TrimSpace(flagValue))
		if slices.Contains(langs, l) {
			return l, nil
		}
		return "", &exitError{code: 2, msg: fmt.Sprintf("unknown language %q for --lang; use one of %s", flagValue, strings.Join(langs, ", "))}
	}
	if getenv == nil {
		return "en", nil
	}
	if v := getenv("OKNO_LANG"); v != "" {
		l := strings.ToLower(strings.TrimSpace(v))
		if slices.Contains(langs, l) {
			return l, nil
		}
		return "", &exitError{code: 2, msg: fmt.Sprintf("unknown language %q in OKNO_LANG (or the config file's lang); use one of %s", v, strings.Join(langs, ", "))}
	}
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if loc := getenv(name); loc != "" {
			return langOfLocale(loc), nil
		}
	}
	return "en", nil
}

// langOfLocale reads the language of a locale name such as ru_RU.UTF-8.
func langOfLocale(loc string) string {
	l, _, _ := strings.Cut(strings.ToLower(loc), "_")
	l, _, _ = strings.Cut(l, ".")
	l, _, _ = strings.Cut(l, "@")
	l, _, _ = strings.Cut(l, "-")
	if l == "ru" || l == "uk" {
		return l
	}
	return "en"
}
