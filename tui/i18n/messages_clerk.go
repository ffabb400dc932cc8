package i18n

// Messages of the clerk's day without friction (issue 13): drafts resumed
// and cancelled, the questions asked before something is thrown away.
var clerkMessages = map[string][3]string{
	"key.resume":     {"продолжить черновик", "продовжити чернетку", "resume the draft"},
	"key.cancelcase": {"отменить дело", "скасувати справу", "cancel the case"},
	"key.yes":        {"да", "так", "yes"},

	"cases.reason":      {"Причина:", "Причина:", "Reason:"},
	"cases.cancel_ask":  {"Отменить дело %s? Напишите причину; enter — отменить, esc — оставить", "Скасувати справу %s? Напишіть причину; enter — скасувати, esc — залишити", "Cancel case %s? Write the reason; enter cancels, esc keeps it"},
	"cases.need_reason": {"Напишите причину отмены", "Напишіть причину скасування", "Write why the case is cancelled"},
	"cases.cancelled":   {"Дело %s отменено", "Справу %s скасовано", "Case %s was cancelled"},
	"cases.draft_hint":  {"Черновик: o — продолжить оформление, c — отменить с причиной", "Чернетка: o — продовжити оформлення, c — скасувати з причиною", "A draft: o resumes the intake, c cancels it with a reason"},

	"service.repeat_draft": {"Есть черновик %s: o — продолжить его. enter — всё равно открыть новое дело, esc — другая услуга", "Є чернетка %s: o — продовжити її. enter — все одно відкрити нову справу, esc — інша послуга", "Draft %s is open: o resumes it. enter opens a new case anyway, esc chooses another service"},

	"queue.draft_ask":  {"У талона %s открыт черновик дела %s. o — продолжить, c — открыть дело (отменить), enter — всё равно обслужен, esc — назад", "Талон %s має відкриту чернетку справи %s. o — продовжити, c — відкрити справу (скасувати), enter — все одно обслуговано, esc — назад", "Ticket %s has an open draft, case %s. o resumes it, c opens the case (to cancel it), enter marks served anyway, esc goes back"},
	"queue.noshow_ask": {"Отметить неявку по талону %s? enter — да, esc — нет", "Позначити неявку за талоном %s? enter — так, esc — ні", "Mark ticket %s as a no-show? enter: yes, esc: no"},
	"queue.kept":       {"Ничего не изменено", "Нічого не змінено", "Nothing changed"},

	"intake.dup_id":    {"Заявитель с этим %s уже зарегистрирован: %s, %s %s.", "Заявника з цим %s уже зареєстровано: %s, %s %s.", "A visitor with this %s is registered already: %s, %s %s."},
	"field.id.snils":   {"СНИЛС", "СНІЛС", "SNILS"},
	"field.id.inn":     {"ИНН", "ІПН", "INN"},
	"field.id.rnokpp":  {"РНОКПП", "РНОКПП", "RNOKPP"},
	"sup.state.closed": {"закрыто", "зачинене", "closed"},

	"key.signout": {"выйти из окна", "вийти з вікна", "sign out"},
	"key.lock":    {"заблокировать", "заблокувати", "lock"},
	"key.unlock":  {"разблокировать", "розблокувати", "unlock"},

	"lock.title": {"Экран заблокирован", "Екран заблоковано", "The screen is locked"},
	"lock.who":   {"Окно занято: %s (%s). Введите пароль, чтобы продолжить.", "Вікно зайняте: %s (%s). Введіть пароль, щоб продовжити.", "In use by %s (%s). Type the password to go on."},
	"lock.hint":  {"enter — разблокировать", "enter — розблокувати", "enter unlocks"},

	"quit.ask":    {"%s enter или ctrl+c — всё равно выйти, esc — остаться.", "%s enter або ctrl+c — все одно вийти, esc — залишитися.", "%s enter or ctrl+c quits anyway, esc stays."},
	"quit.ticket": {"У окна талон %s: отметьте его обслуженным или неявкой.", "Біля вікна талон %s: позначте його обслугованим або неявкою.", "Ticket %s is at the window: mark it served or a no-show."},
	"quit.draft":  {"Дело %s не передано: оно останется черновиком.", "Справу %s не передано: вона залишиться чернеткою.", "Case %s is not handed off: it stays a draft."},
	"quit.form":   {"Анкета нового заявителя не сохранена.", "Анкету нового заявника не збережено.", "The new visitor's form is not saved."},

	"signout.done": {"Вы вышли; окно закрыто для диспетчера", "Ви вийшли; вікно зачинене для диспетчера", "Signed out; the supervisor sees the window closed"},

	"invalid.proof.format": {"Впишите номер документа о льготе после его названия", "Впишіть номер документа про пільгу після його назви", "Type the proof document's number after its name"},

	"err.file_denied": {"%s: нет прав на чтение файла", "%s: немає прав на читання файлу", "%s: the file may not be read"},

	"linkerr.central_status": {"центр ответил ошибкой %d", "центр відповів помилкою %d", "the central answered with error %d"},
	"linkerr.sync_failed":    {"обмен с центром не удался; подробности в журнале рабочего места", "обмін із центром не вдався; подробиці в журналі робочого місця", "the sync with the central failed; the workstation's log has the details"},
	"queue.none_for_window":  {"Ждут: %d, но никого из них не может вызвать это окно (другое оборудование или окно)", "Чекають: %d, але жодного з них не може викликати це вікно (інше обладнання або вікно)", "%d waiting, but none of them for this window (other equipment or another window)"},

	"bar.offline_short": {"офлайн", "офлайн", "offline"},

	"key.issueready": {"выдать готовое", "видати готове", "issue the result"},
	"service.ready":  {"Готово к выдаче: %d (%s) — ctrl+e открыть и выдать", "Готово до видачі: %d (%s) — ctrl+e відкрити й видати", "Ready to issue: %d (%s) — ctrl+e opens it to issue"},

	"intake.discard_ask": {"Введённые данные не сохранены. enter — выбросить их, esc — вернуться к анкете", "Введені дані не збережено. enter — викинути їх, esc — повернутися до анкети", "What was typed is not saved. enter throws it away, esc returns to the form"},
}
