package i18n

// The catalogue: id → {ru, uk, en}. Plural messages hold their forms
// separated by "|" (ru, uk: one|few|many; en: one|many) and are read with
// T.N. The screens' messages are in messages_*.go beside this file.
var messages = merge(
	commonMessages, errorMessages, fieldMessages, keyMessages,
	signinMessages, queueMessages, intakeMessages, serviceMessages,
	checklistMessages, handoffMessages, casesMessages, syncMessages,
	clerkMessages, deskMessages, citizenMessages, issueMessages,
)

func merge(parts ...map[string][3]string) map[string][3]string {
	out := map[string][3]string{}
	for _, p := range parts {
		for k, v := range p {
			if _, dup := out[k]; dup {
				panic("i18n: message " + k + " is defined twice")
			}
			out[k] = v
		}
	}
	return out
}

var commonMessages = map[string][3]string{
	"app.name":              {"окно", "вікно", "okno"},
	"loading":               {"Загрузка…", "Завантаження…", "Loading…"},
	"none":                  {"—", "—", "—"},
	"yes":                   {"да", "так", "yes"},
	"no":                    {"нет", "ні", "no"},
	"bar.nobody":            {"вход не выполнен", "вхід не виконано", "not signed in"},
	"bar.window":            {"окно %d", "вікно %d", "window %d"},
	"bar.outbox":            {"к отправке: %d", "до надсилання: %d", "outbox: %d"},
	"bar.rejected":          {"отклонено: %d", "відхилено: %d", "rejected: %d"},
	"bar.offline_in":        {"(офлайн-вход)", "(офлайн-вхід)", "(offline sign-in)"},
	"link.online":           {"● на связи", "● на зв'язку", "● online"},
	"link.offline":          {"○ нет связи", "○ немає зв'язку", "○ offline"},
	"link.syncing":          {"◐ синхронизация", "◐ синхронізація", "◐ syncing"},
	"link.degraded":         {"◑ сбои связи", "◑ збої зв'язку", "◑ degraded"},
	"help.title":            {"Клавиши: %s", "Клавіші: %s", "Keys: %s"},
	"help.global":           {"Везде", "Усюди", "Everywhere"},
	"help.close":            {"esc или ? — закрыть", "esc або ? — закрити", "esc or ? to close"},
	"minutes":               {"%d мин", "%d хв", "%d min"},
	"hours_minutes":         {"%d ч %02d мин", "%d год %02d хв", "%d h %02d min"},
	"working_days":          {"%d рабочий день|%d рабочих дня|%d рабочих дней", "%d робочий день|%d робочі дні|%d робочих днів", "%d working day|%d working days"},
	"calendar_days":         {"%d календарный день|%d календарных дня|%d календарных дней", "%d календарний день|%d календарні дні|%d календарних днів", "%d calendar day|%d calendar days"},
	"free":                  {"бесплатно", "безоплатно", "free"},
	"deadline.until":        {"до %s", "до %s", "by %s"},
	"copies":                {"%d экз.", "%d прим.", "%d pcs"},
	"doctype.passport_ru":   {"Паспорт РФ", "Паспорт РФ", "Russian passport"},
	"doctype.id_card_ua":    {"ID-карта (Украина)", "ID-картка", "Ukrainian ID card"},
	"doctype.passport_ua":   {"Паспорт-книжка (Украина)", "Паспорт-книжечка", "Ukrainian booklet passport"},
	"doctype.other":         {"Другой документ", "Інший документ", "Other document"},
	"need.required":         {"обязательный", "обов'язковий", "required"},
	"need.optional":         {"по желанию", "за бажанням", "optional"},
	"need.if_available":     {"при наличии", "за наявності", "if available"},
	"form.original":         {"оригинал", "оригінал", "original"},
	"form.copy":             {"копия", "копія", "copy"},
	"state.draft":           {"черновик", "чернетка", "draft"},
	"state.submitted":       {"передано", "передано", "submitted"},
	"state.accepted":        {"принято", "прийнято", "accepted"},
	"state.in_work":         {"в работе", "в роботі", "in work"},
	"state.more_docs":       {"нужны документы", "потрібні документи", "more documents"},
	"state.ready":           {"готово", "готово", "ready"},
	"state.issued":          {"выдано", "видано", "issued"},
	"state.refused":         {"отказ", "відмова", "refused"},
	"state.withdrawn":       {"отозвано", "відкликано", "withdrawn"},
	"state.unclaimed":       {"не востребовано", "не отримано", "unclaimed"},
	"state.returned":        {"возвращено в ведомство", "повернуто до відомства", "returned to the department"},
	"state.all":             {"все", "усі", "all"},
	"action.hand_off":       {"передать в ведомство", "передати до відомства", "hand off"},
	"action.accept":         {"принять", "прийняти", "accept"},
	"action.start_work":     {"взять в работу", "взяти в роботу", "start work on"},
	"action.request_docs":   {"запросить документы", "запросити документи", "request documents for"},
	"action.make_ready":     {"подготовить результат", "підготувати результат", "make ready"},
	"action.refuse":         {"отказать", "відмовити", "refuse"},
	"action.issue":          {"выдать результат", "видати результат", "issue the result of"},
	"action.withdraw":       {"отозвать", "відкликати", "withdraw"},
	"action.expire":         {"закрыть по сроку хранения", "закрити за строком зберігання", "expire"},
	"action.return":         {"вернуть в ведомство", "повернути до відомства", "return to the department"},
	"action.extend_collect": {"продлить хранение", "продовжити зберігання", "keep longer the result of"},
	"action.add_document":   {"добавить документ", "додати документ", "add a document to"},
}

var errorMessages = map[string][3]string{
	"err.other":               {"Ошибка: %s", "Помилка: %s", "Error: %s"},
	"err.case_number.typo":    {"Опечатка в номере дела: контрольная цифра не сходится. Сверьте с распиской", "Помилка в номері справи: контрольна цифра не збігається. Звірте з розпискою", "A typo in the case number: the check digit does not match. Compare it with the receipt"},
	"err.case_not_found":      {"Дела с номером %s на этом рабочем месте нет", "Справи з номером %s на цьому робочому місці немає", "No case %s on this workstation"},
	"err.missing_docs":        {"Не хватает обязательных документов: %d. Укажите причину, чтобы передать дело", "Бракує обов'язкових документів: %d. Вкажіть причину, щоб передати справу", "Required documents missing: %d. Give the reason to hand the case off"},
	"err.returned":            {"Выдать нельзя: %s возвращено в ведомство, не получено в срок%s. Заявитель получит результат в ведомстве.", "Видати не можна: %s повернуто до відомства, не отримано вчасно%s. Заявник отримає результат у відомстві.", "Not issued here: returned to the department on %s, not collected in time%s. The visitor collects it there."},
	"err.returned.why":        {" (причина: %s)", " (причина: %s)", " (reason: %s)"},
	"err.transition":          {"Нельзя %s: дело в состоянии «%s»", "Не можна %s: справа у стані «%s»", "Cannot %s a case that is %s"},
	"err.on_break":            {"Окно на перерыве: вернитесь к работе (b), чтобы вызвать следующего", "Вікно на перерві: поверніться до роботи (b), щоб викликати наступного", "The window is on a break: come back to work (b) to call the next visitor"},
	"err.ticket_at_window":    {"У окна ещё заявитель: завершите талон (обслужен, неявка или отложить)", "Біля вікна ще заявник: завершіть талон (обслужено, неявка або відкласти)", "A visitor is still at the window: finish the ticket (served, no-show or postpone)"},
	"err.queue_empty":         {"Очередь пуста: никто не ждёт услуг этого окна", "Черга порожня: ніхто не чекає послуг цього вікна", "Nobody waits for a service this window can serve"},
	"err.bad_credentials":     {"Неверный логин или пароль", "Неправильний логін або пароль", "Wrong login or password"},
	"err.unknown_offline":     {"Связи с центром нет, а этот оператор ещё не входил на этом рабочем месте. Добавьте его: okno tui --add-operator ЛОГИН --password-stdin", "Зв'язку з центром немає, а цей оператор ще не входив на цьому робочому місці. Додайте його: okno tui --add-operator ЛОГІН --password-stdin", "The central is unreachable and this operator never signed in here. Add them: okno tui --add-operator LOGIN --password-stdin"},
	"err.not_initialised":     {"У рабочего места нет офиса и окна: запустите с --office КОД --window N", "Робоче місце не має офісу й вікна: запустіть з --office КОД --window N", "This workstation has no office and window: start it with --office CODE --window N"},
	"err.not_found":           {"Не найдено", "Не знайдено", "Not found"},
	"err.timeout":             {"Слишком долго нет ответа; попробуйте ещё раз", "Надто довго немає відповіді; спробуйте ще раз", "No answer in time; try again"},
	"err.canceled":            {"Прервано", "Перервано", "Cancelled"},
	"err.no_window_equipment": {"Для услуги нужно оборудование (%s), которого у этого окна нет", "Для послуги потрібне обладнання (%s), якого це вікно не має", "The service needs equipment (%s) this window does not have"},
	"err.scan_unknown":        {"«%s» — не код документа этой услуги, не номер дела и не файл", "«%s» — не код документа цієї послуги, не номер справи і не файл", "%q is not a document code of this service, a case number or a file"},
	"err.file_type":           {"Файл %s — не PDF и не JPEG", "Файл %s — не PDF і не JPEG", "File %s is neither a PDF nor a JPEG"},
	"err.file_big":            {"Файл %s больше %d МБ", "Файл %s більший за %d МБ", "File %s is larger than %d MB"},
	"err.file_dir":            {"%s — это папка, а не файл", "%s — це тека, а не файл", "%s is a folder, not a file"},
	"err.ticket_busy":         {"Талон %s ещё у окна: завершите его (обслужен, неявка или отложить)", "Талон %s ще біля вікна: завершіть його (обслуговано, неявка або відкласти)", "Ticket %s is still at this window: finish it first (served, no-show or postpone)"},
}
