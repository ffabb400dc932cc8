package public

import (
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/domain"
	"github.com/okno-mfc/okno/internal/ratingcode"
)

// The rating page (issue 15 §4, Government Decree 1284): GET /rate asks
// for the code printed on a kiosk ticket or a receipt (the kiosk's "Rate
// the service" button comes here with ?kiosk=OFFICE, and a scanner types
// the code into its field); GET /rate/{code} (the printed link and QR)
// shows what it rates and the form, 1 to 5 and an optional comment;
// POST /rate/{code} rates it once and thanks. The page speaks the language
// of the office the code belongs to. The comment is kept for the office's
// supervisors and never shown on a public page.

// MaxComment is the longest comment, in characters (store.MaxRatingComment).
const MaxComment = 500

// Rater is the lookup and the rating behind the page; package httpapi's
// backend has it. Its errors are the API's answers.
type Rater interface {
	RatingTarget(r *http.Request, code string) (api.RatingTarget, *StatusError)
	Rate(r *http.Request, code string, req api.RatingRequest) (api.RatingResponse, *StatusError)
}

type rateData struct {
	Code       string // canonical, for the form's action; as typed on the lookup form
	Kiosk      string // the office whose kiosk sent the visitor here
	ErrorKey   string
	Target     *rateTarget
	Open       bool
	Thanks     bool
	Scores     []int
	Comment    string // as sent, when it is sent back with an error
	MaxComment int
}

type rateTarget struct{ Service, Office string }

// rateLookup is GET /rate: the form for a code, or (?code=…) on to its page.
func (s *Server) rateLookup(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	kiosk := q.Get("kiosk")
	if !domain.ValidOffice(kiosk) {
		kiosk = ""
	}
	office := &domain.Office{Lang: langParam(q.Get("lang"))}
	if kiosk != "" {
		if o := s.statusOffice(r.Context(), kiosk); o != nil {
			office = o
		}
	}
	code := strings.TrimSpace(q.Get("code"))
	data := rateData{Code: code, Kiosk: kiosk, MaxComment: MaxComment}
	if code == "" {
		s.render(w, r, http.StatusOK, "rate", office, data)
		return
	}
	c, ok := ratingcode.Normalize(code)
	if !ok {
		data.ErrorKey = "rate.bad_code"
		s.render(w, r, http.StatusNotFound, "rate", office, data)
		return
	}
	to := "/rate/" + c
	if kiosk != "" {
		to += "?kiosk=" + kiosk
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// ratePage is GET and POST /rate/{code}.
func (s *Server) ratePage(w http.ResponseWriter, r *http.Request) {
	kiosk := r.URL.Query().Get("kiosk")
	if !domain.ValidOffice(kiosk) {
		kiosk = ""
	}
	data := rateData{Kiosk: kiosk, Scores: []int{5, 4, 3, 2, 1}, MaxComment: MaxComment}
	office := &domain.Office{Lang: langParam(r.URL.Query().Get("lang"))}
	if kiosk != "" {
		if o := s.statusOffice(r.Context(), kiosk); o != nil {
			office = o
		}
	}
	rt, ok := s.b.(Rater)
	if !ok {
		data.ErrorKey = "rate.unavailable"
		s.render(w, r, http.StatusServiceUnavailable, "rate", office, data)
		return
	}
	c, valid := ratingcode.Normalize(r.PathValue("code"))
	if !valid {
		data.Code, data.ErrorKey = r.PathValue("code"), "rate.bad_code"
		s.render(w, r, http.StatusNotFound, "rate", office, data)
		return
	}
	data.Code = c
	t, se := rt.RatingTarget(r, c)
	if se != nil {
		s.rateError(w, r, office, data, se)
		return
	}
	if o := s.statusOffice(r.Context(), t.Office); o != nil {
		office = o
	}
	lang := office.LangCode()
	data.Target = &rateTarget{Service: t.ServiceNames[lang], Office: office.Name}
	if data.Target.Service == "" {
		data.Target.Service = t.Service
	}
	if r.Method != http.MethodPost {
		switch t.State {
		case api.RatingOpen:
			data.Open = true
		case api.RatingRated:
			data.ErrorKey = "rate.already"
		default:
			data.ErrorKey = "rate.not_yet"
		}
		s.render(w, r, http.StatusOK, "rate", office, data)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil {
		data.ErrorKey = "rate.too_long"
		data.Open = true
		s.render(w, r, http.StatusRequestEntityTooLarge, "rate", office, data)
		return
	}
	score, err := strconv.Atoi(r.PostForm.Get("score"))
	comment := strings.TrimSpace(r.PostForm.Get("comment"))
	switch {
	case err != nil || score < 1 || score > 5:
		data.ErrorKey, data.Open, data.Comment = "rate.pick_score", true, comment
		s.render(w, r, http.StatusUnprocessableEntity, "rate", office, data)
		return
	case domain.CheckText(comment) != nil:
		data.ErrorKey, data.Open = "rate.bad_text", true // not sent back: the bytes are what is wrong
		s.render(w, r, http.StatusUnprocessableEntity, "rate", office, data)
		return
	case utf8.RuneCountInString(comment) > MaxComment:
		data.ErrorKey, data.Open, data.Comment = "rate.too_long", true, comment
		s.render(w, r, http.StatusUnprocessableEntity, "rate", office, data)
		return
	}
	if _, se := rt.Rate(r, c, api.RatingRequest{Score: score, Comment: comment}); se != nil {
		s.rateError(w, r, office, data, se)
		return
	}
	data.Thanks = true
	s.render(w, r, http.StatusCreated, "rate", office, data)
}

func (s *Server) rateError(w http.ResponseWriter, r *http.Request, o *domain.Office, data rateData, se *StatusError) {
	switch {
	case se.Code == api.CodeAlreadyRated:
		data.ErrorKey = "rate.already"
	case se.Code == api.CodeNotYet:
		data.ErrorKey = "rate.not_yet"
	case se.Status == http.StatusNotFound:
		data.ErrorKey = "rate.not_found"
		data.Target = nil
	case se.Status == http.StatusTooManyRequests:
		data.ErrorKey = "rate.too_many"
		w.Header().Set("Retry-After", strconv.Itoa(max(1, se.RetryAfter)))
	case se.Status == http.StatusUnprocessableEntity:
		data.ErrorKey, data.Open = "rate.too_long", true
	default:
		data.ErrorKey = "rate.unavailable"
	}
	if data.Target == nil && se.Status == http.StatusNotFound {
		// Back to the lookup form with what was typed.
		s.render(w, r, se.Status, "rate", o, rateData{Code: data.Code, Kiosk: data.Kiosk, ErrorKey: data.ErrorKey, MaxComment: MaxComment})
		return
	}
	s.render(w, r, se.Status, "rate", o, data)
}

func init() {
	for lang, m := range rateTexts {
		for k, v := range m {
			texts[lang][k] = v
		}
	}
}

// rateTexts are the rating page's words.
var rateTexts = map[string]map[string]string{
	"ru": {
		"rate.title":    "Оцените качество услуги",
		"rate.intro":    "Код оценки напечатан на талоне или в расписке.",
		"rate.code":     "Код оценки",
		"rate.next":     "Далее",
		"rate.service":  "Услуга",
		"rate.office":   "Центр",
		"rate.question": "Как вас обслужили?",
		"rate.score.5":  "отлично", "rate.score.4": "хорошо", "rate.score.3": "удовлетворительно",
		"rate.score.2": "плохо", "rate.score.1": "очень плохо",
		"rate.comment":      "Комментарий (необязательно)",
		"rate.comment_hint": "До %d знаков. Не пишите имён, телефонов и номеров документов.",
		"rate.submit":       "Отправить оценку",
		"rate.thanks":       "Спасибо! Ваша оценка принята.",
		"rate.bad_code":     "Код оценки — 12 букв и цифр, как на талоне, например K7M2-9QXA-3FHD.",
		"rate.not_found":    "Такого кода оценки нет. Сверьте его с талоном или распиской.",
		"rate.not_yet":      "Оценить можно после обслуживания в окне или после выдачи результата.",
		"rate.already":      "По этому коду уже поставлена оценка. Каждую услугу оценивают один раз.",
		"rate.pick_score":   "Выберите оценку от 1 до 5.",
		"rate.too_long":     "Комментарий слишком длинный: сократите его до 500 знаков.",
		"rate.bad_text":     "В комментарии есть недопустимые символы: наберите его заново.",
		"rate.too_many":     "Слишком много запросов. Попробуйте через минуту.",
		"rate.unavailable":  "Сервер сейчас не отвечает. Попробуйте через минуту.",
		"rate.back":         "Вернуться к терминалу",
	},
	"uk": {
		"rate.title":    "Оцініть якість послуги",
		"rate.intro":    "Код оцінки надруковано на талоні або в розписці.",
		"rate.code":     "Код оцінки",
		"rate.next":     "Далі",
		"rate.service":  "Послуга",
		"rate.office":   "Центр",
		"rate.question": "Як вас обслужили?",
		"rate.score.5":  "відмінно", "rate.score.4": "добре", "rate.score.3": "задовільно",
		"rate.score.2": "погано", "rate.score.1": "дуже погано",
		"rate.comment":      "Коментар (необов'язково)",
		"rate.comment_hint": "До %d знаків. Не пишіть імен, телефонів і номерів документів.",
		"rate.submit":       "Надіслати оцінку",
		"rate.thanks":       "Дякуємо! Вашу оцінку прийнято.",
		"rate.bad_code":     "Код оцінки — 12 літер і цифр, як на талоні, наприклад K7M2-9QXA-3FHD.",
		"rate.not_found":    "Такого коду оцінки немає. Звірте його з талоном або розпискою.",
		"rate.not_yet":      "Оцінити можна після обслуговування у вікні або після видачі результату.",
		"rate.already":      "За цим кодом оцінку вже поставлено. Кожну послугу оцінюють один раз.",
		"rate.pick_score":   "Виберіть оцінку від 1 до 5.",
		"rate.too_long":     "Коментар задовгий: скоротіть його до 500 знаків.",
		"rate.bad_text":     "У коментарі є неприпустимі символи: наберіть його знову.",
		"rate.too_many":     "Забагато запитів. Спробуйте за хвилину.",
		"rate.unavailable":  "Сервер зараз не відповідає. Спробуйте за хвилину.",
		"rate.back":         "Повернутися до терміналу",
	},
	"en": {
		"rate.title":    "Rate the service",
		"rate.intro":    "The rating code is printed on your ticket or receipt.",
		"rate.code":     "Rating code",
		"rate.next":     "Next",
		"rate.service":  "Service",
		"rate.office":   "Centre",
		"rate.question": "How were you served?",
		"rate.score.5":  "excellent", "rate.score.4": "good", "rate.score.3": "fair",
		"rate.score.2": "poor", "rate.score.1": "very poor",
		"rate.comment":      "Comment (optional)",
		"rate.comment_hint": "Up to %d characters. Please write no names, phone numbers or document numbers.",
		"rate.submit":       "Send the rating",
		"rate.thanks":       "Thank you! Your rating has been received.",
		"rate.bad_code":     "A rating code is 12 letters and digits as on the ticket, e.g. K7M2-9QXA-3FHD.",
		"rate.not_found":    "No such rating code. Compare it with your ticket or receipt.",
		"rate.not_yet":      "You can rate once you have been served at the window or the result has been issued.",
		"rate.already":      "This code has already been used to rate. Each service is rated once.",
		"rate.pick_score":   "Pick a score from 1 to 5.",
		"rate.too_long":     "The comment is too long: shorten it to 500 characters.",
		"rate.bad_text":     "The comment holds characters that cannot be kept: type it again.",
		"rate.too_many":     "Too many requests. Try again in a minute.",
		"rate.unavailable":  "The server does not answer now. Try again in a minute.",
		"rate.back":         "Back to the kiosk",
	},
}
