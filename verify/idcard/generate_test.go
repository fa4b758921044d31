package idcard_test

import (
	"errors"
	"io"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/trustid/trustid/verify/idcard"
)

// seeded returns a reproducible random source (ChaCha8 with a fixed seed).
func seeded(seed byte) io.Reader {
	var s [32]byte
	s[0] = seed
	return rand.NewChaCha8(s)
}

// TestGenerateDrawsCurrentCounties checks that random address codes are
// county-level codes of the newest civil-affairs year-end list, never a
// secondary code. Before the table had the year-end lists, 426 of the 3285
// codes drawn from (13%) were in none: 281 市辖区 groupings (xxxx01), 137
// statistics-bureau development zones (xxxx71-xxxx74) and 8 others.
func TestGenerateDrawsCurrentCounties(t *testing.T) {
	r := seeded(7)
	seen := map[string]bool{}
	for range 5000 {
		s, err := idcard.Generate(r, idcard.GenOptions{})
		if err != nil {
			t.Fatal(err)
		}
		code := s[:6]
		reg := idcard.LookupRegion(code)
		if reg.Status != idcard.RegionCurrent || reg.County == "" || code[4:] == "00" {
			t.Fatalf("generated region %s: %+v, want a current county-level code", code, reg)
		}
		if _, err := idcard.ParseWith(s, idcard.Options{Now: refNow, CheckRegionYears: true}); err != nil {
			t.Fatalf("ParseWith(CheckRegionYears) of a generated number: %v", err)
		}
		seen[code] = true
	}
	if len(seen) < 1500 {
		t.Errorf("only %d distinct codes in 5000 draws", len(seen))
	}
}

func TestGenerateParses(t *testing.T) {
	birth := time.Date(1966, 6, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		opt  idcard.GenOptions
		want idcard.Kind
	}{
		{"zero options", idcard.GenOptions{}, idcard.Resident},
		{"legacy", idcard.GenOptions{Kind: idcard.ResidentLegacy15, Birth: birth}, idcard.ResidentLegacy15},
		{"legacy random birth", idcard.GenOptions{Kind: idcard.ResidentLegacy15}, idcard.ResidentLegacy15},
		{"HK/Macao", idcard.GenOptions{Kind: idcard.HKMacaoResidencePermit}, idcard.HKMacaoResidencePermit},
		{"Taiwan", idcard.GenOptions{Kind: idcard.TaiwanResidencePermit}, idcard.TaiwanResidencePermit},
		{"foreign", idcard.GenOptions{Kind: idcard.ForeignPermanentResident}, idcard.ForeignPermanentResident},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := seeded(1)
			seen := map[string]bool{}
			for range 300 {
				s, err := idcard.Generate(r, tc.opt)
				if err != nil {
					t.Fatalf("Generate: %v", err)
				}
				n, err := idcard.Parse(s, refNow)
				if err != nil {
					t.Fatalf("Parse(Generate()) %s: %v", n, err)
				}
				if n.Kind() != tc.want {
					t.Errorf("kind %v, want %v", n.Kind(), tc.want)
				}
				if n.Digits()[14] != '9' {
					t.Errorf("%s: sequence code not in 900-999", n)
				}
				if tc.want == idcard.ResidentLegacy15 && (len(s) != 15 || n.BirthDate().Year() >= 2000) {
					t.Errorf("legacy %s: len %d, birth %v", n, len(s), n.BirthDate())
				}
				seen[s] = true
			}
			if len(seen) < 250 {
				t.Errorf("only %d distinct numbers of 300", len(seen))
			}
		})
	}
}

func TestGenerateHonoursOptions(t *testing.T) {
	birth := time.Date(2000, 2, 29, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		opt  idcard.GenOptions
		want summary
	}{
		{"resident, historical region", idcard.GenOptions{Region: "110223", Birth: birth, Gender: idcard.Male},
			summary{Kind: idcard.Resident, Birth: "2000-02-29", Gender: idcard.Male, Region: "110223", Province: "11"}},
		{"legacy", idcard.GenOptions{Kind: idcard.ResidentLegacy15, Region: "110105", Birth: time.Date(1949, 12, 31, 0, 0, 0, 0, time.UTC), Gender: idcard.Female},
			summary{Kind: idcard.ResidentLegacy15, Birth: "1949-12-31", Gender: idcard.Female, Region: "110105", Province: "11", Legacy: true}},
		{"Macao", idcard.GenOptions{Kind: idcard.HKMacaoResidencePermit, Region: "820000", Birth: birth, Gender: idcard.Female},
			summary{Kind: idcard.HKMacaoResidencePermit, Birth: "2000-02-29", Gender: idcard.Female, Region: "820000", Province: "82"}},
		{"foreign", idcard.GenOptions{Kind: idcard.ForeignPermanentResident, Region: "440000", Nationality: "392", Birth: birth, Gender: idcard.Male},
			summary{Kind: idcard.ForeignPermanentResident, Birth: "2000-02-29", Gender: idcard.Male, Region: "440000", Province: "44", Nationality: "392"}},
	}
	for _, tc := range tests {
		for seed := range byte(20) {
			s, err := idcard.Generate(seeded(seed), tc.opt)
			if err != nil {
				t.Fatalf("%s: Generate: %v", tc.name, err)
			}
			n, err := idcard.Parse(s, refNow)
			if err != nil {
				t.Fatalf("%s: Parse: %v", tc.name, err)
			}
			got := summarize(n)
			got.Digits, got.Masked = "", ""
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s: Generate mismatch (-want +got):\n%s", tc.name, diff)
			}
		}
	}
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errors.New("entropy gone") }

func TestGenerateErrors(t *testing.T) {
	tests := []struct {
		name string
		r    io.Reader
		opt  idcard.GenOptions
	}{
		{"unknown region", seeded(1), idcard.GenOptions{Region: "110199"}},
		{"malformed region", seeded(1), idcard.GenOptions{Region: "11"}},
		{"legacy born 2001", seeded(1), idcard.GenOptions{Kind: idcard.ResidentLegacy15, Birth: time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC)}},
		{"too early", seeded(1), idcard.GenOptions{Birth: time.Date(1870, 1, 1, 0, 0, 0, 0, time.UTC)}},
		{"bad gender", seeded(1), idcard.GenOptions{Gender: 7}},
		{"bad kind", seeded(1), idcard.GenOptions{Kind: 99}},
		{"HK permit with county region", seeded(1), idcard.GenOptions{Kind: idcard.HKMacaoResidencePermit, Region: "110105"}},
		{"foreign in Taiwan", seeded(1), idcard.GenOptions{Kind: idcard.ForeignPermanentResident, Region: "710000"}},
		{"foreign bad nationality", seeded(1), idcard.GenOptions{Kind: idcard.ForeignPermanentResident, Nationality: "US"}},
		{"failing reader", failingReader{}, idcard.GenOptions{}},
		{"short reader", strings.NewReader("abc"), idcard.GenOptions{}},
	}
	for _, tc := range tests {
		s, err := idcard.Generate(tc.r, tc.opt)
		if !errors.Is(err, idcard.ErrOptions) || s != "" {
			t.Errorf("%s: Generate = %q, %v; want ErrOptions", tc.name, s, err)
		}
	}
	if _, err := idcard.Generate(strings.NewReader("abc"), idcard.GenOptions{}); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("short reader: error %v does not wrap io.ErrUnexpectedEOF", err)
	}
}
