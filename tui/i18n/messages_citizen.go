package i18n

// The visitor's consent to notices (issue 15): given at registration,
// withdrawn at the window.
var citizenMessages = map[string][3]string{
	"field.notices":        {"Уведомления", "Сповіщення", "Notices"},
	"notices.none":         {"нет", "ні", "none"},
	"notices.email":        {"на эл. почту, согласие дано", "на ел. пошту, згоду надано", "by e-mail, consent given"},
	"notices.sms":          {"по SMS, согласие дано", "SMS, згоду надано", "by SMS, consent given"},
	"intake.notices.email": {"для уведомлений по почте нужен адрес эл. почты", "для сповіщень поштою потрібна адреса ел. пошти", "notices by e-mail need the e-mail address"},
	"intake.notices.sms":   {"для уведомлений по SMS нужен телефон", "для SMS-сповіщень потрібен телефон", "notices by SMS need the phone number"},
	"intake.notices.":      {"согласие на уведомления не заполнено", "згоду на сповіщення не заповнено", "the consent to notices is incomplete"},
	"key.withdraw_consent": {"отозвать согласие на уведомления", "відкликати згоду на сповіщення", "withdraw the consent to notices"},
	"intake.consent_asked": {"Отозвать согласие %s на уведомления? y — да, n — нет", "Відкликати згоду %s на сповіщення? y — так, n — ні", "Withdraw %s's consent to notices? y: yes, n: no"},
	"intake.consent_gone":  {"Согласие на уведомления отозвано: %s больше не получит уведомлений", "Згоду на сповіщення відкликано: %s більше не отримає сповіщень", "Consent withdrawn: %s will get no more notices"},
	"intake.no_consent":    {"%s не давал(а) согласия на уведомления", "%s не давав(ла) згоди на сповіщення", "%s gave no consent to notices"},
	"intake.consent_mark":  {"✉ уведомления", "✉ сповіщення", "✉ notices"},
}
