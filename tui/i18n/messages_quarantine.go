package i18n

// The quarantined events on the supervisor's attention list
// (tui/supervisor/quarantine.go, issue 11).
func init() {
	for k, v := range quarantineMessages {
		if _, dup := messages[k]; dup {
			panic("i18n: message " + k + " is defined twice")
		}
		messages[k] = v
	}
}

var quarantineMessages = map[string][3]string{
	"sup.quar.title": {"Не приняты в цепочки окон (карантин) за %d дн.: %d",
		"Не прийняті до ланцюжків вікон (карантин) за %d дн.: %d",
		"Kept out of the windows' chains (quarantine), last %d days: %d"},
	"sup.quar.row":    {"окно %d · %s · %s · отправил %s · %s", "вікно %d · %s · %s · надіслав %s · %s", "window %d · %s · %s · sent by %s · %s"},
	"sup.quar.events": {"%d событие|%d события|%d событий", "%d подія|%d події|%d подій", "%d event|%d events"},
	"sup.quar.hint": {"Ключ окна за них не ручается: чужие события или смена ключа — выясните, кто их отправил.",
		"Ключ вікна за них не ручається: чужі події або зміна ключа — з'ясуйте, хто їх надіслав.",
		"The window's key does not vouch for them: forged events, or a key changed — find out who sent them."},
	"sup.quar.problem.hash":      {"хеш не сходится", "хеш не збігається", "hash mismatch"},
	"sup.quar.problem.signature": {"подпись не проверяется", "підпис не перевіряється", "bad signature"},
	"sup.quar.problem.unsigned":  {"без подписи", "без підпису", "unsigned"},
	"sup.quar.problem.seq_taken": {"номер уже занят", "номер уже зайнятий", "seq taken"},
}
