package i18n

var casesMessages = map[string][3]string{}
