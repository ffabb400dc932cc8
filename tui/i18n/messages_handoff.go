package i18n

var handoffMessages = map[string][3]string{
	"handoff.title":   {"Расписка", "Розписка", "Receipt"},
	"handoff.handed":  {"Дело %s передано в ведомство. Расписка:", "Справу %s передано до відомства. Розписка:", "Case %s handed off. The receipt:"},
	"handoff.reprint": {"Расписка по делу %s", "Розписка у справі %s", "Receipt of case %s"},
	"handoff.saved":   {"Сохранено: %s и .pdf для печати", "Збережено: %s і .pdf для друку", "Saved: %s and .pdf to print"},
	"handoff.keys":    {"enter — готово (талон обслужен), ctrl+n — ещё услуга этому заявителю", "enter — готово (талон обслуговано), ctrl+n — ще послуга цьому заявнику", "enter: done (ticket served), ctrl+n: another service for this visitor"},
	"handoff.more":    {"↓ ещё", "↓ ще", "↓ more"},
	"handoff.served":  {"Дело %s передано, талон %s обслужен", "Справу %s передано, талон %s обслуговано", "Case %s handed off, ticket %s served"},
	"handoff.done":    {"Дело %s передано", "Справу %s передано", "Case %s handed off"},
}
