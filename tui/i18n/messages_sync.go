package i18n

var syncMessages = map[string][3]string{}
