package i18n

// Field names and what is wrong with them (domain.InvalidError's Field and
// Problem), with narrower messages for the identifiers a clerk types.
var fieldMessages = map[string][3]string{
	"field.full_name":   {"ФИО", "ПІБ", "Full name"},
	"field.birth_date":  {"Дата рождения", "Дата народження", "Birth date"},
	"field.doc_type":    {"Документ", "Документ", "Document"},
	"field.doc_number":  {"Номер документа", "Номер документа", "Document number"},
	"field.snils":       {"СНИЛС", "СНІЛС (РФ)", "SNILS"},
	"field.inn":         {"ИНН", "ІПН (РФ)", "INN"},
	"field.rnokpp":      {"РНОКПП (Украина)", "РНОКПП", "RNOKPP"},
	"field.phone":       {"Телефон", "Телефон", "Phone"},
	"field.email":       {"Эл. почта", "Ел. пошта", "E-mail"},
	"field.case_number": {"Номер дела", "Номер справи", "Case number"},
	"field.service":     {"Услуга", "Послуга", "Service"},
	"field.category":    {"Льготная категория", "Пільгова категорія", "Privileged category"},
	"field.proof":       {"Документ о льготе", "Документ про пільгу", "Proof document"},
	"field.window":      {"Окно", "Вікно", "Window"},
	"field.office":      {"Офис", "Офіс", "Office"},
	"field.doc":         {"Документ", "Документ", "Document"},
	"field.date":        {"Дата", "Дата", "Date"},
	"field.basis":       {"Основание", "Підстава", "Basis"},

	"problem.empty":    {"не заполнено", "не заповнено", "missing"},
	"problem.length":   {"неверная длина", "неправильна довжина", "wrong length"},
	"problem.chars":    {"недопустимые символы", "неприпустимі символи", "characters that may not stand there"},
	"problem.check":    {"контрольная цифра не сходится — опечатка?", "контрольна цифра не збігається — помилка?", "the check digit does not match: a typo?"},
	"problem.same":     {"одинаковые цифры — не настоящий номер", "однакові цифри — не справжній номер", "all digits the same: not a real number"},
	"problem.format":   {"неверный формат", "неправильний формат", "wrong format"},
	"problem.range":    {"вне допустимых значений", "поза допустимими значеннями", "out of range"},
	"problem.unknown":  {"неизвестно", "невідомо", "unknown"},
	"problem.conflict": {"противоречит уже записанному", "суперечить уже записаному", "contradicts what is recorded"},

	"invalid.full_name.empty":  {"Введите ФИО", "Введіть ПІБ", "Type the full name"},
	"invalid.full_name.chars":  {"Только буквы, пробел, дефис и апостроф; без цифр и смеси раскладок", "Лише літери, пробіл, дефіс і апостроф; без цифр і суміші розкладок", "Letters, spaces, hyphens, apostrophes only; no digits or mixed layouts"},
	"invalid.full_name.length": {"ФИО — от 2 до 200 знаков", "ПІБ — від 2 до 200 знаків", "A name is 2 to 200 characters"},
	"invalid.full_name.format": {"Дефис и апостроф — только между буквами", "Дефіс і апостроф — лише між літерами", "Hyphens and apostrophes stand between letters"},

	"invalid.snils.chars":  {"СНИЛС: только цифры, пробелы и дефисы", "СНІЛС: лише цифри, пробіли й дефіси", "SNILS: digits, spaces and dashes only"},
	"invalid.snils.length": {"СНИЛС — 11 цифр: 112-233-445 95", "СНІЛС — 11 цифр: 112-233-445 95", "SNILS has 11 digits: 112-233-445 95"},
	"invalid.snils.same":   {"СНИЛС из одинаковых цифр — не настоящий", "СНІЛС з однакових цифр — не справжній", "SNILS of equal digits is a placeholder"},
	"invalid.snils.check":  {"СНИЛС: контрольное число не сходится — опечатка?", "СНІЛС: контрольне число не збігається — помилка?", "SNILS: the check number does not match — a typo?"},

	"invalid.inn.chars":  {"ИНН: только цифры", "ІПН: лише цифри", "INN: digits only"},
	"invalid.inn.length": {"ИНН — 12 цифр (10 у организаций)", "ІПН — 12 цифр (10 в організацій)", "INN has 12 digits (10 for organisations)"},
	"invalid.inn.same":   {"ИНН из нулей — не настоящий", "ІПН з нулів — не справжній", "INN of zeros is a placeholder"},
	"invalid.inn.check":  {"ИНН: контрольная цифра не сходится — опечатка?", "ІПН: контрольна цифра не збігається — помилка?", "INN: the check digit does not match — a typo?"},

	"invalid.rnokpp.chars":  {"РНОКПП: только цифры", "РНОКПП: лише цифри", "RNOKPP: digits only"},
	"invalid.rnokpp.length": {"РНОКПП — 10 цифр", "РНОКПП — 10 цифр", "RNOKPP has 10 digits"},
	"invalid.rnokpp.same":   {"РНОКПП из одинаковых цифр — не настоящий", "РНОКПП з однакових цифр — не справжній", "RNOKPP of equal digits is not real"},
	"invalid.rnokpp.check":  {"РНОКПП: контрольная цифра не сходится — опечатка?", "РНОКПП: контрольна цифра не збігається — помилка?", "RNOKPP: the check digit does not match — a typo?"},

	"invalid.doc_number.empty":              {"Введите номер документа", "Введіть номер документа", "Type the document number"},
	"invalid.doc_number.passport_ru.chars":  {"Паспорт: только цифры", "Паспорт: лише цифри", "Passport: digits only"},
	"invalid.doc_number.passport_ru.length": {"Паспорт РФ: серия 4 цифры и номер 6 цифр", "Паспорт РФ: серія 4 цифри й номер 6 цифр", "Russian passport: 4-digit series, 6-digit number"},
	"invalid.doc_number.passport_ru.same":   {"Такие серия или номер не выдаются", "Такі серія або номер не видаються", "No passport has this series or number"},
	"invalid.doc_number.id_card_ua.chars":   {"ID-карта: только цифры", "ID-картка: лише цифри", "ID card: digits only"},
	"invalid.doc_number.id_card_ua.length":  {"ID-карта — 9 цифр", "ID-картка — 9 цифр", "An ID card number has 9 digits"},
	"invalid.doc_number.id_card_ua.same":    {"Такой номер не выдаётся", "Такий номер не видається", "No card has this number"},
	"invalid.doc_number.passport_ua.chars":  {"Серия — кириллицей (КВ123456): смените раскладку", "Серія — кирилицею (КВ123456): змініть розкладку", "The series is Cyrillic (КВ123456): switch the layout"},
	"invalid.doc_number.passport_ua.format": {"2 буквы и 6 цифр: КВ123456", "2 літери і 6 цифр: КВ123456", "2 letters and 6 digits: КВ123456"},
	"invalid.doc_number.passport_ua.same":   {"Такой номер не выдаётся", "Такий номер не видається", "No passport has this number"},
	"invalid.doc_number.other.length":       {"Не больше 40 знаков", "Не більше 40 знаків", "At most 40 characters"},

	"invalid.phone.chars":  {"Телефон: цифры, +, пробелы, скобки", "Телефон: цифри, +, пробіли, дужки", "Phone: digits, +, spaces, brackets"},
	"invalid.phone.format": {"С кодом страны: +7 912 345-67-89", "З кодом країни: +380 67 123 4567", "With the country code: +7 912 345-67-89"},
	"invalid.phone.length": {"Неверное число цифр в номере", "Неправильна кількість цифр у номері", "Wrong number of digits"},

	"invalid.email.format": {"Адрес вида name@example.ru", "Адреса виду name@example.ua", "An address like name@example.com"},
	"invalid.email.chars":  {"Недопустимый символ в адресе", "Неприпустимий символ в адресі", "A character that may not stand in an address"},

	"invalid.birth_date.format": {"Дата: ДД.ММ.ГГГГ", "Дата: ДД.ММ.РРРР", "Date: DD.MM.YYYY or YYYY-MM-DD"},
	"invalid.birth_date.range":  {"Такой даты нет (или раньше 1900 г.)", "Такої дати немає (або раніше 1900 р.)", "No such date (or before 1900)"},
	"invalid.birth_date.future": {"Дата рождения в будущем", "Дата народження в майбутньому", "A birth date in the future"},

	"invalid.case_number.format": {"Номер дела: ОФИС-ОКНО-ДАТА-НОМЕР-К, напр. IRK-03-261122-0007-8", "Номер справи: ОФІС-ВІКНО-ДАТА-НОМЕР-К, напр. IRK-03-261122-0007-8", "A case number: OFFICE-WINDOW-DATE-SEQ-CHECK, e.g. IRK-03-261122-0007-8"},
	"invalid.case_number.check":  {"Опечатка в номере дела: контрольная цифра не сходится", "Помилка в номері справи: контрольна цифра не збігається", "A typo in the case number: the check digit does not match"},
	"invalid.case_number.range":  {"Такого номера дела быть не может", "Такого номера справи бути не може", "No case can have this number"},
	"invalid.proof.empty":        {"Для льготного талона нужен документ о льготе", "Для пільгового талона потрібен документ про пільгу", "A privileged ticket needs its proof document"},
	"invalid.doc.unknown":        {"Этого документа нет в перечне услуги", "Цього документа немає в переліку послуги", "This document is not in the service's checklist"},
}
