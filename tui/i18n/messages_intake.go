package i18n

var intakeMessages = map[string][3]string{
	"intake.title":              {"Заявитель: поиск", "Заявник: пошук", "Visitor: search"},
	"intake.new_title":          {"Новый заявитель", "Новий заявник", "New visitor"},
	"intake.search":             {"Найти:", "Знайти:", "Find:"},
	"intake.search.ph":          {"ФИО, номер документа или телефон", "ПІБ, номер документа або телефон", "name, document number or phone"},
	"intake.start_typing":       {"Начните вводить фамилию, номер документа или телефон. ctrl+n — новый заявитель", "Почніть вводити прізвище, номер документа або телефон. ctrl+n — новий заявник", "Start typing a surname, a document number or a phone. ctrl+n registers a new visitor"},
	"intake.nobody":             {"Никого не нашлось. ctrl+n — зарегистрировать нового заявителя", "Нікого не знайдено. ctrl+n — зареєструвати нового заявника", "Nobody found. ctrl+n registers a new visitor"},
	"intake.rnokpp_birth":       {"РНОКПП не сходится с датой рождения", "РНОКПП не відповідає даті народження", "The RNOKPP does not match the birth date"},
	"intake.required":           {"обязательно", "обов'язково", "required"},
	"intake.ph.name":            {"Фамилия Имя Отчество", "Прізвище Ім'я По батькові", "Surname First names"},
	"intake.ph.birth":           {"ДД.ММ.ГГГГ", "ДД.ММ.РРРР", "DD.MM.YYYY"},
	"intake.ph.inn":             {"12 цифр", "12 цифр", "12 digits"},
	"intake.ph.rnokpp":          {"10 цифр", "10 цифр", "10 digits"},
	"intake.form_hint":          {"Проверка идёт при вводе. enter — следующее поле, ctrl+s — сохранить, esc — к поиску", "Перевірка йде під час введення. enter — наступне поле, ctrl+s — зберегти, esc — до пошуку", "Checked as you type. enter: next field, ctrl+s: save, esc: back to the search"},
	"intake.dup":                {"Заявитель с этим документом уже зарегистрирован: %s, %s.", "Заявника з цим документом уже зареєстровано: %s, %s.", "A visitor with this document is registered already: %s, %s."},
	"intake.dup_keys":           {"enter — выбрать его; ctrl+s — всё равно зарегистрировать нового; esc — вернуться к форме", "enter — вибрати його; ctrl+s — все одно зареєструвати нового; esc — повернутися до форми", "enter: choose them; ctrl+s: register a new one anyway; esc: back to the form"},
	"doctype.short.passport_ru": {"пасп. РФ", "пасп. РФ", "RU passport"},
	"doctype.short.id_card_ua":  {"ID UA", "ID-картка", "UA ID card"},
	"doctype.short.passport_ua": {"пасп. UA", "паспорт", "UA passport"},
	"doctype.short.other":       {"док.", "док.", "doc"},
}
