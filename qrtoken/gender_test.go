package qrtoken_test

import (
	"crypto/sha256"
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/trustid/trustid/qrtoken"
	"github.com/trustid/trustid/store"
	"github.com/trustid/trustid/verify"
	"github.com/trustid/trustid/verify/idcard"
)

var genderPurpose = qrtoken.Purpose{ID: 20, Name: "gender", Claims: qrtoken.ClaimName | qrtoken.ClaimGender}

func genderEnv(t *testing.T, now time.Time) (*qrtoken.Issuer, *qrtoken.Reader) {
	t.Helper()
	sum := sha256.Sum256([]byte("qrtoken test secret k1")) // the internal tests' testSecret("k1")
	secret := sum[:]
	clock := func() time.Time { return now }
	is, err := qrtoken.NewIssuer(qrtoken.IssuerConfig{Key: &qrtoken.SecretKey{ID: 1, Secret: secret}, Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	r, err := qrtoken.NewReader(qrtoken.ReaderConfig{Purposes: []qrtoken.Purpose{genderPurpose},
		Keys: []qrtoken.SecretKey{{ID: 1, Secret: secret}}, Now: clock,
		ReplayGuard: store.NewMemoryReplayGuard()}) // fixed codes: not the shared default guard
	if err != nil {
		t.Fatal(err)
	}
	return is, r
}

// TestGenderRoundTrip: the library's one Gender (idcard.Gender, which verify's records
// use too) goes through a code unchanged. The old qrtoken.Gender read verify's female
// (1) as male.
func TestGenderRoundTrip(t *testing.T) {
	now := time.Date(2026, 11, 23, 8, 0, 30, 0, time.UTC)
	is, r := genderEnv(t, now)
	for _, g := range []idcard.Gender{idcard.Female, idcard.Male} {
		code, err := is.Issue(t.Context(), qrtoken.Claims{Name: "张伟", Gender: g}, genderPurpose)
		if err != nil {
			t.Fatal(err)
		}
		o, err := r.Open(t.Context(), code.Text())
		if err != nil {
			t.Fatal(err)
		}
		if o.Claims.Gender != g || o.Claims.Gender.String() != g.String() {
			t.Errorf("gender %s came back as %s", g, o.Claims.Gender)
		}
	}
	var rec verify.Record
	if err := json.Unmarshal([]byte(`{"gender":"female"}`), &rec); err != nil || rec.Gender != idcard.Female {
		t.Errorf("a registry record's female is %v (%v)", rec.Gender, err)
	}
}

// TestGenderWireUnchanged opens codes issued before qrtoken used idcard.Gender (wire byte
// 1 male, 2 female; key testSecret("k1"), 2026-11-23 08:00:30 UTC): format version 1 is
// unchanged, so they still open, with the right gender.
func TestGenderWireUnchanged(t *testing.T) {
	now := time.Date(2026, 11, 23, 8, 0, 30, 0, time.UTC)
	_, r := genderEnv(t, now)
	for _, tc := range []struct {
		text string
		want idcard.Gender
	}{
		{"772$70PY2OMV3562YJS8Q56G8/LSRCUK9.UU%KD2ZRZPRGKFX/S5LIQ1U", idcard.Female},
		{"772$70$G3/EBHUHK2WKKGFWN1D5J*4LQ546J/HE%1GIS5Q494B67N1HY1", idcard.Male},
	} {
		o, err := r.Open(t.Context(), tc.text)
		if err != nil {
			t.Fatalf("Open(%s code): %v", tc.want, err)
		}
		if diff := cmp.Diff(qrtoken.Claims{Name: "张伟", Gender: tc.want}, o.Claims); diff != "" {
			t.Errorf("Open(%s code) mismatch (-want +got):\n%s", tc.want, diff)
		}
	}
}
