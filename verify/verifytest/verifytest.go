// Package verifytest is a conformance suite for hosts' implementations of
// [verify.Registry]. A host adapter (a gateway to the national platform, a database)
// proves that it honours the Registry contract by running:
//
//	func TestRegistry(t *testing.T) {
//		verifytest.Registry(t, func(t *testing.T, records []verify.Record) verify.Registry {
//			return newTestAdapter(t, records) // loads records into a fresh test backend
//		})
//	}
//
// The suite checks that every loaded record is found with every field intact, that an
// unknown number or another kind gives an error matching [verify.ErrNotFound], that a
// cancelled context is a system failure (not "not found"), that returned records are the
// caller's copies, and that concurrent lookups are safe (run it with -race).
package verifytest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/trustid/trustid/verify"
	"github.com/trustid/trustid/verify/idcard"
)

// Records returns the synthetic records the suite loads: one per status and credential
// kind, with minority, rare-character and Latin names. Every person is invented; the
// resident ID numbers have valid GB 11643 check characters (computed with
// verify/idcard.CheckChar).
func Records() []verify.Record {
	d := func(y, m, day int) verify.Date { return verify.Date{Year: y, Month: monthOf(m), Day: day} }
	return []verify.Record{
		{Kind: verify.KindIDCard, Number: "110105199003071239", Name: "张伟", Gender: idcard.Male,
			BirthDate: d(1990, 3, 7), Ethnicity: "汉", Address: "北京市朝阳区建国路88号院3号楼2单元501室",
			Authority: "北京市公安局朝阳分局", ValidFrom: d(2015, 3, 7), ValidUntil: d(2035, 3, 7),
			Status: verify.StatusValid, PhotoRef: "photo/1"},
		{Kind: verify.KindIDCard, Number: "650102199506120027", Name: "阿依古丽·买买提", Gender: idcard.Female,
			BirthDate: d(1995, 6, 12), Ethnicity: "维吾尔", ValidFrom: d(2016, 6, 12), ValidUntil: d(2036, 6, 12),
			Status: verify.StatusValid, PhotoRef: "photo/2"},
		{Kind: verify.KindIDCard, Number: "44030519881120045X", Name: "王𠮷", Gender: idcard.Male,
			BirthDate: d(1988, 11, 20), ValidFrom: d(2018, 11, 20), ValidUntil: d(2038, 11, 20),
			Status: verify.StatusValid},
		{Kind: verify.KindIDCard, Number: "310104195001010224", Name: "李秀英", Gender: idcard.Female,
			BirthDate: d(1950, 1, 1), ValidFrom: d(2010, 1, 1), LongTerm: true, Status: verify.StatusValid},
		{Kind: verify.KindIDCard, Number: "510107198510100113", Name: "赵磊", Gender: idcard.Male,
			BirthDate: d(1985, 10, 10), ValidFrom: d(2012, 10, 10), ValidUntil: d(2032, 10, 10),
			Status: verify.StatusRevoked},
		{Kind: verify.KindIDCard, Number: "330106199202020087", Name: "陈静", Gender: idcard.Female,
			BirthDate: d(1992, 2, 2), ValidFrom: d(2019, 2, 2), ValidUntil: d(2039, 2, 2),
			Status: verify.StatusReportedLost},
		{Kind: verify.KindIDCard, Number: "110105198005150315", Name: "刘洋", Gender: idcard.Male,
			BirthDate: d(1980, 5, 15), ValidFrom: d(2005, 5, 15), ValidUntil: d(2025, 5, 15),
			Status: verify.StatusExpired},
		{Kind: verify.KindPassport, Number: "E12345678", Name: "吕小红", LatinName: "LYU XIAOHONG",
			Gender: idcard.Female, BirthDate: d(1993, 7, 1), Nationality: "CHN",
			ValidFrom: d(2021, 7, 1), ValidUntil: d(2031, 6, 30), Status: verify.StatusValid, PhotoRef: "photo/3"},
	}
}

// Registry runs the conformance suite. newRegistry must return a registry holding
// exactly the given records (and nothing else); it is called once per subtest.
func Registry(t *testing.T, newRegistry func(t *testing.T, records []verify.Record) verify.Registry) {
	t.Helper()
	recs := Records()

	t.Run("FindsEveryRecord", func(t *testing.T) {
		reg := newRegistry(t, Records())
		for _, want := range recs {
			got, err := reg.Lookup(t.Context(), want.Kind, want.Number)
			if err != nil {
				t.Errorf("Lookup(%v, %v): unexpected error: %v", want.Kind, want, err)
				continue
			}
			if got == nil {
				t.Errorf("Lookup(%v, %v) = nil record and nil error", want.Kind, want)
				continue
			}
			if diff := cmp.Diff(want, *got); diff != "" {
				t.Errorf("Lookup(%v, %v) mismatch (-want +got):\n%s", want.Kind, want, diff)
			}
		}
	})

	t.Run("NotFound", func(t *testing.T) {
		reg := newRegistry(t, Records())
		cases := []struct {
			name   string
			kind   verify.CredentialKind
			number string
		}{
			{"unknown number", verify.KindIDCard, "110105199003071000"},
			{"known number under another kind", verify.KindPassport, recs[0].Number},
			{"known passport under the ID card kind", verify.KindIDCard, "E12345678"},
			{"prefix of a known number", verify.KindIDCard, recs[0].Number[:17]},
		}
		for _, c := range cases {
			got, err := reg.Lookup(t.Context(), c.kind, c.number)
			if !errors.Is(err, verify.ErrNotFound) {
				t.Errorf("%s: Lookup error = %v, want one matching verify.ErrNotFound", c.name, err)
			}
			if got != nil {
				t.Errorf("%s: Lookup returned a record with ErrNotFound", c.name)
			}
		}
	})

	t.Run("EmptyRegistry", func(t *testing.T) {
		reg := newRegistry(t, nil)
		if _, err := reg.Lookup(t.Context(), recs[0].Kind, recs[0].Number); !errors.Is(err, verify.ErrNotFound) {
			t.Errorf("Lookup on an empty registry: error = %v, want verify.ErrNotFound", err)
		}
	})

	t.Run("CancelledContextIsSystemFailure", func(t *testing.T) {
		reg := newRegistry(t, Records())
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		for _, number := range []string{recs[0].Number, "110105199003071000"} {
			got, err := reg.Lookup(ctx, verify.KindIDCard, number)
			if err == nil {
				t.Errorf("Lookup with a cancelled context: no error (record %v)", got)
				continue
			}
			if errors.Is(err, verify.ErrNotFound) {
				t.Errorf("Lookup with a cancelled context: error %v matches ErrNotFound; a system failure must not read as \"not found\"", err)
			}
		}
	})

	t.Run("ReturnedRecordIsACopy", func(t *testing.T) {
		reg := newRegistry(t, Records())
		got, err := reg.Lookup(t.Context(), recs[0].Kind, recs[0].Number)
		if err != nil {
			t.Fatalf("Lookup: %v", err)
		}
		got.Name, got.Status = "changed", verify.StatusRevoked
		again, err := reg.Lookup(t.Context(), recs[0].Kind, recs[0].Number)
		if err != nil {
			t.Fatalf("Lookup: %v", err)
		}
		if again.Name != recs[0].Name || again.Status != recs[0].Status {
			t.Errorf("changing a returned record changed the registry")
		}
	})

	t.Run("ErrorsHoldNoPersonalData", func(t *testing.T) {
		reg := newRegistry(t, Records())
		number := "110105199003071000"
		_, err := reg.Lookup(t.Context(), verify.KindIDCard, number)
		if err != nil && strings.Contains(err.Error(), number) {
			t.Errorf("Lookup error %q contains the document number", err)
		}
	})

	t.Run("Concurrent", func(t *testing.T) {
		reg := newRegistry(t, Records())
		var wg sync.WaitGroup
		errs := make(chan error, 8*len(recs))
		for g := range 8 {
			wg.Go(func() {
				for i, r := range recs {
					got, err := reg.Lookup(t.Context(), r.Kind, r.Number)
					if err != nil || got == nil || got.Number != r.Number {
						errs <- fmt.Errorf("goroutine %d record %d: got %v, %v", g, i, got, err)
					}
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
	})
}

func monthOf(m int) time.Month { return time.Month(m) }
