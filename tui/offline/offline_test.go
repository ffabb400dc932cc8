package offline

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/okno-mfc/okno/domain"
	"github.com/okno-mfc/okno/internal/passwd"
	"github.com/okno-mfc/okno/link"
	"github.com/okno-mfc/okno/localdb"
)

func TestOfflineLink(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st, err := localdb.Open(ctx, filepath.Join(t.TempDir(), "okno.db"), localdb.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.Init(ctx, "IRK", 3); err != nil {
		t.Fatal(err)
	}
	op := domain.Operator{Login: "ivanova", Name: "Иванова", Role: domain.RoleClerk, Office: "IRK"}
	if err := st.RememberOperator(ctx, op, "secret12", passwd.Fast); err != nil {
		t.Fatal(err)
	}
	l := New(st)
	defer l.Close()
	if s := l.Status(); s.State != link.Offline {
		t.Errorf("state %s", s.State)
	}
	got, online, err := l.SignIn(ctx, "ivanova", "secret12", 3)
	if err != nil || online || got.Name != "Иванова" || got.Window != 3 {
		t.Errorf("sign-in: %+v online %v %v", got, online, err)
	}
	if _, _, err := l.SignIn(ctx, "petrov", "x", 3); !errors.Is(err, localdb.ErrUnknownOffline) {
		t.Errorf("an unknown operator: %v", err)
	}
	svc := st.Catalog().Services[0].Code
	if _, err := st.IssueTicket(ctx, "ivanova", svc, "", ""); err != nil {
		t.Fatal(err)
	}
	l.Nudge()
	deadline := time.After(5 * time.Second)
	for {
		select {
		case s := <-l.Updates():
			if s.Pending == 1 {
				tk, shared, err := l.CallNext(ctx, "ivanova", nil)
				if err != nil || shared || tk.Service != svc {
					t.Errorf("call next: %+v shared %v %v", tk, shared, err)
				}
				return
			}
		case <-deadline:
			t.Fatalf("no status with the outbox depth: %+v", l.Status())
		}
	}
}
