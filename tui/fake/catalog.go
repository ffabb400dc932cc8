package fake

import "github.com/okno-mfc/okno/domain"

// Catalog is the tests' small catalogue of their own, so the goldens do not
// move when the built-in one is edited.
func Catalog() *domain.Catalog {
	n := func(ru, uk, en string) map[string]string { return map[string]string{"ru": ru, "uk": uk, "en": en} }
	return &domain.Catalog{
		Version: "test-1",
		Norms:   domain.Norms{WaitMinutes: 15, StorageDays: 30},
		Categories: []domain.Category{
			{Code: "veteran", Names: n("Ветераны войны", "Ветерани війни", "War veterans"), Basis: "закон", Proof: "Удостоверение ветерана", Rank: 1},
			{Code: "disabled", Names: n("Инвалиды I и II группы", "Особи з інвалідністю I та II групи", "Disability group I or II"), Basis: "закон", Proof: "Справка МСЭ", Rank: 2},
		},
		Services: []domain.Service{
			{Code: "replanning", Names: n("Согласование перепланировки помещения", "Погодження перепланування приміщення", "Approval of re-planning"),
				Department: "Жилищный отдел", Deadline: 45, DeadlineKind: domain.CalendarDays, Prefix: "G",
				Documents: []domain.Requirement{
					{Code: "application", Names: n("Заявление", "Заява", "Application"), Need: domain.Required, Form: domain.FormOriginal, Count: 1},
					{Code: "passport", Names: n("Паспорт", "Паспорт", "Passport"), Need: domain.Required, Form: domain.FormOriginal, Count: 1},
					{Code: "project", Names: n("Проект перепланировки", "Проєкт перепланування", "Re-planning design"), Need: domain.Required, Form: domain.FormOriginal, Count: 1},
					{Code: "floor_plan", Names: n("Технический паспорт помещения", "Технічний паспорт приміщення", "Floor plan"), Need: domain.Optional, Form: domain.FormCopy, Count: 2, Interagency: true},
					{Code: "power_of_attorney", Names: n("Доверенность", "Довіреність", "Power of attorney"), Need: domain.IfAvailable, Form: domain.FormOriginal, Count: 1},
				}},
			{Code: "advertising", Names: n("Разрешение на рекламную конструкцию", "Дозвіл на рекламну конструкцію", "Advertising structure permit"),
				Department: "Управление архитектуры", Deadline: 60, DeadlineKind: domain.CalendarDays, Fee: 500000, Currency: "RUB", Prefix: "A",
				Documents: []domain.Requirement{
					{Code: "application", Names: n("Заявление", "Заява", "Application"), Need: domain.Required, Form: domain.FormOriginal, Count: 1},
					{Code: "passport", Names: n("Паспорт", "Паспорт", "Passport"), Need: domain.Required, Form: domain.FormOriginal, Count: 1},
				}},
			{Code: "kindergarten", Names: n("Запись в детский сад", "Запис до дитячого садка", "Kindergarten place"),
				Department: "Управление образования", Deadline: 7, Prefix: "K",
				Documents: []domain.Requirement{
					{Code: "application", Names: n("Заявление", "Заява", "Application"), Need: domain.Required, Form: domain.FormOriginal, Count: 1},
					{Code: "birth_certificate", Names: n("Свидетельство о рождении", "Свідоцтво про народження", "Birth certificate"), Need: domain.Required, Form: domain.FormOriginal, Count: 1},
				}},
			{Code: "foreign_passport", Names: n("Загранпаспорт нового образца", "Закордонний паспорт", "Biometric passport"),
				Department: "МВД", Deadline: 20, Prefix: "P", Equipment: []string{"biometric"},
				Documents: []domain.Requirement{
					{Code: "passport", Names: n("Паспорт", "Паспорт", "Passport"), Need: domain.Required, Form: domain.FormOriginal, Count: 1},
				}},
		},
	}
}
