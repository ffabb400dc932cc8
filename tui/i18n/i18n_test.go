package i18n

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/okno-mfc/okno/domain"
)

var verb = regexp.MustCompile(`%[-+# 0]*\d*(?:\.\d+)?[a-zA-Z%]`)

// Every message has all three languages, with the same format verbs in the
// same order, and plural messages have their forms.
func TestCatalogueIsComplete(t *testing.T) {
	t.Parallel()
	for id, m := range messages {
		for i, s := range m {
			if strings.TrimSpace(s) == "" {
				t.Errorf("%s: %s is empty", id, Langs[i])
			}
		}
		forms := []int{strings.Count(m[0], "|"), strings.Count(m[1], "|"), strings.Count(m[2], "|")}
		if forms[0] > 0 || forms[1] > 0 || forms[2] > 0 {
			if forms[0] != 2 || forms[1] != 2 || forms[2] != 1 {
				t.Errorf("%s: plural forms ru %d uk %d en %d, want 3, 3, 2", id, forms[0]+1, forms[1]+1, forms[2]+1)
			}
			continue
		}
		want := strings.Join(verb.FindAllString(m[2], -1), " ")
		for i, s := range m[:2] {
			if got := strings.Join(verb.FindAllString(s, -1), " "); got != want && !(strings.Contains(want, "%q") && strings.ReplaceAll(want, "%q", "%s") == got) {
				t.Errorf("%s: %s has verbs %q, en has %q", id, Langs[i], got, want)
			}
		}
	}
}

func TestPlural(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		lang Lang
		n    int
		want string
	}{
		{RU, 1, "1 рабочий день"}, {RU, 2, "2 рабочих дня"}, {RU, 5, "5 рабочих дней"}, {RU, 11, "11 рабочих дней"},
		{RU, 21, "21 рабочий день"}, {RU, 22, "22 рабочих дня"}, {RU, 112, "112 рабочих дней"},
		{UK, 1, "1 робочий день"}, {UK, 3, "3 робочі дні"}, {UK, 7, "7 робочих днів"},
		{EN, 1, "1 working day"}, {EN, 2, "2 working days"},
	} {
		if got := New(tc.lang).N("working_days", tc.n); got != tc.want {
			t.Errorf("%s %d: %q, want %q", tc.lang, tc.n, got, tc.want)
		}
	}
}

func TestFormats(t *testing.T) {
	t.Parallel()
	d := time.Date(2027, 1, 7, 9, 5, 0, 0, time.UTC)
	if got := New(RU).Date(d); got != "07.01.2027" {
		t.Errorf("ru date %q", got)
	}
	if got := New(EN).DateTime(d); got != "2027-01-07 09:05" {
		t.Errorf("en date-time %q", got)
	}
	for _, tc := range []struct {
		lang     Lang
		minor    int64
		currency string
		want     string
	}{
		{RU, 500000, "RUB", "5 000,00 ₽"}, {UK, 12345, "", "123,45 грн"}, {EN, 123456789, "RUB", "1,234,567.89 RUB"}, {RU, 5, "", "0,05 ₽"},
	} {
		if got := New(tc.lang).Money(tc.minor, tc.currency); got != tc.want {
			t.Errorf("%s %d %s: %q, want %q", tc.lang, tc.minor, tc.currency, got, tc.want)
		}
	}
}

func TestFromEnvAndParse(t *testing.T) {
	t.Parallel()
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	for _, tc := range []struct {
		env  map[string]string
		want Lang
	}{
		{map[string]string{"LANG": "ru_RU.UTF-8"}, RU},
		{map[string]string{"LANG": "uk_UA.UTF-8"}, UK},
		{map[string]string{"LANG": "ru_RU.UTF-8", "LC_ALL": "en_US.UTF-8"}, EN},
		{map[string]string{"LC_MESSAGES": "uk_UA", "LANG": "ru_RU"}, UK},
		{map[string]string{"LANG": "C"}, EN},
		{map[string]string{}, EN},
	} {
		if got := FromEnv(env(tc.env)); got != tc.want {
			t.Errorf("%v: %s, want %s", tc.env, got, tc.want)
		}
	}
	if l, ok := Parse("UA"); !ok || l != UK {
		t.Errorf("ua is Ukrainian")
	}
	if _, ok := Parse("de"); ok {
		t.Errorf("de is not offered")
	}
}

func TestErrorsInTheClerksLanguage(t *testing.T) {
	t.Parallel()
	_, snils := domain.ValidateSNILS("112-233-445 96")
	_, passport := domain.ValidatePassportUA("KB123456")
	_, typo := domain.ParseCaseNumber("IRK-03-261122-0007-9")
	for _, tc := range []struct {
		lang Lang
		err  error
		want string
	}{
		{RU, snils, "СНИЛС: контрольное число не сходится — опечатка?"},
		{UK, snils, "СНІЛС: контрольне число не збігається — помилка?"},
		{EN, snils, "SNILS: the check number does not match — a typo?"},
		{RU, fmt.Errorf("register: %w", snils), "СНИЛС: контрольное число"},
		{RU, typo, "Опечатка в номере дела"},
		{UK, domain.ErrBadCredentials, "Неправильний логін або пароль"},
		{RU, &domain.MissingDocumentsError{Docs: []string{"a", "b"}}, "Не хватает обязательных документов: 2"},
		{EN, &domain.TransitionError{From: domain.CaseIssued, Action: domain.ActIssue}, "Cannot issue the result of a case that is issued"},
		{RU, fmt.Errorf("case x: %w", domain.ErrNotFound), "Не найдено"},
		{RU, fmt.Errorf("issue: %w", &domain.ReturnedError{ReturnedAt: time.Date(2026, 12, 3, 10, 0, 0, 0, time.Local), Reason: "не явился"}), "Выдать нельзя: 03.12.2026 возвращено в ведомство, не получено в срок (причина: не явился). Заявитель получит результат в ведомстве."},
		{EN, &domain.ReturnedError{ReturnedAt: time.Date(2026, 12, 3, 10, 0, 0, 0, time.Local)}, "Not issued here: returned to the department on 2026-12-03"},
		{EN, errors.New("disk full"), "Error: disk full"},
		{UK, Errorf("err.file_type", "a.txt"), "Файл a.txt — не PDF і не JPEG"},
		{RU, &domain.InvalidError{Field: "representative.basis", Problem: domain.ProblemEmpty}, "Основание: не заполнено"},
	} {
		if got := New(tc.lang).Err(tc.err); !strings.Contains(got, tc.want) {
			t.Errorf("%s %v: %q, want %q", tc.lang, tc.err, got, tc.want)
		}
	}
	var ie *domain.InvalidError
	errors.As(passport, &ie)
	if got := New(RU).Invalid(ie, string(domain.DocPassportUA)); !strings.Contains(got, "кириллицей") {
		t.Errorf("a Latin series of a Ukrainian passport: %q", got)
	}
}
