package i18n

var serviceMessages = map[string][3]string{
	"service.title":        {"Выбор услуги", "Вибір послуги", "Service"},
	"service.for":          {"Услуга для: %s", "Послуга для: %s", "Service for %s"},
	"service.filter":       {"Услуга: ", "Послуга: ", "Service: "},
	"service.deadline":     {"Срок:", "Строк:", "Deadline:"},
	"service.fee":          {"Госпошлина:", "Держмито:", "Fee:"},
	"service.docs":         {"документы: %d обязательных, %d прочих", "документи: %d обов'язкових, %d інших", "documents: %d required, %d other"},
	"service.department":   {"Ведомство:", "Відомство:", "Department:"},
	"service.equipment":    {"Нужно оборудование: %s", "Потрібне обладнання: %s", "Needs equipment: %s"},
	"service.repeat_title": {"Повторное обращение: у заявителя уже есть открытые дела по этой услуге", "Повторне звернення: заявник уже має відкриті справи з цієї послуги", "A repeat request: the visitor already has open cases for this service"},
	"service.repeat_keys":  {"Проверьте, не повторяет ли заявление прежнее. enter — всё равно открыть новое дело, esc — выбрать другую услугу", "Перевірте, чи не повторює заява попередню. enter — все одно відкрити нову справу, esc — вибрати іншу послугу", "Check whether the request repeats an earlier one. enter opens a new case anyway, esc chooses another service"},
}
