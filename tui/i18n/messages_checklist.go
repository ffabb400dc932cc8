package i18n

var checklistMessages = map[string][3]string{}
