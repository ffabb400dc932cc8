package notify

import (
	"fmt"

	"github.com/okno-mfc/okno/central/store"
)

// texts are the notices' words by kind and language: a subject and a body
// naming the case number and the office, never what the case is about.
var texts = map[string]map[string][2]string{
	store.NoticeReady: {
		"ru": {"Дело %[1]s: результат готов", "Результат по делу %[1]s готов. Получить его можно здесь: %[2]s; возьмите документ, удостоверяющий личность, и расписку."},
		"uk": {"Справа %[1]s: результат готовий", "Результат у справі %[1]s готовий. Отримати його можна тут: %[2]s; візьміть документ, що посвідчує особу, і розписку."},
		"en": {"Case %[1]s: the result is ready", "The result of case %[1]s is ready. Collect it at %[2]s; bring your identity document and the receipt."},
	},
	store.NoticeDocs: {
		"ru": {"Дело %[1]s: нужны документы", "По делу %[1]s ведомство запросило документы. Обратитесь сюда: %[2]s."},
		"uk": {"Справа %[1]s: потрібні документи", "У справі %[1]s відомство запросило документи. Зверніться сюди: %[2]s."},
		"en": {"Case %[1]s: documents are needed", "The department asked for documents for case %[1]s. Please contact %[2]s."},
	},
	store.NoticeReturned: {
		"ru": {"Дело %[1]s: результат возвращён в ведомство", "Результат по делу %[1]s не был получен в срок хранения и возвращён в ведомство. Как получить его теперь, подскажут здесь: %[2]s."},
		"uk": {"Справа %[1]s: результат повернуто до відомства", "Результат у справі %[1]s не було отримано в строк зберігання, і його повернуто до відомства. Як отримати його тепер, підкажуть тут: %[2]s."},
		"en": {"Case %[1]s: the result went back to the department", "The result of case %[1]s was not collected within the storage period and has gone back to the department. Ask at %[2]s how to get it now."},
	},
	store.NoticeDeadline: {
		"ru": {"Дело %[1]s: срок продлён", "Срок по делу %[1]s продлён до %[3]s. Результат будет здесь: %[2]s."},
		"uk": {"Справа %[1]s: строк продовжено", "Строк у справі %[1]s продовжено до %[3]s. Результат буде тут: %[2]s."},
		"en": {"Case %[1]s: the deadline was extended", "The deadline of case %[1]s was extended to %[3]s. The result will be at %[2]s."},
	},
}

// Text is a notice's subject and body in lang (ru, uk or en; other
// languages get Russian); office is how the office is named (its
// profile's name, else its code).
func Text(m store.Notice, office string) (subject, body string, err error) {
	byLang, ok := texts[m.Kind]
	if !ok {
		return "", "", fmt.Errorf("no text for notices of kind %q", m.Kind)
	}
	t, ok := byLang[m.Lang]
	if !ok {
		t = byLang["ru"]
	}
	deadline := m.Deadline
	if m.Lang != "en" && len(deadline) == 10 {
		deadline = deadline[8:] + "." + deadline[5:7] + "." + deadline[:4]
	}
	if office == "" {
		office = m.Office
	}
	return fmt.Sprintf(t[0], m.CaseNumber, office), fmt.Sprintf(t[1], m.CaseNumber, office, deadline), nil
}
