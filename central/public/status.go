package public

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/domain"
)

// The case status page (issue 15): GET /status shows a form for the case
// number and the status code printed on the receipt; with them
// (?number=…&code=…) it shows the case's steps, deadline, where to collect
// the result and what to bring, by the same lookup as GET
// /v1/public/cases/{number} (its limits, its tries, one answer for a
// wrong code and an unknown number). The page speaks the language of the
// case's office (the number names it), or ?lang= before a number is given.

// CaseStatuser is the lookup behind the page; package httpapi's backend
// has it. Its error is the API's answer: the HTTP status, the error code
// and the seconds to wait for a 429.
type CaseStatuser interface {
	CaseStatus(r *http.Request, number, code string) (api.PublicCase, *StatusError)
}

// StatusError is a failed lookup as the API answers it.
type StatusError struct {
	Status     int
	Code       string
	RetryAfter int
}

// statusData is the status page's data.
type statusData struct {
	Number   string // as typed, to fill the form again (the code is never echoed)
	ErrorKey string // "status.…": why there is no answer
	Case     *statusCase
}

type statusCase struct {
	Number, Service, State, Deadline, Office string
	Steps                                    []statusStep
	Collect                                  string // where and from when, or ""
	Bring                                    []string
}

type statusStep struct{ Label, Date string }

func (s *Server) statusPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	number, code := strings.TrimSpace(q.Get("number")), strings.TrimSpace(q.Get("code"))
	var office *domain.Office
	if n, err := domain.ParseCaseNumber(number); err == nil {
		office = s.statusOffice(r.Context(), n.Office)
	}
	if office == nil {
		office = &domain.Office{Lang: langParam(q.Get("lang"))}
	}
	data := statusData{Number: number}
	if number == "" && code == "" {
		s.render(w, r, http.StatusOK, "status", office, data)
		return
	}
	cs, ok := s.b.(CaseStatuser)
	if !ok {
		data.ErrorKey = "status.unavailable"
		s.render(w, r, http.StatusServiceUnavailable, "status", office, data)
		return
	}
	pc, se := cs.CaseStatus(r, number, code)
	if se != nil {
		data.ErrorKey = statusErrorKey(se)
		if se.RetryAfter > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(se.RetryAfter))
		}
		s.render(w, r, se.Status, "status", office, data)
		return
	}
	data.Case = s.statusCase(office, &pc)
	s.render(w, r, http.StatusOK, "status", office, data)
}

// statusOffice is the office's profile, or nil (the page then speaks the
// default language: the office is told by the lookup's answer, not here).
func (s *Server) statusOffice(ctx context.Context, code string) *domain.Office {
	o, err := s.b.Office(ctx, code)
	if err != nil {
		if !errors.Is(err, domain.ErrNotFound) {
			s.log.Warn("public: office profile", "office", code, "err", err)
		}
		return nil
	}
	return o
}

func langParam(l string) string {
	switch l {
	case "ru", "uk", "en":
		return l
	}
	return "ru"
}

func statusErrorKey(se *StatusError) string {
	switch {
	case se.Code == api.CodeCheckNumber && se.Status == http.StatusUnprocessableEntity:
		return "status.check_digit"
	case se.Code == api.CodeCheckNumber:
		return "status.check_number"
	case se.Status == http.StatusBadRequest:
		return "status.bad_code"
	case se.Status == http.StatusNotFound:
		return "status.not_found"
	case se.Status == http.StatusTooManyRequests:
		return "status.too_many"
	default:
		return "status.unavailable"
	}
}

// statusCase puts the answer in the page's words.
func (s *Server) statusCase(o *domain.Office, pc *api.PublicCase) *statusCase {
	lang := o.LangCode()
	officeName := pc.Office
	if p := s.statusOffice(context.Background(), pc.Office); p != nil && p.Name != "" {
		officeName = p.Name
	}
	date := func(t time.Time) string {
		if lang == "en" {
			return t.Format("2006-01-02 15:04")
		}
		return t.Format("02.01.2006 15:04")
	}
	day := func(d string) string {
		t, err := time.Parse(time.DateOnly, d)
		if err != nil {
			return d
		}
		if lang == "en" {
			return d
		}
		return t.Format("02.01.2006")
	}
	c := &statusCase{Number: pc.Number, Service: pc.ServiceNames[lang], State: text(lang, "status.state."+string(pc.State)),
		Deadline: day(pc.Deadline), Office: officeName}
	if c.Service == "" {
		c.Service = pc.Service
	}
	for _, st := range pc.History {
		label := text(lang, "status.step."+st.Step)
		switch {
		case st.Step == api.StepReady || st.Step == api.StepRefused:
			label += " — " + officeName
		case st.Step == api.StepDeadline && st.Deadline != "":
			label += " " + day(st.Deadline)
		}
		c.Steps = append(c.Steps, statusStep{Label: label, Date: date(st.At)})
	}
	if pc.Collect != nil {
		c.Collect = officeName
		if !pc.Collect.Since.IsZero() {
			c.Collect += ", " + text(lang, "status.since") + " " + day(pc.Collect.Since.Format(time.DateOnly))
		}
		if pc.Collect.Until != "" {
			c.Collect += " " + text(lang, "status.until") + " " + day(pc.Collect.Until)
		}
	}
	for _, b := range pc.Bring {
		c.Bring = append(c.Bring, text(lang, "status.bring."+b))
	}
	return c
}

func init() {
	for lang, m := range statusTexts {
		for k, v := range m {
			texts[lang][k] = v
		}
	}
}

// statusTexts are the status page's words.
var statusTexts = map[string]map[string]string{
	"ru": {
		"status.title":           "Статус дела",
		"status.intro":           "Номер дела и код статуса напечатаны в расписке.",
		"status.number":          "Номер дела",
		"status.code":            "Код статуса",
		"status.submit":          "Узнать статус",
		"status.check_digit":     "Проверьте номер: последняя цифра не сходится с остальными — вероятно, опечатка.",
		"status.check_number":    "Проверьте номер: он пишется так, как в расписке, например IRK-03-261122-0007-8.",
		"status.bad_code":        "Код статуса — шесть цифр из расписки.",
		"status.not_found":       "Дела с таким номером и кодом нет. Сверьте оба с распиской.",
		"status.too_many":        "Слишком много попыток с этим номером. Попробуйте через час.",
		"status.unavailable":     "Сервер сейчас не отвечает. Попробуйте через минуту.",
		"status.service":         "Услуга",
		"status.state":           "Состояние",
		"status.deadline":        "Срок",
		"status.history":         "Ход дела",
		"status.collect":         "Где получить",
		"status.bring":           "Что взять с собой",
		"status.since":           "с",
		"status.until":           "по",
		"status.state.submitted": "передано в ведомство", "status.state.accepted": "принято ведомством",
		"status.state.in_work": "в работе", "status.state.more_docs": "нужны документы",
		"status.state.ready": "готово", "status.state.refused": "отказ, ответ готов", "status.state.issued": "выдано",
		"status.state.withdrawn": "отозвано", "status.state.unclaimed": "не получено вовремя", "status.state.returned": "не получено в срок, возвращено в ведомство", "status.state.draft": "принимается",
		"status.step.accepted": "Документы приняты в окне", "status.step.sent": "Отправлено в ведомство",
		"status.step.registered": "Зарегистрировано ведомством", "status.step.in_work": "В работе",
		"status.step.documents_requested": "Ведомство запросило документы", "status.step.deadline_extended": "Срок продлён до",
		"status.step.ready": "Готово к выдаче", "status.step.refused": "Отказ, ответ готов к выдаче",
		"status.step.issued": "Выдано", "status.step.withdrawn": "Заявление отозвано",
		"status.step.unclaimed": "Не получено в срок хранения", "status.step.returned": "Возвращено в ведомство",
		"status.bring.identity_document": "документ, удостоверяющий личность", "status.bring.receipt": "расписку",
		"status.bring.power_of_attorney": "доверенность, если придёт представитель", "status.bring.requested_documents": "запрошенные документы",
	},
	"uk": {
		"status.title":           "Статус справи",
		"status.intro":           "Номер справи і код статусу надруковано в розписці.",
		"status.number":          "Номер справи",
		"status.code":            "Код статусу",
		"status.submit":          "Дізнатися статус",
		"status.check_digit":     "Перевірте номер: остання цифра не відповідає іншим — імовірно, помилка.",
		"status.check_number":    "Перевірте номер: він пишеться як у розписці, наприклад IRK-03-261122-0007-8.",
		"status.bad_code":        "Код статусу — шість цифр із розписки.",
		"status.not_found":       "Справи з таким номером і кодом немає. Звірте обидва з розпискою.",
		"status.too_many":        "Забагато спроб із цим номером. Спробуйте за годину.",
		"status.unavailable":     "Сервер зараз не відповідає. Спробуйте за хвилину.",
		"status.service":         "Послуга",
		"status.state":           "Стан",
		"status.deadline":        "Строк",
		"status.history":         "Хід справи",
		"status.collect":         "Де отримати",
		"status.bring":           "Що взяти з собою",
		"status.since":           "з",
		"status.until":           "по",
		"status.state.submitted": "передано до відомства", "status.state.accepted": "прийнято відомством",
		"status.state.in_work": "в роботі", "status.state.more_docs": "потрібні документи",
		"status.state.ready": "готово", "status.state.refused": "відмова, відповідь готова", "status.state.issued": "видано",
		"status.state.withdrawn": "відкликано", "status.state.unclaimed": "не отримано вчасно", "status.state.returned": "не отримано вчасно, повернуто до відомства", "status.state.draft": "приймається",
		"status.step.accepted": "Документи прийнято у вікні", "status.step.sent": "Надіслано до відомства",
		"status.step.registered": "Зареєстровано відомством", "status.step.in_work": "В роботі",
		"status.step.documents_requested": "Відомство запросило документи", "status.step.deadline_extended": "Строк продовжено до",
		"status.step.ready": "Готово до видачі", "status.step.refused": "Відмова, відповідь готова до видачі",
		"status.step.issued": "Видано", "status.step.withdrawn": "Заяву відкликано",
		"status.step.unclaimed": "Не отримано в строк зберігання", "status.step.returned": "Повернуто до відомства",
		"status.bring.identity_document": "документ, що посвідчує особу", "status.bring.receipt": "розписку",
		"status.bring.power_of_attorney": "довіреність, якщо прийде представник", "status.bring.requested_documents": "запитані документи",
	},
	"en": {
		"status.title":           "Case status",
		"status.intro":           "The case number and the status code are printed on your receipt.",
		"status.number":          "Case number",
		"status.code":            "Status code",
		"status.submit":          "Show the status",
		"status.check_digit":     "Check the number: its last digit does not match the rest, so a digit was probably mistyped.",
		"status.check_number":    "Check the number: it is written as on the receipt, e.g. IRK-03-261122-0007-8.",
		"status.bad_code":        "The status code is the six digits on the receipt.",
		"status.not_found":       "No case with this number and code. Compare both with the receipt.",
		"status.too_many":        "Too many tries with this number. Try again in an hour.",
		"status.unavailable":     "The server does not answer now. Try again in a minute.",
		"status.service":         "Service",
		"status.state":           "State",
		"status.deadline":        "Due",
		"status.history":         "History",
		"status.collect":         "Where to collect",
		"status.bring":           "What to bring",
		"status.since":           "from",
		"status.until":           "through",
		"status.state.submitted": "sent to the department", "status.state.accepted": "registered by the department",
		"status.state.in_work": "in work", "status.state.more_docs": "documents needed",
		"status.state.ready": "ready", "status.state.refused": "refused, the answer is ready", "status.state.issued": "issued",
		"status.state.withdrawn": "withdrawn", "status.state.unclaimed": "not collected in time", "status.state.returned": "not collected in time, returned to the department", "status.state.draft": "being taken in",
		"status.step.accepted": "Documents accepted at the window", "status.step.sent": "Sent to the department",
		"status.step.registered": "Registered by the department", "status.step.in_work": "In work",
		"status.step.documents_requested": "The department asked for documents", "status.step.deadline_extended": "Deadline extended to",
		"status.step.ready": "Ready to collect", "status.step.refused": "Refused, the answer is ready to collect",
		"status.step.issued": "Issued", "status.step.withdrawn": "Request withdrawn",
		"status.step.unclaimed": "Not collected within the storage period", "status.step.returned": "Returned to the department",
		"status.bring.identity_document": "your identity document", "status.bring.receipt": "the receipt",
		"status.bring.power_of_attorney": "a power of attorney, if someone else comes", "status.bring.requested_documents": "the documents asked for",
	},
}
