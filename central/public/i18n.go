package public

// The pages' texts by language (ru, uk, en) and key. A page uses keys
// under its own name ("hall.…"); "layout.…" and "error.…" are shared.
var texts = map[string]map[string]string{
	"ru": {
		"layout.skip":       "К содержанию",
		"error.title":       "Страница недоступна",
		"error.office_code": "Код отделения — от 2 до 8 заглавных латинских букв или цифр.",
		"error.no_office":   "Такого отделения нет. Проверьте адрес страницы.",
		"error.unavailable": "Сервер сейчас не отвечает. Страница обновится сама; если нет — попробуйте через минуту.",
		"error.internal":    "Внутренняя ошибка. Попробуйте позже.",
		"hall.title":        "Электронная очередь",
		"hall.calls":        "Приглашаются",
		"hall.ticket":       "Талон",
		"hall.window":       "Окно",
		"hall.waiting":      "Ожидают",
		"hall.no_calls":     "Пока никого не пригласили",
		"hall.nobody_waits": "Очереди нет",
		"hall.offline":      "Нет связи с сервером. Переподключаемся…",
		"hall.closed":       "Отделение закрыто",
		"hall.sound":        "Нажмите, чтобы включить звук",
		"speech.ticket":     "Талон",
		"speech.window":     "окно",
	},
	"uk": {
		"layout.skip":       "До змісту",
		"error.title":       "Сторінка недоступна",
		"error.office_code": "Код відділення — від 2 до 8 великих латинських літер або цифр.",
		"error.no_office":   "Такого відділення немає. Перевірте адресу сторінки.",
		"error.unavailable": "Сервер зараз не відповідає. Сторінка оновиться сама; якщо ні — спробуйте за хвилину.",
		"error.internal":    "Внутрішня помилка. Спробуйте пізніше.",
		"hall.title":        "Електронна черга",
		"hall.calls":        "Запрошуються",
		"hall.ticket":       "Талон",
		"hall.window":       "Вікно",
		"hall.waiting":      "Очікують",
		"hall.no_calls":     "Поки нікого не запросили",
		"hall.nobody_waits": "Черги немає",
		"hall.offline":      "Немає зв'язку з сервером. Перепідключаємося…",
		"hall.closed":       "Відділення зачинене",
		"hall.sound":        "Натисніть, щоб увімкнути звук",
		"speech.ticket":     "Талон",
		"speech.window":     "вікно",
	},
	"en": {
		"layout.skip":       "Skip to content",
		"error.title":       "Page not available",
		"error.office_code": "An office code is 2 to 8 capital Latin letters or digits.",
		"error.no_office":   "There is no such office. Check the page's address.",
		"error.unavailable": "The server does not answer now. The page will reload by itself; if not, try again in a minute.",
		"error.internal":    "Internal error. Try again later.",
		"hall.title":        "Queue",
		"hall.calls":        "Now serving",
		"hall.ticket":       "Ticket",
		"hall.window":       "Window",
		"hall.waiting":      "Waiting",
		"hall.no_calls":     "Nobody called yet",
		"hall.nobody_waits": "No queue",
		"hall.offline":      "No connection to the server. Reconnecting…",
		"hall.closed":       "The office is closed",
		"hall.sound":        "Tap to turn the sound on",
		"speech.ticket":     "Ticket",
		"speech.window":     "window",
	},
}

// text is key's text in lang (en for an unknown language; the key itself
// when missing).
func text(lang, key string) string {
	m, ok := texts[lang]
	if !ok {
		m = texts["en"]
	}
	if s, ok := m[key]; ok {
		return s
	}
	return key
}
