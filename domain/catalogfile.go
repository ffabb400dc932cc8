package domain

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// defaultCatalogFile is the built-in catalogue, a starting point a real
// centre replaces with its own file.
//
//go:embed catalog.yaml
var defaultCatalogFile []byte

// DefaultCatalogName is the name problems of the built-in catalogue carry.
const DefaultCatalogName = "catalog.yaml"

// DefaultCatalog returns a fresh copy of the built-in catalogue, parsed from
// the embedded file on each call, so callers may change it freely. It panics
// only if the embedded file is broken, which the package's tests rule out.
func DefaultCatalog() *Catalog {
	c, err := ParseCatalog(defaultCatalogFile, DefaultCatalogName)
	if err != nil {
		panic("domain: the built-in catalogue is broken:\n" + err.Error())
	}
	return c
}

// DefaultCatalogYAML returns a copy of the built-in catalogue file, as a
// template for a centre's own.
func DefaultCatalogYAML() []byte { return bytes.Clone(defaultCatalogFile) }

// CatalogProblem is one mistake in a catalogue.
type CatalogProblem struct {
	Line    int    // line in the file, from 1; 0 when not known or not from a file
	Field   string // where, e.g. services[3].documents[1].need (indexes from 0); "" for the whole file
	Message string // what is wrong, in English
}

// CatalogError lists every mistake found in a catalogue, in the order of the
// file. It matches ErrInvalid with errors.Is.
type CatalogError struct {
	File     string // the file's name, "" for a catalogue that did not come from a file
	Problems []CatalogProblem
}

// Error lists the problems one a line, like a compiler:
// catalog.yaml:42: services[3].documents[1].need: "requird" is not one of …
func (e *CatalogError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = e.Format(p)
	}
	return strings.Join(lines, "\n")
}

// Format renders one problem as file:line: field: message, leaving out the
// parts that are not known.
func (e *CatalogError) Format(p CatalogProblem) string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		if p.Line > 0 {
			b.WriteString(":" + strconv.Itoa(p.Line))
		}
		b.WriteString(": ")
	} else if p.Line > 0 {
		b.WriteString("line " + strconv.Itoa(p.Line) + ": ")
	}
	if p.Field != "" {
		b.WriteString(p.Field + ": ")
	}
	b.WriteString(p.Message)
	return b.String()
}

// Is lets errors.Is(err, ErrInvalid) match.
func (e *CatalogError) Is(target error) bool { return target == ErrInvalid }

// ParseCatalog reads a catalogue from YAML or JSON (JSON is YAML), strictly:
// an unknown field is an error. It fills the defaults and validates, and
// returns a *CatalogError naming name, the line and the field of every
// problem found, not only the first.
func ParseCatalog(data []byte, name string) (*Catalog, error) {
	e := &CatalogError{File: name}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		e.Problems = yamlProblems(err)
		return nil, e
	}
	doc := &root
	if doc.Kind == yaml.DocumentNode && len(doc.Content) > 0 {
		doc = doc.Content[0]
	}
	if doc.Kind == 0 || doc.Kind == yaml.DocumentNode || doc.ShortTag() == "!!null" {
		e.Problems = []CatalogProblem{{Line: 1, Message: "the file is empty; a catalogue has a version, services, categories and norms"}}
		return nil, e
	}

	// The walk finds unknown fields and values of the wrong kind with the
	// path to them, and records the line of every field for the checks.
	w := &nodeWalker{lines: map[string]int{}, walked: map[*yaml.Node]bool{}}
	w.walk(doc, reflect.TypeFor[Catalog](), "")

	var c Catalog
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil {
		var te *yaml.TypeError
		if !errors.As(err, &te) {
			e.Problems = append(w.problems, yamlProblems(err)...)
			sortProblems(e.Problems)
			return nil, e
		}
		// The walk reports these better; keep what it missed.
		for _, msg := range te.Errors {
			p := yamlProblem(msg)
			if !w.hasLine(p.Line) {
				w.problems = append(w.problems, p)
			}
		}
	}
	e.Problems = w.problems

	c.applyDefaults()
	for _, p := range c.problems() {
		if w.isBad(p.Field) {
			continue // already reported as unreadable
		}
		p.Line = w.lineOf(p.Field)
		e.Problems = append(e.Problems, p)
	}
	if len(e.Problems) > 0 {
		sortProblems(e.Problems)
		return nil, e
	}
	return &c, nil
}

func sortProblems(ps []CatalogProblem) {
	sort.SliceStable(ps, func(i, j int) bool { return ps[i].Line < ps[j].Line })
}

var (
	yamlLineRe = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)
)

// yamlProblems turns an error of the YAML package into problems.
func yamlProblems(err error) []CatalogProblem {
	var te *yaml.TypeError
	if errors.As(err, &te) {
		ps := make([]CatalogProblem, len(te.Errors))
		for i, msg := range te.Errors {
			ps[i] = yamlProblem(msg)
		}
		return ps
	}
	return []CatalogProblem{yamlProblem(err.Error())}
}

// yamlProblem reads "yaml: line 3: message" into a problem.
func yamlProblem(msg string) CatalogProblem {
	msg = strings.TrimSpace(msg)
	if m := yamlLineRe.FindStringSubmatch(msg); m != nil {
		n, _ := strconv.Atoi(m[1])
		return CatalogProblem{Line: n, Message: m[2]}
	}
	return CatalogProblem{Message: strings.TrimPrefix(msg, "yaml: ")}
}

// nodeWalker walks a YAML node tree beside the Go type it will decode into.
type nodeWalker struct {
	lines    map[string]int // field path → the line it is on
	problems []CatalogProblem
	bad      []string            // paths already reported; checks under them are skipped
	walked   map[*yaml.Node]bool // anchored nodes walked once through an alias
}

func (w *nodeWalker) add(line int, field, format string, args ...any) {
	w.problems = append(w.problems, CatalogProblem{Line: line, Field: field, Message: fmt.Sprintf(format, args...)})
	w.bad = append(w.bad, field)
}

func (w *nodeWalker) hasLine(line int) bool {
	for _, p := range w.problems {
		if p.Line == line {
			return true
		}
	}
	return false
}

// isBad reports whether field is at or under a path already reported.
func (w *nodeWalker) isBad(field string) bool {
	for _, b := range w.bad {
		if b == "" || field == b || strings.HasPrefix(field, b+".") || strings.HasPrefix(field, b+"[") {
			return true
		}
	}
	return false
}

// lineOf is the line of field, or of its nearest parent found in the file
// (a missing field is reported where its parent is).
func (w *nodeWalker) lineOf(field string) int {
	for field != "" {
		if n, ok := w.lines[field]; ok {
			return n
		}
		i := strings.LastIndexAny(field, ".[")
		if i < 0 {
			break
		}
		field = field[:i]
	}
	return 0
}

func joinPath(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

func kindName(k yaml.Kind) string {
	switch k {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	default:
		return "a single value"
	}
}

// yamlFields maps a struct's yaml names to its field types.
func yamlFields(t reflect.Type) (map[string]reflect.Type, []string) {
	fields := map[string]reflect.Type{}
	var names []string
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if name == "-" || !f.IsExported() {
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		fields[name] = f.Type
		names = append(names, name)
	}
	return fields, names
}

func (w *nodeWalker) walk(n *yaml.Node, t reflect.Type, path string) {
	if n.Kind == yaml.AliasNode {
		if n.Alias == nil || w.walked[n.Alias] {
			return
		}
		w.walked[n.Alias] = true
		w.walk(n.Alias, t, path)
		return
	}
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" {
		return // leaves the zero value; the checks say if it is needed
	}
	switch t.Kind() {
	case reflect.Struct:
		w.walkStruct(n, t, path)
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			w.add(n.Line, path, "expected a list, found %s", kindName(n.Kind))
			return
		}
		for i, item := range n.Content {
			p := fmt.Sprintf("%s[%d]", path, i)
			w.lines[p] = item.Line
			w.walk(item, t.Elem(), p)
		}
	case reflect.Map:
		w.walkMap(n, t, path)
	default:
		w.walkScalar(n, t, path)
	}
}

func (w *nodeWalker) walkStruct(n *yaml.Node, t reflect.Type, path string) {
	if n.Kind != yaml.MappingNode {
		w.add(n.Line, path, "expected a mapping of fields, found %s", kindName(n.Kind))
		return
	}
	fields, names := yamlFields(t)
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			w.add(k.Line, path, "a field name must be a plain word, found %s", kindName(k.Kind))
			continue
		}
		if k.ShortTag() == "!!merge" {
			w.walkMerge(v, t, path)
			continue
		}
		p := joinPath(path, k.Value)
		ft, ok := fields[k.Value]
		if !ok {
			w.add(k.Line, p, "unknown field; the fields here are %s", strings.Join(names, ", "))
			continue
		}
		if first, dup := seen[k.Value]; dup {
			w.add(k.Line, p, "given twice (first on line %d)", first)
			continue
		}
		seen[k.Value] = k.Line
		w.lines[p] = k.Line
		w.walk(v, ft, p)
	}
}

// walkMerge walks the mapping(s) of a YAML merge key (<<: *anchor).
func (w *nodeWalker) walkMerge(v *yaml.Node, t reflect.Type, path string) {
	if v.Kind == yaml.SequenceNode {
		for _, item := range v.Content {
			w.walk(item, t, path)
		}
		return
	}
	w.walk(v, t, path)
}

func (w *nodeWalker) walkMap(n *yaml.Node, t reflect.Type, path string) {
	if n.Kind != yaml.MappingNode {
		w.add(n.Line, path, "expected a mapping such as ru: …, uk: …, en: …, found %s", kindName(n.Kind))
		return
	}
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			w.add(k.Line, path, "a key must be a plain word, found %s", kindName(k.Kind))
			continue
		}
		if k.ShortTag() == "!!merge" {
			w.walkMerge(v, t, path)
			continue
		}
		p := joinPath(path, k.Value)
		if first, dup := seen[k.Value]; dup {
			w.add(k.Line, p, "given twice (first on line %d)", first)
			continue
		}
		seen[k.Value] = k.Line
		w.lines[p] = k.Line
		w.walk(v, t.Elem(), p)
	}
}

func (w *nodeWalker) walkScalar(n *yaml.Node, t reflect.Type, path string) {
	if n.Kind != yaml.ScalarNode {
		w.add(n.Line, path, "expected a single value, found %s", kindName(n.Kind))
		return
	}
	v := reflect.New(t)
	if err := n.Decode(v.Interface()); err != nil {
		switch t.Kind() {
		case reflect.Int, reflect.Int64:
			w.add(n.Line, path, "%q is not a whole number", n.Value)
		case reflect.Bool:
			w.add(n.Line, path, "%q is not true or false", n.Value)
		default:
			w.add(n.Line, path, "%q cannot be read here", n.Value)
		}
	}
}
