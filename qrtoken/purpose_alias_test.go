package qrtoken

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestOpenedPurposeAppendIsolated checks that appending to one result's Purpose.AgeOver,
// which all results of a reader share, cannot change another result: the shared slice
// has no spare capacity, so every append copies. (Five ints allocate room for six.)
func TestOpenedPurposeAppendIsolated(t *testing.T) {
	p := Purpose{ID: 40, Name: "five-ages", Claims: ClaimName, AgeOver: []int{12, 14, 16, 18, 21}}
	e := newEnv(t, func(_ *IssuerConfig, rc *ReaderConfig) { rc.Purposes = []Purpose{p} })
	var results [2]Opened
	for i := range results {
		o, err := e.reader.Open(t.Context(), e.issue(t, cafeClaims(), p))
		if err != nil {
			t.Fatal(err)
		}
		results[i] = o
	}
	results[0].Purpose.AgeOver = append(results[0].Purpose.AgeOver, 60)
	results[1].Purpose.AgeOver = append(results[1].Purpose.AgeOver, 65)
	if diff := cmp.Diff([]int{12, 14, 16, 18, 21, 60}, results[0].Purpose.AgeOver); diff != "" {
		t.Errorf("first result's Purpose.AgeOver mismatch (-want +got):\n%s", diff)
	}
	o, err := e.reader.Open(t.Context(), e.issue(t, cafeClaims(), p))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(p.AgeOver, o.Purpose.AgeOver); diff != "" {
		t.Errorf("later result's Purpose.AgeOver mismatch (-want +got):\n%s", diff)
	}
}
