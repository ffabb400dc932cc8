package i18n

import (
	"strings"

	"github.com/okno-mfc/okno/domain"
)

// issueMessages are the words of a result's issue: who receives it, the
// power of attorney, the issue record; and a case number scanned on the
// queue screen.
var issueMessages = map[string][3]string{
	"issue.kind":                       {"Получает", "Отримує", "Received by"},
	"issue.kind.applicant":             {"заявитель лично", "заявник особисто", "the applicant in person"},
	"issue.kind.rep":                   {"представитель по доверенности", "представник за довіреністю", "a representative with a power of attorney"},
	"issue.name":                       {"ФИО получателя", "ПІБ отримувача", "Receiver's name"},
	"issue.name.ph":                    {"как в документе", "як у документі", "as on the document"},
	"issue.checked":                    {"Документ проверен", "Документ перевірено", "Document checked"},
	"issue.poa_number":                 {"Доверенность №", "Довіреність №", "Power of attorney no."},
	"issue.poa_date":                   {"Дата доверенности", "Дата довіреності", "Dated"},
	"issue.poa_issuer":                 {"Кем выдана", "Ким видана", "Issued by"},
	"issue.poa_issuer.ph":              {"нотариус или организация", "нотаріус або організація", "a notary or an organisation"},
	"issue.poa_notarised":              {"Нотариальная", "Нотаріальна", "Notarised"},
	"issue.poa_until":                  {"Действует до", "Дійсна до", "Valid until"},
	"issue.date.ph":                    {"ДД.ММ.ГГГГ", "ДД.ММ.РРРР", "DD.MM.YYYY"},
	"issue.until.ph":                   {"если указан срок", "якщо зазначено строк", "if it states a term"},
	"issue.yes":                        {"да", "так", "yes"},
	"issue.no":                         {"нет", "ні", "no"},
	"issue.hint":                       {"tab — поле, ←/→ — выбор, ctrl+s — выдать, esc — отмена", "tab — поле, ←/→ — вибір, ctrl+s — видати, esc — скасувати", "tab: next field, ←/→: choose, ctrl+s: issue, esc: cancel"},
	"issue.received":                   {"Получил", "Отримав", "Received by"},
	"issue.rcv.applicant":              {"заявитель лично, %s", "заявник особисто, %s", "the applicant, %s"},
	"issue.rcv.rep":                    {"представитель %s, %s", "представник %s, %s", "representative %s, %s"},
	"issue.rcv.poa":                    {"доверенность № %s от %s (%s)", "довіреність № %s від %s (%s)", "power of attorney no. %s of %s (%s)"},
	"issue.rcv.notarised":              {"нотариальная", "нотаріальна", "notarised"},
	"issue.rcv.until":                  {"до %s", "до %s", "until %s"},
	"issue.issued":                     {"Результат выдан", "Результат видано", "Result issued"},
	"issue.record_saved":               {"расписка о выдаче: %s", "розписка про видачу: %s", "issue record: %s"},
	"issue.record_printed":             {"расписка о выдаче напечатана: %s", "розписку про видачу надруковано: %s", "issue record printed: %s"},
	"issue.print_failed":               {"расписка о выдаче сохранена, но не напечатана: %s", "розписку про видачу збережено, але не надруковано: %s", "the issue record was saved but not printed: %s"},
	"issue.record_failed":              {"расписка о выдаче не сделана: %s", "розписку про видачу не створено: %s", "the issue record was not made: %s"},
	"invalid.kind.empty":               {"Выберите, кто получает результат", "Оберіть, хто отримує результат", "Choose who receives the result"},
	"invalid.checked.empty":            {"Проверьте документ получателя и отметьте «да»", "Перевірте документ отримувача й позначте «так»", "Check the receiver's document and mark it yes"},
	"invalid.poa.empty":                {"Представителю нужна доверенность", "Представнику потрібна довіреність", "A representative needs a power of attorney"},
	"invalid.poa.conflict":             {"Заявителю лично доверенность не нужна", "Заявнику особисто довіреність не потрібна", "The applicant in person needs no power of attorney"},
	"invalid.poa.number.empty":         {"Введите номер доверенности", "Введіть номер довіреності", "Type the power of attorney's number"},
	"invalid.poa.number.length":        {"Номер доверенности — до 200 знаков", "Номер довіреності — до 200 знаків", "The number is at most 200 characters"},
	"invalid.poa.issued_by.empty":      {"Укажите, кто выдал или удостоверил доверенность", "Зазначте, хто видав або посвідчив довіреність", "Say who issued or certified the power of attorney"},
	"invalid.poa.issued_by.length":     {"Не больше 200 знаков", "Не більше 200 знаків", "At most 200 characters"},
	"invalid.poa.date.empty":           {"Введите дату доверенности", "Введіть дату довіреності", "Type the power of attorney's date"},
	"invalid.poa.date.format":          {"Дата — ДД.ММ.ГГГГ", "Дата — ДД.ММ.РРРР", "Write the date as DD.MM.YYYY"},
	"invalid.poa.date.range":           {"Такой даты нет или она ещё не наступила", "Такої дати немає або вона ще не настала", "No such date, or it is after today"},
	"invalid.poa.valid_until.format":   {"Дата — ДД.ММ.ГГГГ", "Дата — ДД.ММ.РРРР", "Write the date as DD.MM.YYYY"},
	"invalid.poa.valid_until.range":    {"Срок доверенности истёк: выдать по ней нельзя", "Строк довіреності сплив: видати за нею не можна", "The power of attorney has expired: the result cannot be issued under it"},
	"invalid.poa.valid_until.conflict": {"Доверенность не может кончиться раньше, чем выдана", "Довіреність не може закінчитися раніше, ніж видана", "It cannot end before it was made"},
	"queue.scan_typo":                  {"%s: ошибка в контрольной цифре, отсканируйте ещё раз", "%s: помилка в контрольній цифрі, відскануйте ще раз", "%s: wrong check digit; scan or type it again"},
	"queue.scan_unknown":               {"Дела %s на этом рабочем месте нет", "Справи %s на цьому робочому місці немає", "Case %s is not known at this workstation"},
	"queue.scan_not_number":            {"%s — не номер дела", "%s — не номер справи", "%s is not a case number"},
	"queue.scanning":                   {"Номер дела: %s", "Номер справи: %s", "Case number: %s"},
}

// Receiver says who received a result, in a line: the applicant and
// their document, or the representative, their document and the power of
// attorney.
func (t T) Receiver(r domain.Receiver) string {
	doc := strings.TrimSpace(t.S("doctype.short."+string(r.DocType)) + " " + r.DocNumber)
	if r.Kind != domain.ReceiverRepresentative {
		return t.S("issue.rcv.applicant", r.Name+", "+doc)
	}
	s := t.S("issue.rcv.rep", r.Name, doc)
	if p := r.POA; p != nil {
		made := p.Date
		if d, err := domain.ParseDate(p.Date); err == nil {
			made = t.Date(d)
		}
		by := p.IssuedBy
		if p.Notarised {
			by = t.S("issue.rcv.notarised") + ", " + by
		}
		s += "; " + t.S("issue.rcv.poa", p.Number, made, by)
		if d, err := domain.ParseDate(p.ValidUntil); err == nil {
			s += " " + t.S("issue.rcv.until", t.Date(d))
		}
	}
	return s
}
