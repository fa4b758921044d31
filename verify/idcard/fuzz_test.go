package idcard_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/trustid/trustid/verify/idcard"
)

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		gbExample, strings.ToLower(gbExample), gbExample15, gbExample[:17] + "1", gbExample[:15],
		full("81000019900101002"), full("83000019700615003"), full("93184019880808002"),
		full("11022319600101003"), full("11019919900101001"), full("11010520000229002"),
		full("11010519000229002"), full("11010520270101002"), "", " " + gbExample,
		full("41300119990101001"), full("42900119910101001"), full("13017120200101001"),
		"１１０１０５１９４９１２３１００２Ｘ", "XXXXXXXXXXXXXXXXXX", "000000000000000000",
	} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, s string, loose bool) {
		n, err := idcard.ParseWith(s, idcard.Options{Now: refNow, LooseRegion: loose})
		if err != nil {
			var e idcard.Error
			if !errors.As(err, &e) {
				t.Fatalf("ParseWith(%q) error %T is not an idcard.Error", s, err)
			}
			if e.Pos < -1 || e.Pos >= len(s) {
				t.Fatalf("ParseWith(%q) error position %d out of range", s, e.Pos)
			}
			if !n.IsZero() {
				t.Fatalf("ParseWith(%q) returned a Number with an error", s)
			}
			if len(s) >= 15 && strings.Contains(err.Error(), s) {
				t.Fatalf("error %q holds the input", err)
			}
			return
		}
		if n.IsZero() {
			t.Fatalf("ParseWith(%q) succeeded with a zero Number", s)
		}
		d := n.Digits()
		if len(d) != 18 {
			t.Fatalf("Digits() = %q, want 18 characters", d)
		}
		c, err := idcard.CheckChar(d[:17])
		if err != nil || c != d[17] {
			t.Fatalf("CheckChar(%q) = %q, %v; Digits ends in %q", d[:17], c, err, d[17])
		}
		again, err := idcard.ParseWith(d, idcard.Options{Now: refNow, LooseRegion: loose})
		if err != nil {
			t.Fatalf("ParseWith(Digits()) of %q: %v", s, err)
		}
		if !idcard.SamePerson(n, again) {
			t.Fatalf("re-parse of %q is not the same person", s)
		}
		if n.Legacy() {
			d15, ok := n.Digits15()
			if !ok || d15 != s {
				t.Fatalf("Digits15() = %q, %v; want %q", d15, ok, s)
			}
			if up, err := idcard.Upgrade15(s); err != nil || up != d {
				t.Fatalf("Upgrade15(%q) = %q, %v; want %q", s, up, err, d)
			}
		} else if again != n {
			t.Fatalf("re-parse of %q: %v != %v", s, again, n)
		}
		if m := n.String(); strings.Contains(m, d[6:14]) && d[6:14] != "********" {
			t.Fatalf("String() = %q shows the birth date", m)
		}
		if !loose {
			if _, err := idcard.ParseWith(s, idcard.Options{Now: refNow, LooseRegion: true}); err != nil {
				t.Fatalf("strict accepts %q but loose rejects it: %v", s, err)
			}
			if k := n.Kind(); (k == idcard.Resident || k == idcard.ResidentLegacy15) && idcard.LookupRegion(n.Region()).Status == idcard.RegionUnknown {
				t.Fatalf("strict accepts %q but LookupRegion(%q) is unknown", s, n.Region())
			}
		}
		// CheckRegionYears only ever adds ReasonRegionRetired, and only for
		// a code whose last year-end list is before the birth year minus 1.
		_, err = idcard.ParseWith(s, idcard.Options{Now: refNow, LooseRegion: loose, CheckRegionYears: true})
		if err != nil {
			var e idcard.Error
			r := idcard.LookupRegion(n.Region())
			if !errors.As(err, &e) || e.Reason != idcard.ReasonRegionRetired || r.LastYear == 0 || r.LastYear+1 >= n.BirthDate().Year() {
				t.Fatalf("ParseWith(%q, CheckRegionYears): %v; region %+v, born %v", s, err, r, n.BirthDate())
			}
		}
	})
}

// FuzzLookupRegion checks that LookupRegion and RegionSpans agree: the
// newest span is what LookupRegion returns, spans come oldest first without
// overlapping, and an unknown code has no spans.
func FuzzLookupRegion(f *testing.F) {
	for _, s := range []string{"110105", "413001", "419001", "429001", "632801", "130171", "110199", "810000", "", "11010", "1101055", "11010a", "\xff\xff\xff\xff\xff\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, code string) {
		r := idcard.LookupRegion(code)
		var spans []idcard.Region
		for sp := range idcard.RegionSpans(code) {
			spans = append(spans, sp)
		}
		if r.Status == idcard.RegionUnknown {
			if len(spans) != 0 || r != (idcard.Region{}) {
				t.Fatalf("unknown %q: %+v, %d spans", code, r, len(spans))
			}
			return
		}
		if len(code) != 6 || len(spans) == 0 || spans[len(spans)-1] != r || r.Province == "" {
			t.Fatalf("LookupRegion(%q) = %+v, spans %+v", code, r, spans)
		}
		for i, sp := range spans {
			if sp.Status == idcard.RegionSecondary && len(spans) != 1 {
				t.Fatalf("%q: a secondary span among %d", code, len(spans))
			}
			if i > 0 && (spans[i-1].LastYear == 0 || sp.FirstYear <= spans[i-1].LastYear) {
				t.Fatalf("%q: span %+v after %+v", code, sp, spans[i-1])
			}
		}
	})
}

func FuzzUpgrade15(f *testing.F) {
	for _, s := range []string{gbExample15, gbExample[:15], "110105990229002", "11010549123100X", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		up, err := idcard.Upgrade15(s)
		if err != nil {
			if up != "" {
				t.Fatalf("Upgrade15(%q) = %q with error %v", s, up, err)
			}
			return
		}
		if len(up) != 18 || up[:6] != s[:6] || up[6:8] != "19" || up[8:17] != s[6:] {
			t.Fatalf("Upgrade15(%q) = %q", s, up)
		}
		if c, err := idcard.CheckChar(up[:17]); err != nil || c != up[17] {
			t.Fatalf("Upgrade15(%q) = %q: bad check character", s, up)
		}
	})
}
