package qrtoken

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestBuiltInPurposesImmutable changes everything an importer can reach of a built-in
// purpose and of the results issued and opened under it (item 7 of issue 13: the profiles
// were variables, and PurposeInternetCafe.AgeOver[0] = 16 changed the key derivation for
// the whole process), then checks that issuing and opening under the built-in purpose
// are unaffected.
func TestBuiltInPurposesImmutable(t *testing.T) {
	wantCafe := Purpose{ID: 1, Name: "internet-cafe", Claims: ClaimName | ClaimIDNumber, AgeOver: []int{18}}
	rc := ReaderConfig{}
	e := newEnv(t, func(_ *IssuerConfig, c *ReaderConfig) { rc = *c })

	p := PurposeInternetCafe()
	p.AgeOver[0], p.Claims, p.Name = 16, p.Claims|ClaimAddress, "changed"
	rc.Purposes[0].AgeOver[0] = 16 // the slice given to NewReader, changed afterwards
	for _, f := range []func() Purpose{PurposeInternetCafe, PurposeStadiumGate, PurposeGovernmentCounter} {
		q := f()
		q.AgeOver = append(q.AgeOver, 99)
		q.Claims = 0
	}

	open := func() Opened {
		t.Helper()
		code, err := e.issuer.Issue(t.Context(), cafeClaims(), PurposeInternetCafe())
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(wantCafe, code.Purpose); diff != "" {
			t.Errorf("Code.Purpose mismatch (-want +got):\n%s", diff)
		}
		code.Purpose.AgeOver[0] = 21
		o, err := e.reader.Open(t.Context(), code.Text())
		if err != nil {
			t.Fatal(err)
		}
		return o
	}
	first := open()
	want := Claims{Name: "张三", IDNumber: exampleID, AgeOver: []AgeOver{{18, true}}}
	for i := range 2 {
		o := open()
		if diff := cmp.Diff(wantCafe, o.Purpose); diff != "" {
			t.Errorf("Open %d: Opened.Purpose mismatch (-want +got):\n%s", i, diff)
		}
		if diff := cmp.Diff(want, o.Claims); diff != "" {
			t.Errorf("Open %d: claims mismatch (-want +got):\n%s", i, diff)
		}
		// Change this result; the next one must not see it.
		o.Purpose.AgeOver[0], o.Claims.AgeOver[0] = 16, AgeOver{16, false}
	}
	if diff := cmp.Diff(wantCafe, first.Purpose); diff != "" {
		t.Errorf("first result changed by later ones (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(wantCafe, PurposeInternetCafe()); diff != "" {
		t.Errorf("PurposeInternetCafe() mismatch (-want +got):\n%s", diff)
	}
}
