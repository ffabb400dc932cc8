package i18n

var serviceMessages = map[string][3]string{}
