package signin

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/okno-mfc/okno/domain"
	"github.com/okno-mfc/okno/link"
	"github.com/okno-mfc/okno/tui/common"
	"github.com/okno-mfc/okno/tui/fake"
	"github.com/okno-mfc/okno/tui/i18n"
)

func init() { lipgloss.SetColorProfile(termenv.Ascii) }

func TestSignInOnlineThenOffline(t *testing.T) {
	t.Parallel()
	e := fake.New(t)
	petrov := domain.Operator{Login: "petrov", Name: "Петров Пётр", Role: domain.RoleClerk, Office: "IRK"}
	e.Link.AddAccount(petrov, "long password")
	e.Link.SetStatus(link.Status{State: link.Online})
	m := New(e.Common(i18n.RU))
	_, nav := fake.Run(t, m, fake.Keys("petrov", tea.KeyEnter, "long password", tea.KeyEnter)...)
	if !fake.Only[common.SignedIn](t, nav).Online || fake.Only[common.SignedIn](t, nav).Operator.Window != 3 {
		t.Fatalf("online sign-in sent %v (err %q)", nav, m.err)
	}
	// The central goes away: the hash kept at the online sign-in lets him in.
	e.Link.SetStatus(link.Status{State: link.Offline})
	m = New(e.Common(i18n.RU))
	_, nav = fake.Run(t, m, fake.Keys("petrov", tea.KeyEnter, "long password", tea.KeyEnter)...)
	if fake.Only[common.SignedIn](t, nav).Online {
		t.Fatalf("offline sign-in sent %v (err %q)", nav, m.err)
	}
	// Someone who never signed in here cannot, and is told what to do.
	m = New(e.Common(i18n.RU))
	_, nav = fake.Run(t, m, fake.Keys("sidorov", tea.KeyEnter, "x", tea.KeyEnter)...)
	if len(nav) != 0 || !strings.Contains(m.View(), "--add-operator") {
		t.Errorf("an unknown operator offline: %v\n%s", nav, m.View())
	}
	if m.password.Value() != "" || m.focus != 1 {
		t.Errorf("after a failure the password is kept or unfocused")
	}
}

func TestEmptyLogin(t *testing.T) {
	t.Parallel()
	e := fake.New(t)
	m := New(e.Common(i18n.EN))
	_, nav := fake.Run(t, m, fake.Keys(tea.KeyEnter, tea.KeyEnter)...)
	if len(nav) != 0 || !strings.Contains(m.err, "Type your login") {
		t.Errorf("an empty login: %v %q", nav, m.err)
	}
}
