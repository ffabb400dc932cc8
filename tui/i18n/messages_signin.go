package i18n

var signinMessages = map[string][3]string{
	"signin.title":      {"Вход оператора", "Вхід оператора", "Operator sign-in"},
	"signin.login":      {"Логин", "Логін", "Login"},
	"signin.login.ph":   {"логин оператора", "логін оператора", "operator's login"},
	"signin.password":   {"Пароль", "Пароль", "Password"},
	"signin.workplace":  {"Место", "Місце", "Place"},
	"signin.place":      {"%s, окно %d", "%s, вікно %d", "%s, window %d"},
	"signin.checking":   {"Проверка…", "Перевірка…", "Checking…"},
	"signin.need_login": {"Введите логин", "Введіть логін", "Type your login"},
	"signin.hint":       {"Без связи с центром вход возможен, если вы уже входили на этом рабочем месте.", "Без зв'язку з центром вхід можливий, якщо ви вже входили на цьому робочому місці.", "Without the central you can sign in if you signed in on this workstation before."},
}
