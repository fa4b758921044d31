package pgstore

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/trustid/trustid/store"
	"github.com/trustid/trustid/verify/review"
)

var update = flag.Bool("update", false, "rewrite the known-answer vectors in testdata/")

// sealVector is a known answer of the sealed review case format: fixed key, nonce and
// plaintext.
type sealVector struct {
	KeyID     uint32 `json:"key_id"`
	Secret    string `json:"secret_hex"`
	Nonce     string `json:"nonce_hex"`
	CaseID    string `json:"case_id"`
	Plaintext string `json:"plaintext"`
	Sealed    string `json:"sealed_hex"`
}

// TestSealVector checks the documented format both ways: the fixed bytes open to the
// plaintext, and sealing with the fixed nonce gives the same bytes. A change of the key
// derivation, the header or the additional data fails it.
func TestSealVector(t *testing.T) {
	path := filepath.Join("testdata", "review-case-seal.json")
	v := sealVector{KeyID: 0x01020304, Secret: hex.EncodeToString(bytes.Repeat([]byte{0x42}, 32)),
		Nonce: hex.EncodeToString(bytes.Repeat([]byte{0x24}, 24)), CaseID: "rv-0123456789abcdef",
		Plaintext: `{"id":"rv-0123456789abcdef","application":{"claimed":{"name":"test"}}}`}
	secret, _ := hex.DecodeString(v.Secret)
	nonce, _ := hex.DecodeString(v.Nonce)
	s, err := newSealer([]store.Key{{ID: v.KeyID, Secret: secret}}, domainReviewCase)
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		v.Sealed = hex.EncodeToString(s.sealWith(v.KeyID, nonce, v.CaseID, []byte(v.Plaintext)))
		b, _ := json.MarshalIndent(v, "", "  ")
		if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var want sealVector
	if err := json.Unmarshal(b, &want); err != nil {
		t.Fatal(err)
	}
	sealed, err := hex.DecodeString(want.Sealed)
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.open(want.CaseID, sealed)
	if err != nil {
		t.Fatalf("open(vector) error = %v", err)
	}
	if diff := cmp.Diff(want.Plaintext, string(got)); diff != "" {
		t.Errorf("open(vector) mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want.Sealed, hex.EncodeToString(s.sealWith(v.KeyID, nonce, v.CaseID, []byte(v.Plaintext)))); diff != "" {
		t.Errorf("seal(vector inputs) mismatch (-want +got):\n%s", diff)
	}
	if _, err := s.open("rv-other", sealed); !errors.Is(err, ErrNotAuthentic) {
		t.Errorf("open under another case ID error = %v, want ErrNotAuthentic", err)
	}
	for i := range sealed {
		bad := bytes.Clone(sealed)
		bad[i] ^= 1
		if _, err := s.open(want.CaseID, bad); !errors.Is(err, ErrNotAuthentic) {
			t.Fatalf("open with byte %d flipped error = %v, want ErrNotAuthentic", i, err)
		}
	}
}

// TestReviewRowsAttack: a case row copied over another case's row, or edited, does not
// open; a case sealed under a key that was rotated out no longer opens, while one sealed
// under a key still configured does.
func TestReviewRowsAttack(t *testing.T) {
	s, pool := newStore(t)
	ctx := context.Background()
	rs, err := s.ReviewStore()
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)
	for _, id := range []string{"rv-a", "rv-b", "rv-c"} {
		c := &review.Case{ID: id, Application: reviewApplication("acct-" + id), State: review.StateInReview, Created: now, Updated: now}
		if _, err := rs.Put(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := pool.Exec(ctx, `UPDATE trustid_review_cases SET sealed = (SELECT sealed FROM trustid_review_cases WHERE id = 'rv-a') WHERE id = 'rv-b'`); err != nil {
		t.Fatal(err)
	}
	if _, err := rs.Get(ctx, "rv-b"); !errors.Is(err, ErrNotAuthentic) {
		t.Errorf("Get(case with another case's sealed row) error = %v, want ErrNotAuthentic", err)
	}
	if _, err := pool.Exec(ctx, `UPDATE trustid_review_cases SET sealed = set_byte(sealed, 40, get_byte(sealed, 40) # 1) WHERE id = 'rv-c'`); err != nil {
		t.Fatal(err)
	}
	if _, err := rs.Get(ctx, "rv-c"); !errors.Is(err, ErrNotAuthentic) {
		t.Errorf("Get(edited row) error = %v, want ErrNotAuthentic", err)
	}
	if _, err := rs.List(ctx, review.Query{}); !errors.Is(err, ErrNotAuthentic) {
		t.Errorf("List over edited rows error = %v, want ErrNotAuthentic", err)
	}

	// Rotation: a new first key, the old one kept, opens rv-a; without the old key it
	// does not.
	newKey := store.Key{ID: 8, Secret: bytes.Repeat([]byte{8}, 32)}
	rotated, err := New(Config{Pool: pool, IndexKey: testIndexKey, Keys: []store.Key{newKey, testKeys[0]}})
	if err != nil {
		t.Fatal(err)
	}
	rr, _ := rotated.ReviewStore()
	if _, err := rr.Get(ctx, "rv-a"); err != nil {
		t.Errorf("Get under rotated keys (old kept) error = %v", err)
	}
	only, err := New(Config{Pool: pool, IndexKey: testIndexKey, Keys: []store.Key{newKey}})
	if err != nil {
		t.Fatal(err)
	}
	or, _ := only.ReviewStore()
	if _, err := or.Get(ctx, "rv-a"); !errors.Is(err, ErrNotAuthentic) {
		t.Errorf("Get with the sealing key gone error = %v, want ErrNotAuthentic", err)
	}
}

// TestMigrate: Migrate records every embedded version once, runs again without change,
// runs from several pools at once without error, and refuses a database migrated by a
// newer pgstore.
func TestMigrate(t *testing.T) {
	schema := newSchema(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	for range 4 {
		pool := newPool(t, schema)
		wg.Go(func() {
			if err := Migrate(ctx, pool); err != nil {
				t.Errorf("concurrent Migrate error = %v", err)
			}
		})
	}
	wg.Wait()
	pool := newPool(t, schema)
	if err := Migrate(ctx, pool); err != nil {
		t.Fatalf("Migrate again error = %v", err)
	}
	ms, err := migrationList()
	if err != nil {
		t.Fatal(err)
	}
	var want []int32
	for _, m := range ms {
		want = append(want, int32(m.version))
	}
	rows, _ := pool.Query(ctx, `SELECT version FROM trustid_schema_migrations ORDER BY version`)
	var got []int32
	for rows.Next() {
		var v int32
		_ = rows.Scan(&v)
		got = append(got, v)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("recorded migrations mismatch (-want +got):\n%s", diff)
	}
	if _, err := pool.Exec(ctx, `INSERT INTO trustid_schema_migrations (version, name) VALUES (9999, 'future')`); err != nil {
		t.Fatal(err)
	}
	if err := Migrate(ctx, pool); !errors.Is(err, errNewerSchema) {
		t.Errorf("Migrate over a newer schema error = %v, want errNewerSchema", err)
	}
}

// TestNotAuthenticIsNotCorrupt: a sealed record that fails authentication (tampered,
// under another ID or domain) is ErrNotAuthentic and never ErrCorrupt; an authentic
// record that does not decode is ErrCorrupt and never ErrNotAuthentic, for each kind of
// record. It needs no server.
func TestNotAuthenticIsNotCorrupt(t *testing.T) {
	cases, err := newSealer(testKeys, domainReviewCase)
	if err != nil {
		t.Fatal(err)
	}
	rs := &ReviewStore{seal: cases}
	good, err := json.Marshal(review.Case{ID: "rv-a", Application: reviewApplication("acct-a"), State: review.StateInReview})
	if err != nil {
		t.Fatal(err)
	}
	sealed := cases.seal("rv-a", good)
	if _, err := rs.open("rv-a", 1, sealed); err != nil {
		t.Fatalf("open(authentic case) error = %v", err)
	}
	tampered := bytes.Clone(sealed)
	tampered[len(tampered)-1] ^= 1
	for name, err := range map[string]error{
		"tampered case":         func() error { _, err := rs.open("rv-a", 1, tampered); return err }(),
		"case under another ID": func() error { _, err := rs.open("rv-b", 1, sealed); return err }(),
		"not a sealed record":   func() error { _, err := rs.open("rv-a", 1, []byte("{}")); return err }(),
	} {
		if !errors.Is(err, ErrNotAuthentic) || errors.Is(err, ErrCorrupt) {
			t.Errorf("%s: error = %v, want ErrNotAuthentic and not ErrCorrupt", name, err)
		}
	}
	for name, err := range map[string]error{
		"case that is not JSON":     func() error { _, err := rs.open("rv-a", 1, cases.seal("rv-a", []byte("not json"))); return err }(),
		"case naming another ID":    func() error { _, err := rs.open("rv-b", 1, cases.seal("rv-b", good)); return err }(),
		"liveness consent not JSON": func() error { _, err := decodeLivenessConsent("c-1", []byte("not json")); return err }(),
		"relying consent not JSON":  func() error { _, err := decodeRelyingConsent("c-1", []byte("not json")); return err }(),
	} {
		if !errors.Is(err, ErrCorrupt) || errors.Is(err, ErrNotAuthentic) {
			t.Errorf("%s: error = %v, want ErrCorrupt and not ErrNotAuthentic", name, err)
		}
	}
}
