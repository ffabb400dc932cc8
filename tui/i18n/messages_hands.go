package i18n

// The supervisor's move of a ticket, its second step: the reason
// (tui/supervisor/hands.go, issue 14 §4).
func init() {
	for k, v := range handsMessages {
		if _, dup := messages[k]; dup {
			panic("i18n: message " + k + " is defined twice")
		}
		messages[k] = v
	}
}

var handsMessages = map[string][3]string{
	"sup.act.move_next_keys":  {"enter — далее (причина), esc — отмена", "enter — далі (причина), esc — скасувати", "enter next (the reason), esc cancels"},
	"sup.act.move_why_title":  {"Талон %s → окно %d: почему?", "Талон %s → вікно %d: чому?", "Ticket %s → window %d: why?"},
	"sup.act.move_why_shared": {"Талон %s → общая очередь: почему?", "Талон %s → загальна черга: чому?", "Ticket %s → the shared queue: why?"},
	"sup.act.move_why_hint":   {"можно пусто; попадёт в журнал", "можна порожньо; потрапить до журналу", "may be empty; kept in the audit"},
}
