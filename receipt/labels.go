package receipt

// labels are the receipt's words: id → {ru, uk, en}.
var labels = map[string][3]string{
	"title":               {"РАСПИСКА", "РОЗПИСКА", "RECEIPT"},
	"subtitle":            {"в получении документов от заявителя", "про отримання документів від заявника", "for documents received from the applicant"},
	"case":                {"Номер дела", "Номер справи", "Case number"},
	"code":                {"Код статуса", "Код статусу", "Status code"},
	"rating":              {"Код оценки", "Код оцінки", "Rating code"},
	"rate":                {"Оцените качество услуги после получения результата:", "Оцініть якість послуги після отримання результату:", "Rate the service once you have the result:"},
	"date":                {"Дата приёма", "Дата прийому", "Received on"},
	"place":               {"Место приёма", "Місце прийому", "Received at"},
	"window":              {"окно %d", "вікно %d", "window %d"},
	"visitor":             {"Заявитель", "Заявник", "Applicant"},
	"document":            {"Документ", "Документ", "Identity document"},
	"service":             {"Услуга", "Послуга", "Service"},
	"department":          {"Ведомство", "Відомство", "Department"},
	"deadline":            {"Результат", "Результат", "Result due"},
	"until":               {"до %s", "до %s", "by %s"},
	"days.working":        {"%d рабочий день|%d рабочих дня|%d рабочих дней", "%d робочий день|%d робочі дні|%d робочих днів", "%d working day|%d working days"},
	"days.calendar":       {"%d календарный день|%d календарных дня|%d календарных дней", "%d календарний день|%d календарні дні|%d календарних днів", "%d calendar day|%d calendar days"},
	"fee":                 {"Госпошлина", "Державне мито", "Fee"},
	"free":                {"не взимается", "не справляється", "none"},
	"accepted":            {"Приняты документы:", "Прийнято документи:", "Documents accepted:"},
	"missing":             {"Не представлены обязательные документы:", "Не подано обов'язкові документи:", "Required documents not presented:"},
	"reason":              {"Причина:", "Причина:", "Reason:"},
	"none":                {"нет", "немає", "none"},
	"copies":              {"%d экз.|%d экз.|%d экз.", "%d прим.|%d прим.|%d прим.", "%d pc|%d pcs"},
	"form.original":       {"оригинал", "оригінал", "original"},
	"form.copy":           {"копия", "копія", "copy"},
	"form.":               {"", "", ""},
	"clerk":               {"Документы принял", "Документи прийняв", "Received by"},
	"applicant":           {"Документы сдал", "Документи здав", "Handed in by"},
	"signature":           {"(подпись)", "(підпис)", "(signature)"},
	"phone":               {"Телефон:", "Телефон:", "Phone:"},
	"hours":               {"Часы работы:", "Графік роботи:", "Open:"},
	"doctype.passport_ru": {"Паспорт РФ", "Паспорт РФ", "Russian passport"},
	"doctype.id_card_ua":  {"ID-карта", "ID-картка", "ID card"},
	"doctype.passport_ua": {"Паспорт", "Паспорт", "Passport"},
	"doctype.other":       {"", "", ""},
	"doctype.":            {"", "", ""},
}

// labelsFor returns the lookup of the labels in l.
func labelsFor(l string) func(string) string {
	i := lang(l)
	return func(id string) string {
		if v, ok := labels[id]; ok {
			return v[i]
		}
		return id
	}
}
