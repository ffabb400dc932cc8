package i18n

var handoffMessages = map[string][3]string{
	"handoff.title":     {"Расписка", "Розписка", "Receipt"},
	"handoff.handed":    {"Дело %s передано в ведомство. Расписка:", "Справу %s передано до відомства. Розписка:", "Case %s handed off. The receipt:"},
	"handoff.reprint":   {"Расписка по делу %s", "Розписка у справі %s", "Receipt of case %s"},
	"handoff.saved":     {"Сохранено: %s и .pdf для печати", "Збережено: %s і .pdf для друку", "Saved: %s and .pdf to print"},
	"handoff.keys":      {"enter — готово (талон обслужен), p — печать, ctrl+n — ещё услуга", "enter — готово (талон обслуговано), p — друк, ctrl+n — ще послуга", "enter: done (ticket served), p: print, ctrl+n: another service"},
	"handoff.printing":  {"Печать…", "Друк…", "Printing…"},
	"handoff.printed":   {"Расписка напечатана: %s", "Розписку надруковано: %s", "Receipt printed: %s"},
	"handoff.noprinter": {"Принтер не настроен: запустите okno с --printer (cups:ИМЯ, escpos:/dev/usb/lp0, escpos:адрес:9100)", "Принтер не налаштовано: запустіть okno з --printer (cups:НАЗВА, escpos:/dev/usb/lp0, escpos:адреса:9100)", "No printer set up: start okno with --printer (cups:NAME, escpos:/dev/usb/lp0, escpos:HOST:9100)"},
	"handoff.printfail": {"Не напечатано: %s", "Не надруковано: %s", "Not printed: %s"},
	"handoff.more":      {"↓ ещё", "↓ ще", "↓ more"},
	"handoff.served":    {"Дело %s передано, талон %s обслужен", "Справу %s передано, талон %s обслуговано", "Case %s handed off, ticket %s served"},
	"handoff.done":      {"Дело %s передано", "Справу %s передано", "Case %s handed off"},
}
