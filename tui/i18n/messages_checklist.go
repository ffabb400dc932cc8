package i18n

var checklistMessages = map[string][3]string{
	"checklist.title":         {"Перечень документов", "Перелік документів", "Checklist"},
	"checklist.head":          {"Дело %s · %s", "Справа %s · %s", "Case %s · %s"},
	"checklist.col_doc":       {"Документ", "Документ", "Document"},
	"checklist.col_need":      {"Нужен", "Потрібен", "Need"},
	"checklist.col_form":      {"Вид", "Вид", "Form"},
	"checklist.col_count":     {"Кол.", "К-сть", "Qty"},
	"checklist.scan":          {"Сканер:", "Сканер:", "Scan:"},
	"checklist.scan.ph":       {"код документа, номер дела или путь к файлу PDF/JPEG + enter", "код документа, номер справи або шлях до файлу PDF/JPEG + enter", "a document code, a case number or a PDF/JPEG file's path + enter"},
	"checklist.reason":        {"Причина:", "Причина:", "Reason:"},
	"checklist.ticked":        {"✓ Отмечен: %s", "✓ Позначено: %s", "✓ Ticked: %s"},
	"checklist.already":       {"Уже отмечен: %s", "Уже позначено: %s", "Already ticked: %s"},
	"checklist.attached":      {"Файл %s приложен к «%s»", "Файл %s додано до «%s»", "File %s attached to %q"},
	"checklist.interagency":   {"ведомство может запросить сам", "відомство може запитати саме", "the department can obtain it itself"},
	"checklist.barcode":       {"штрихкод %s", "штрихкод %s", "barcode %s"},
	"checklist.files":         {"файлов: %d", "файлів: %d", "files: %d"},
	"checklist.summary":       {"Предъявлено %d из %d; не хватает обязательных: %d. ctrl+s — передать дело", "Подано %d з %d; бракує обов'язкових: %d. ctrl+s — передати справу", "Presented %d of %d; required missing: %d. ctrl+s hands the case off"},
	"checklist.missing_title": {"Не представлены обязательные документы:", "Не подано обов'язкові документи:", "Required documents not presented:"},
	"checklist.reason_keys":   {"Передать дело можно, только записав причину (она попадёт в расписку). enter — передать, esc — вернуться к перечню", "Передати справу можна, лише записавши причину (вона потрапить до розписки). enter — передати, esc — повернутися до переліку", "The case can be handed off only with the reason recorded (it goes on the receipt). enter hands off, esc goes back to the checklist"},
	"checklist.need_reason":   {"Напишите причину", "Напишіть причину", "Type the reason"},
}
