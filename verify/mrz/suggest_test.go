package mrz

import (
	"errors"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSuggestCorrections(t *testing.T) {
	td3, err := Parse(specimenTD3, ref)
	if err != nil {
		t.Fatal(err)
	}
	td1, err := Parse(specimenTD1, ref)
	if err != nil {
		t.Fatal(err)
	}
	// Each case wants the true reading among the candidates. A document
	// number tried both ways yields further candidates that pass the check
	// digit by chance; the counts are recorded to show why a candidate is
	// only a suggestion. In the TD1 case "DZ3145B90" (one change, 8->B)
	// passes as well as the true "D23145890" (one change, Z->2): a tie
	// nothing in the zone can break.
	for _, tc := range []struct {
		name  string
		in    string
		want  *Correction
		count int
	}{
		{"already valid", specimenTD3, &Correction{Document: td3}, 1},
		{"O for 0 in birth date", edit(specimenTD3, 2, 16, 'O'),
			&Correction{Document: td3, Changes: []Change{{2, 16, 'O', '0'}}}, 1},
		{"G for 9 in TD1 expiry check digit", edit(specimenTD1, 2, 15, 'G'), nil, 0}, // G->6 fails the check
		{"B for 8 in TD1 birth, 1 for I in name", edit(edit(specimenTD1, 2, 4, 'B'), 3, 3, '1'),
			&Correction{Document: td1, Changes: []Change{{2, 4, 'B', '8'}, {3, 3, '1', 'I'}}}, 1},
		{"5 for S in name and O for 0 in number", edit(edit(specimenTD3, 1, 10, '5'), 2, 6, 'O'),
			&Correction{Document: td3, Changes: []Change{{1, 10, '5', 'S'}, {2, 6, 'O', '0'}}}, 6},
		{"Z for 2 in TD1 number", edit(specimenTD1, 1, 7, 'Z'),
			&Correction{Document: td1, Changes: []Change{{1, 7, 'Z', '2'}}}, 5},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := SuggestCorrections(tc.in, ref)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != tc.count {
				t.Errorf("got %d candidates, want %d", len(got), tc.count)
			}
			if tc.want != nil {
				found := false
				for _, c := range got {
					found = found || cmp.Equal(*tc.want, c)
				}
				if !found {
					t.Errorf("SuggestCorrections(%q) = %v, want it to contain %v", tc.in, got, *tc.want)
				}
			}
			for i := 1; i < len(got); i++ {
				if len(got[i].Changes) < len(got[i-1].Changes) {
					t.Errorf("candidates not sorted by number of changes")
				}
			}
			// Parse itself never corrects.
			if tc.want != nil && len(tc.want.Changes) > 0 {
				if _, err := Parse(tc.in, ref); err == nil {
					t.Error("Parse accepted a zone that needs correction")
				}
			}
		})
	}
	if _, err := SuggestCorrections(specimenTD3[1:], ref); !errors.Is(err, ErrFormat) {
		t.Errorf("bad shape: err = %v, want ErrFormat", err)
	}
	if _, err := SuggestCorrections(edit(specimenTD3, 2, 16, 'o'), ref); !errors.Is(err, ErrCharacter) {
		t.Errorf("lower case: err = %v, want ErrCharacter", err)
	}
}

func FuzzSuggestCorrections(f *testing.F) {
	for _, s := range []string{specimenTD3, specimenTD1, specimenTD2, specimenMRVA, specimenMRVB, longTD1,
		edit(specimenTD3, 2, 16, 'O'), edit(specimenTD1, 1, 7, 'Z')} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, zone string) {
		cs, err := SuggestCorrections(zone, ref)
		if err != nil {
			return
		}
		for _, c := range cs {
			for _, ch := range c.Changes {
				if swap(ch.From) != ch.To && letterToDigit[ch.From] != ch.To && digitToLetter[ch.From] != ch.To {
					t.Fatalf("change %c->%c is not a known confusion", ch.From, ch.To)
				}
			}
		}
	})
}

// TestSuggestCorrectionsHugeInput: a zone of a million line breaks is
// refused without splitting it into a million lines first (which cost
// about 16 bytes of slice per input byte).
func TestSuggestCorrectionsHugeInput(t *testing.T) {
	zone := strings.Repeat("\n", 1<<20)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := SuggestCorrections(zone, ref)
	runtime.ReadMemStats(&after)
	if !errors.Is(err, ErrFormat) {
		t.Errorf("SuggestCorrections(1 MiB of line breaks) error = %v, want ErrFormat", err)
	}
	if got := after.TotalAlloc - before.TotalAlloc; got > 1<<20 {
		t.Errorf("SuggestCorrections(1 MiB of line breaks) allocated %d bytes, want under 1 MiB", got)
	}
}
