package i18n

var handoffMessages = map[string][3]string{}
