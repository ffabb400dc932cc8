package httpapi_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"testing"

	"github.com/okno-mfc/okno/central/centraltest"
	"github.com/okno-mfc/okno/central/store"
	"github.com/okno-mfc/okno/client"
)

func TestBlobs(t *testing.T) {
	forEachStore(t, func(t *testing.T, opt centraltest.Option) {
		srv := centraltest.Start(t, opt)
		ctx := context.Background()
		c := srv.Client(t, srv.Enrol(t, "IRK", 3).Token)
		data := []byte("%PDF-1.7 a scanned application")
		sum := sha256.Sum256(data)
		sha := hex.EncodeToString(sum[:])

		if ok, err := c.BlobExists(ctx, sha); ok || err != nil {
			t.Fatalf("before upload: %v %v", ok, err)
		}
		if created, err := c.PutBlob(ctx, sha, data); !created || err != nil {
			t.Fatalf("upload: %v %v", created, err)
		}
		if created, err := c.PutBlob(ctx, sha, data); created || err != nil {
			t.Fatalf("re-upload: %v %v", created, err)
		}
		if ok, err := c.BlobExists(ctx, sha); !ok || err != nil {
			t.Fatalf("after upload: %v %v", ok, err)
		}
		got, err := c.GetBlob(ctx, sha)
		if err != nil || !bytes.Equal(got, data) {
			t.Fatalf("download: %q %v", got, err)
		}
		other := sha256.Sum256([]byte("something else"))
		_, err = c.PutBlob(ctx, hex.EncodeToString(other[:]), data)
		if !errors.Is(err, client.ErrRejected) {
			t.Fatalf("hash mismatch: %v", err)
		}
		if st, _, _ := call(t, srv, http.MethodPut, "/v1/blobs/NOT-A-HASH", c.Token(), data); st != http.StatusBadRequest {
			t.Fatalf("bad hash in the path: %d", st)
		}
		big := make([]byte, store.MaxBlob+1)
		bs := sha256.Sum256(big)
		if st, _, _ := call(t, srv, http.MethodPut, "/v1/blobs/"+hex.EncodeToString(bs[:]), c.Token(), big); st != http.StatusRequestEntityTooLarge {
			t.Fatalf("too large: %d", st)
		}
		if n := srv.Count(t, "SELECT COUNT(*) FROM blobs"); n != 1 {
			t.Fatalf("%d blobs stored, want 1", n)
		}
	})
}
