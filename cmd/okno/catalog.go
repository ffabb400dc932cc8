package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/okno-mfc/okno/domain"
)

func init() {
	register(command{name: "catalog", summary: "list, show and check the catalogue of services", run: runCatalog})
}

const catalogUsage = `Usage:
  okno catalog list [--json] [--lang ru|uk|en] [--file FILE]
                        the services: code, ticket prefix, deadline, fee, name
  okno catalog show CODE [--lang ru|uk|en] [--file FILE]
                        one service with its checklist of documents
  okno catalog validate FILE
                        check a catalogue file (YAML or JSON), every problem
                        with its line

Without --file the built-in catalogue is used. --lang defaults to the
locale (LANG): ru_RU → ru, uk_UA → uk, otherwise en.
`

func runCatalog(e *env, args []string) error {
	if len(args) == 0 {
		fmt.Fprint(e.stderr, catalogUsage)
		return errUsage
	}
	switch args[0] {
	case "list":
		return catalogList(e, args[1:])
	case "show":
		return catalogShow(e, args[1:])
	case "validate":
		return catalogValidate(e, args[1:])
	case "help", "-h", "-help", "--help":
		fmt.Fprint(e.stdout, catalogUsage)
		return nil
	}
	fmt.Fprintf(e.stderr, "okno catalog: unknown subcommand %q\n\n%s", args[0], catalogUsage)
	return errUsage
}

// catalogArgs parses flags that may stand before or after the positional
// arguments (okno catalog show CODE --lang en) and returns the positional
// ones; it insists on exactly want of them, named by what.
func (e *env) catalogArgs(fs *flag.FlagSet, args []string, want int, what string) ([]string, error) {
	var pos []string
	e.helpToStdout(fs, args)
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, errUsage
		}
		args = fs.Args()
		if len(args) == 0 {
			break
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
	if len(pos) != want {
		if want == 0 {
			fmt.Fprintf(fs.Output(), "%s: unexpected argument %q\n", fs.Name(), pos[0])
		} else {
			fmt.Fprintf(fs.Output(), "%s: give %s\n", fs.Name(), what)
		}
		fs.Usage()
		return nil, errUsage
	}
	return pos, nil
}

// catalogLoad reads the catalogue of --file, or the built-in one. A broken
// file's problems go to stderr, one a line.
func catalogLoad(e *env, file string) (*domain.Catalog, error) {
	if file == "" {
		return domain.DefaultCatalog(), nil
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	c, err := domain.ParseCatalog(data, file)
	var ce *domain.CatalogError
	if errors.As(err, &ce) {
		fmt.Fprintln(e.stderr, ce.Error())
		return nil, &exitError{code: 1, msg: fmt.Sprintf("%s is not a valid catalogue: %s", file, countProblems(len(ce.Problems)))}
	}
	return c, err
}

func countProblems(n int) string {
	if n == 1 {
		return "1 problem"
	}
	return strconv.Itoa(n) + " problems"
}

func catalogList(e *env, args []string) error {
	fs := e.newFlags("catalog list", "[--json] [--lang ru|uk|en] [--file FILE]")
	asJSON := fs.Bool("json", false, "print the services as JSON")
	langFlag := fs.String("lang", "", "language of the names: ru, uk or en (default from LANG)")
	file := fs.String("file", "", "a catalogue file (YAML or JSON) instead of the built-in one")
	if _, err := e.catalogArgs(fs, args, 0, ""); err != nil {
		return err
	}
	lang, err := langFromEnv(e.getenv, *langFlag)
	if err != nil {
		return err
	}
	c, err := catalogLoad(e, *file)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		return enc.Encode(c.Services)
	}
	t := catalogText[lang]
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", t["code"], t["prefix"], t["deadline"], t["fee"], t["service"])
	for i := range c.Services {
		s := &c.Services[i]
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", s.Code, s.Prefix, formatDeadline(lang, s), formatFee(s.Fee, s.Currency), s.Name(lang))
	}
	return tw.Flush()
}

func catalogShow(e *env, args []string) error {
	fs := e.newFlags("catalog show", "CODE [--lang ru|uk|en] [--file FILE]")
	langFlag := fs.String("lang", "", "language of the names: ru, uk or en (default from LANG)")
	file := fs.String("file", "", "a catalogue file (YAML or JSON) instead of the built-in one")
	pos, err := e.catalogArgs(fs, args, 1, "the code of one service (okno catalog list shows them)")
	if err != nil {
		return err
	}
	lang, err := langFromEnv(e.getenv, *langFlag)
	if err != nil {
		return err
	}
	c, err := catalogLoad(e, *file)
	if err != nil {
		return err
	}
	s, ok := c.Service(pos[0])
	if !ok {
		list := "okno catalog list"
		if *file != "" {
			list += " --file " + *file
		}
		return &exitError{code: 1, msg: fmt.Sprintf("no service %q in the catalogue%s; run '%s' to see the codes", pos[0], suggestCodes(c, pos[0]), list)}
	}
	showService(e.stdout, c, s, lang)
	return nil
}

// suggestCodes names the services whose codes look like the one asked for.
func suggestCodes(c *domain.Catalog, code string) string {
	code = strings.ToLower(code)
	var near []string
	for _, s := range c.Services {
		if code != "" && (strings.Contains(s.Code, code) || strings.Contains(code, s.Code)) {
			near = append(near, s.Code)
		}
	}
	if len(near) == 0 || len(near) > 5 {
		return ""
	}
	return " (did you mean " + strings.Join(near, ", ") + "?)"
}

func showService(w io.Writer, c *domain.Catalog, s *domain.Service, lang string) {
	t := catalogText[lang]
	fmt.Fprintf(w, "%s — %s\n\n", s.Code, s.Name(lang))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, l := range langs {
		if l != lang && s.Names[l] != "" {
			fmt.Fprintf(tw, "%s (%s):\t%s\n", t["name"], l, s.Names[l])
		}
	}
	dash := func(v string) string {
		if v == "" {
			return "—"
		}
		return v
	}
	fmt.Fprintf(tw, "%s:\t%s\n", t["department"], dash(s.Department))
	fmt.Fprintf(tw, "%s:\t%s\n", t["deadline_long"], formatDeadline(lang, s))
	fmt.Fprintf(tw, "%s:\t%s\n", t["fee_long"], formatFee(s.Fee, s.Currency))
	fmt.Fprintf(tw, "%s:\t%s\n", t["prefix_long"], s.Prefix)
	fmt.Fprintf(tw, "%s:\t%s\n", t["equipment"], dash(strings.Join(s.Equipment, ", ")))
	fmt.Fprintf(tw, "%s:\t%d %s\n", t["wait"], c.WaitNorm(s.Code), t["min"])
	fmt.Fprintf(tw, "%s:\t%s\n", t["basis"], dash(s.Basis))
	tw.Flush()

	fmt.Fprintf(w, "\n%s (%d):\n", t["documents"], len(s.Documents))
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "  #\t%s\t%s\t%s\t%s\t%s\t%s\n", t["code"], t["need"], t["form"], t["count"], t["interagency"], t["document"])
	for i := range s.Documents {
		r := &s.Documents[i]
		inter := ""
		if r.Interagency {
			inter = t["yes"]
		}
		fmt.Fprintf(tw, "  %d\t%s\t%s\t%s\t%d\t%s\t%s\n", i+1, r.Code, t[string(r.Need)], t[string(r.Form)], r.Count, inter, r.Name(lang))
	}
	tw.Flush()
	fmt.Fprintf(w, "\n%s\n", t["interagency_note"])
}

func catalogValidate(e *env, args []string) error {
	fs := e.newFlags("catalog validate", "FILE")
	pos, err := e.catalogArgs(fs, args, 1, "the catalogue file to check")
	if err != nil {
		return err
	}
	file := pos[0]
	data, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	c, err := domain.ParseCatalog(data, file)
	if err != nil {
		var ce *domain.CatalogError
		if errors.As(err, &ce) {
			fmt.Fprintln(e.stderr, ce.Error())
			return &exitError{code: 1, msg: countProblems(len(ce.Problems)) + " in " + file}
		}
		return err
	}
	fmt.Fprintf(e.stdout, "%s: ok, %d services, %d categories\n", file, len(c.Services), len(c.Categories))
	return nil
}

// formatDeadline renders a deadline with its kind: "60 кал. дн.", "20 working days".
func formatDeadline(lang string, s *domain.Service) string {
	t := catalogText[lang]
	kind := t["working"]
	if s.DeadlineKind == domain.CalendarDays {
		kind = t["calendar"]
	}
	if lang == "en" && s.Deadline == 1 {
		kind = strings.TrimSuffix(kind, "s")
	}
	return fmt.Sprintf("%d %s", s.Deadline, kind)
}

// formatFee renders a fee in kopecks as money: "5 000 ₽", "782 ₴",
// "1 098,50 ₴"; a free service is "0".
func formatFee(fee int64, currency string) string {
	if fee == 0 {
		return "0"
	}
	sign := ""
	if fee < 0 {
		sign, fee = "-", -fee
	}
	digits := strconv.FormatInt(fee/100, 10)
	var b strings.Builder
	for i, d := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(d)
	}
	if k := fee % 100; k != 0 {
		fmt.Fprintf(&b, ",%02d", k)
	}
	symbol := currency
	switch currency {
	case "", "RUB":
		symbol = "₽"
	case "UAH":
		symbol = "₴"
	}
	return sign + b.String() + " " + symbol
}

// catalogText holds the words of the catalog command's output.
var catalogText = map[string]map[string]string{
	"ru": {
		"code": "КОД", "prefix": "ПРЕФИКС", "deadline": "СРОК", "fee": "ПОШЛИНА", "service": "УСЛУГА",
		"working": "раб. дн.", "calendar": "кал. дн.",
		"name": "Название", "department": "Ведомство", "deadline_long": "Срок", "fee_long": "Пошлина",
		"prefix_long": "Префикс талона", "equipment": "Оборудование", "wait": "Норма ожидания", "min": "мин",
		"basis": "Основание", "documents": "Документы",
		"need": "НУЖЕН", "form": "ВИД", "count": "КОЛ-ВО", "interagency": "МЕЖВЕД.", "document": "ДОКУМЕНТ",
		"required": "обязательно", "optional": "по желанию", "if_available": "при наличии",
		"original": "оригинал", "copy": "копия", "yes": "да",
		"interagency_note": "МЕЖВЕД.: ведомство получает документ само по межведомственному запросу; заявитель может принести его, но не обязан.",
	},
	"uk": {
		"code": "КОД", "prefix": "ПРЕФІКС", "deadline": "СТРОК", "fee": "ПЛАТА", "service": "ПОСЛУГА",
		"working": "роб. дн.", "calendar": "кал. дн.",
		"name": "Назва", "department": "Відомство", "deadline_long": "Строк", "fee_long": "Плата",
		"prefix_long": "Префікс талона", "equipment": "Обладнання", "wait": "Норма очікування", "min": "хв",
		"basis": "Підстава", "documents": "Документи",
		"need": "ПОТРІБЕН", "form": "ВИД", "count": "К-СТЬ", "interagency": "МІЖВІД.", "document": "ДОКУМЕНТ",
		"required": "обов'язково", "optional": "за бажанням", "if_available": "за наявності",
		"original": "оригінал", "copy": "копія", "yes": "так",
		"interagency_note": "МІЖВІД.: відомство отримує документ само за міжвідомчим запитом; заявник може принести його, але не зобов'язаний.",
	},
	"en": {
		"code": "CODE", "prefix": "PREFIX", "deadline": "DEADLINE", "fee": "FEE", "service": "SERVICE",
		"working": "working days", "calendar": "calendar days",
		"name": "Name", "department": "Department", "deadline_long": "Deadline", "fee_long": "Fee",
		"prefix_long": "Ticket prefix", "equipment": "Equipment", "wait": "Waiting norm", "min": "min",
		"basis": "Basis", "documents": "Documents",
		"need": "NEED", "form": "FORM", "count": "COUNT", "interagency": "INTERAGENCY", "document": "DOCUMENT",
		"required": "required", "optional": "optional", "if_available": "if available",
		"original": "original", "copy": "copy", "yes": "yes",
		"interagency_note": "INTERAGENCY: the department obtains the document itself; the applicant may bring it but need not.",
	},
}
