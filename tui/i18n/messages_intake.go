package i18n

var intakeMessages = map[string][3]string{}
